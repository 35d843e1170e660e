import type { CenterFigures, CenterNow } from '../../figures.js';
import { duration, localTime, num, pct, viDate } from '../format.js';
import { FRESHNESS_TEXT, LOST_AFTER_S, STALE_AFTER_S, type Freshness } from '../freshness.js';
import { html, type Html } from '../html.js';
import { bi, both, page } from './layout.js';

export type CenterNowView = CenterNow & { freshness: Freshness };

export const badge = (f: Freshness): Html => html`<span class="badge ${f}" data-freshness="${f}">${FRESHNESS_TEXT[f].vi} <span class="en">${FRESHNESS_TEXT[f].en}</span></span>`;

/** "Hiện tại": every center as it last described itself, and today's figures so far. */
export function nowPage(p: { today: string; madeAt: string; centers: CenterNowView[]; todayFigures: CenterFigures[]; refreshSeconds: number }): string {
  const figures = new Map(p.todayFigures.map((c) => [c.centerId, c]));
  const heard = p.centers.filter((c) => c.freshness === 'ok' || c.freshness === 'behind');
  const attention = p.centers.filter((c) => c.freshness === 'behind' || c.freshness === 'stale' || c.freshness === 'lost');
  const sum = (f: (c: CenterNowView) => number | null) => p.centers.reduce((a, c) => a + (f(c) ?? 0), 0);
  const issuedToday = p.todayFigures.reduce((a, c) => a + c.totals.issued, 0);
  const body = html`
<h1>${both('Các trung tâm lúc này', 'Centers now')}</h1>
<p class="muted" data-testid="made-at">Cập nhật lúc ${p.madeAt} · tự làm mới mỗi ${p.refreshSeconds} giây · hôm nay ${viDate(p.today)}
  <span class="en">Updated ${p.madeAt}, refreshes every ${p.refreshSeconds} s</span></p>
<div class="stats" data-testid="now-stats">
  <div class="stat" data-stat="centers"><span class="value">${p.centers.length}</span>${bi('Trung tâm', 'Centers')}</div>
  <div class="stat" data-stat="heard"><span class="value">${heard.length}</span>${bi('Đang liên lạc', 'Heard recently')}</div>
  <div class="stat" data-stat="attention"><span class="value">${attention.length}</span>${bi('Cần chú ý', 'Need attention')}</div>
  <div class="stat" data-stat="waiting"><span class="value">${sum((c) => c.waiting)}</span>${bi('Đang chờ', 'Waiting')}</div>
  <div class="stat" data-stat="openCounters"><span class="value">${sum((c) => c.openCounters)}</span>${bi('Quầy đang mở', 'Open counters')}</div>
  <div class="stat" data-stat="issuedToday"><span class="value">${issuedToday}</span>${bi('Số phiếu hôm nay', 'Tickets today')}</div>
</div>
<div class="card table-wrap">
<table class="grid" data-testid="centers-now">
  <thead><tr>
    <th>${bi('Trung tâm', 'Center')}</th>
    <th>${bi('Trạng thái', 'State')}</th>
    <th class="num">${bi('Đang chờ', 'Waiting')}</th>
    <th class="num">${bi('Quầy mở', 'Open counters')}</th>
    <th class="num">${bi('Chờ lâu nhất', 'Longest wait')}</th>
    <th>${bi('Liên lạc lần cuối', 'Last heard from')}</th>
    <th>${bi('Dữ liệu đến', 'Data up to')}</th>
    <th class="num">${bi('Sự kiện chưa gửi', 'Events behind')}</th>
    <th class="num">${bi('Phiếu hôm nay', 'Tickets today')}</th>
    <th class="num">${bi('Đã phục vụ', 'Served')}</th>
    <th class="num">${bi('% hài lòng', '% satisfied')}</th>
  </tr></thead>
  <tbody>
  ${p.centers.map((c) => {
    const f = figures.get(c.centerId);
    return html`<tr class="level-${c.freshness}" data-center="${c.code}" data-freshness="${c.freshness}">
      <td><a href="/centers/${c.centerId}">${c.name}</a> <span class="muted">${c.code}</span></td>
      <td>${badge(c.freshness)}</td>
      <td class="num" data-col="waiting">${c.waiting ?? '—'}</td>
      <td class="num" data-col="openCounters">${c.openCounters ?? '—'}</td>
      <td class="num" data-col="longestWait">${duration(c.longestWaitSeconds)}</td>
      <td data-col="lastHeard">${c.lastHeardSecondsAgo === null ? '—' : html`${duration(c.lastHeardSecondsAgo)} trước<span class="when">${localTime(c.lastHeardAt)}</span>`}</td>
      <td data-col="reportedAt">${c.reportedAt ? html`${localTime(c.reportedAt).slice(0, 5)}<span class="when">${localTime(c.reportedAt).slice(6)}${c.epoch && c.epoch > 1 ? ` · epoch ${c.epoch}` : ''}</span>` : '—'}</td>
      <td class="num" data-col="behindEvents">${c.behindEvents ?? '—'}</td>
      <td class="num" data-col="issued">${f ? f.totals.issued : '—'}</td>
      <td class="num" data-col="served">${f ? f.totals.served : '—'}</td>
      <td class="num" data-col="satisfied">${f ? pct(f.totals.satisfaction.percent) : '—'}</td>
    </tr>`;
  })}
  </tbody>
</table>
</div>
<p class="rule">“Chậm cập nhật”: không nhận được gì trong ${num(STALE_AFTER_S / 60, 0)} phút; “mất liên lạc”: quá ${num(LOST_AFTER_S / 3600, 0)} giờ (theo đồng hồ của tỉnh); “đang gửi bù”: trung tâm còn sự kiện chưa gửi (ví dụ sau khi mất mạng). Đang chờ, quầy mở và chờ lâu nhất là con số trung tâm gửi lần cuối.
  <span class="en">"Not heard recently": nothing received for ${num(STALE_AFTER_S / 60, 0)} min; "link lost": over ${num(LOST_AFTER_S / 3600, 0)} h (province clock); "catching up": the center still has events to send. Waiting, open counters and longest wait are as the center last reported them.</span></p>`;
  return page({ title: 'Hiện tại', nav: 'now', body, refreshSeconds: p.refreshSeconds });
}
