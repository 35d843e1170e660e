import type { CenterFigures } from '../../figures.js';
import { duration, localTime, num, viDate } from '../format.js';
import { html } from '../html.js';
import type { DayRange, Preset } from '../range.js';
import type { RankEntry } from '../ranking.js';
import type { DayFigures } from '../rollup.js';
import { bi, both, errorBox, page } from './layout.js';
import { badge, type CenterNowView } from './now.js';
import { downloads, figureCells, figureHead, flagsOf, rangeForm } from './report.js';

/** One center: how it is now, its services and its days over a range, its place in the ranking. */
export function centerPage(p: {
  now: CenterNowView;
  range: DayRange;
  preset: Preset | null;
  figures: CenterFigures | null;
  days: DayFigures[];
  rank: RankEntry | null;
  rankedCount: number;
  error?: { vi: string; en: string };
}): string {
  const c = p.now;
  const body = html`
<p><a href="/report">← Báo cáo <span class="en">Report</span></a></p>
<h1 data-testid="center-name" data-center="${c.code}">${c.name} <span class="muted">${c.code}</span></h1>
<div class="card" data-testid="center-now" data-freshness="${c.freshness}">
  <h2>${both('Lúc này', 'Now')} ${badge(c.freshness)}</h2>
  <dl class="facts">
    <dt>${both('Đang chờ', 'Waiting')}</dt><dd data-col="waiting">${c.waiting ?? '—'}</dd>
    <dt>${both('Quầy đang mở', 'Open counters')}</dt><dd data-col="openCounters">${c.openCounters ?? '—'}</dd>
    <dt>${both('Chờ lâu nhất', 'Longest wait')}</dt><dd data-col="longestWait">${duration(c.longestWaitSeconds)}</dd>
    <dt>${both('Liên lạc lần cuối', 'Last heard from')}</dt><dd data-col="lastHeard">${localTime(c.lastHeardAt)}${c.lastHeardSecondsAgo === null ? '' : ` (${duration(c.lastHeardSecondsAgo)} trước)`}</dd>
    <dt>${both('Dữ liệu đến (đồng hồ trung tâm)', 'Data up to (center clock)')}</dt><dd data-col="reportedAt">${localTime(c.reportedAt)}</dd>
    <dt>${both('Sự kiện đã nhận / của trung tâm', 'Events held / at the center')}</dt><dd data-col="seq">${c.ackSeq ?? '—'} / ${c.lastSeq ?? '—'}${c.behindEvents ? html` <span class="flag">(${c.behindEvents} chưa gửi <span class="en">behind</span>)</span>` : ''}</dd>
    <dt>${both('Cơ sở dữ liệu, epoch', 'Database, epoch')}</dt><dd data-col="epoch"><code>${c.centerUid ?? '—'}</code>, ${c.epoch ?? '—'}${c.epoch && c.epoch > 1 ? html` <span class="muted">(đã khôi phục từ bản sao lưu ${c.epoch - 1} lần <span class="en">restored from a backup</span>)</span>` : ''}</dd>
  </dl>
</div>
${p.error ? errorBox(p.error.vi, p.error.en) : ''}
${rangeForm(`/centers/${c.centerId}`, p.range, p.preset)}
${
  p.error || !p.figures
    ? ''
    : html`${downloads(p.range, c.centerId)}<br>
<div class="stats" data-testid="center-rank">
  <div class="stat" data-stat="rank"><span class="value">${p.rank?.rank ? `${p.rank.rank} / ${p.rankedCount}` : '—'}</span>${bi('Hạng trong tỉnh', 'Rank in the province')}</div>
  <div class="stat" data-stat="score"><span class="value">${num(p.rank?.score ?? null)}</span>${bi('Điểm xếp hạng', 'Score')}</div>
  ${p.rank && p.rank.flags.length ? html`<div class="stat">${flagsOf(p.rank)}</div>` : ''}
</div>
<div class="card table-wrap">
<h2>${both('Theo lĩnh vực', 'By service')}</h2>
<table class="grid" data-testid="center-services">
  <thead><tr><th>${bi('Lĩnh vực', 'Service')}</th><th class="num">${bi('Chờ mục tiêu (phút)', 'Target wait (min)')}</th>${figureHead()}</tr></thead>
  <tbody>
  ${p.figures.byService.map(
    (s) => html`<tr data-service="${s.code ?? s.serviceId}"><td>${s.name ? bi(s.name.vi, s.name.en) : `#${s.serviceId}`}</td><td class="num">${s.targetWaitMinutes ?? '—'}</td>${figureCells(s)}</tr>`,
  )}
  <tr class="center-total" data-service=""><td>${both('Toàn trung tâm', 'Whole center')}</td><td></td>${figureCells(p.figures.totals)}</tr>
  </tbody>
</table>
</div>
<div class="card table-wrap">
<h2>${both('Theo ngày', 'By day')}</h2>
${
  p.days.length === 0
    ? html`<p class="muted">Không có phiếu trong khoảng ngày này. <span class="en">No tickets in this range.</span></p>`
    : html`<table class="grid" data-testid="center-days">
  <thead><tr><th>${bi('Ngày', 'Day')}</th>${figureHead()}</tr></thead>
  <tbody>${p.days.map((d) => html`<tr data-day="${d.day}"><td>${viDate(d.day)}</td>${figureCells(d)}</tr>`)}</tbody>
</table>`
}
</div>`
}`;
  return page({ title: c.name, nav: 'report', body });
}
