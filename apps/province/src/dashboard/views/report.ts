import type { CenterFigures, FigureRow } from '../../figures.js';
import { num, pct, viDate } from '../format.js';
import { html, qs, type Html } from '../html.js';
import type { DayRange, Preset } from '../range.js';
import { PRESETS } from '../range.js';
import { MIN_ANSWERS, type RankEntry } from '../ranking.js';
import { bi, both, errorBox, page } from './layout.js';

/** The range picker: presets as links, a custom range as a GET form (no script needed). */
export function rangeForm(action: string, range: DayRange, preset: Preset | null, extra: Record<string, string> = {}): Html {
  return html`<div class="card" data-testid="range" data-from="${range.from}" data-to="${range.to}">
  <div class="presets">${PRESETS.map((p) => html`<a href="${action}${qs({ ...extra, preset: p.id })}" data-preset="${p.id}"${p.id === preset ? html` aria-current="true"` : ''}>${p.vi} <span class="en">${p.en}</span></a>`)}</div>
  <form class="range" method="get" action="${action}">
    ${Object.entries(extra).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
    <label>${both('Từ ngày', 'From')}<input type="date" name="from" value="${range.from}" required></label>
    <label>${both('Đến ngày', 'To')}<input type="date" name="to" value="${range.to}" required></label>
    <button type="submit" class="primary">Xem <span class="en">Show</span></button>
  </form>
  <p class="muted" data-testid="range-shown">${viDate(range.from)} → ${viDate(range.to)}</p>
</div>`;
}

export function downloads(range: DayRange, centerId?: number): Html {
  const q = qs({ from: range.from, to: range.to, center: centerId });
  return html`<div class="downloads">
  <a class="button" href="/export.csv${q}" data-testid="download-csv" download>Tải CSV <span class="en">Download CSV</span></a>
  <a class="button primary" href="/export.xlsx${q}" data-testid="download-xlsx" download>Tải Excel <span class="en">Download Excel</span></a>
</div>`;
}

/** The figure columns, in the order of every table (and of the exports). */
export const FIGURE_COLUMNS: { id: string; vi: string; en: string; cell: (r: FigureRow) => string | number }[] = [
  { id: 'issued', vi: 'Số phiếu', en: 'Tickets', cell: (r) => r.issued },
  { id: 'served', vi: 'Đã phục vụ', en: 'Served', cell: (r) => r.served },
  { id: 'noShow', vi: 'Vắng mặt', en: 'No-show', cell: (r) => r.noShow },
  { id: 'cancelled', vi: 'Đã hủy', en: 'Cancelled', cell: (r) => r.cancelled },
  { id: 'waitMedian', vi: 'Chờ trung vị (phút)', en: 'Wait median (min)', cell: (r) => num(r.wait.median) },
  { id: 'waitP90', vi: 'Chờ P90 (phút)', en: 'Wait p90 (min)', cell: (r) => num(r.wait.p90) },
  { id: 'withinTarget', vi: 'Đạt mục tiêu chờ', en: 'Within target wait', cell: (r) => pct(r.withinTarget?.percent) },
  { id: 'answers', vi: 'Số đánh giá', en: 'Ratings', cell: (r) => r.satisfaction.answers },
  { id: 'satisfied', vi: '% hài lòng', en: '% satisfied', cell: (r) => pct(r.satisfaction.percent) },
];

export const figureHead = (): Html => html`${FIGURE_COLUMNS.map((c) => html`<th class="num">${bi(c.vi, c.en)}</th>`)}`;
export const figureCells = (r: FigureRow): Html => html`${FIGURE_COLUMNS.map((c) => html`<td class="num" data-col="${c.id}">${c.cell(r)}</td>`)}`;

export const flagsOf = (e: RankEntry): Html =>
  html`${e.flags.includes('few-ratings') ? html`<span class="flag" data-flag="few-ratings">Ít đánh giá (&lt; ${MIN_ANSWERS}) <span class="en">too few ratings</span></span> ` : ''}${
    e.flags.includes('no-target') ? html`<span class="flag" data-flag="no-target">Chưa có chờ mục tiêu <span class="en">no target wait</span></span>` : ''
  }`;

export function rankingTable(ranking: RankEntry[], range: DayRange): Html {
  return html`<div class="card table-wrap">
<h2>${both('Xếp hạng trung tâm', 'Ranking of centers')}</h2>
<table class="grid" data-testid="ranking">
  <thead><tr>
    <th class="num">${bi('Hạng', 'Rank')}</th><th>${bi('Trung tâm', 'Center')}</th>
    <th class="num">${bi('Điểm', 'Score')}</th><th class="num">${bi('% hài lòng', '% satisfied')}</th>
    <th class="num">${bi('Đạt mục tiêu chờ', 'Within target wait')}</th>
    <th class="num">${bi('Số đánh giá', 'Ratings')}</th><th class="num">${bi('Số phiếu', 'Tickets')}</th><th>${bi('Ghi chú', 'Note')}</th>
  </tr></thead>
  <tbody>${ranking.map(
    (e) => html`<tr data-center="${e.code}" data-rank="${e.rank ?? ''}">
    <td class="num" data-col="rank">${e.rank ?? '—'}</td>
    <td><a href="/centers/${e.centerId}${qs({ from: range.from, to: range.to })}">${e.name}</a> <span class="muted">${e.code}</span></td>
    <td class="num" data-col="score">${num(e.score)}</td>
    <td class="num" data-col="satisfied">${pct(e.satisfiedPercent)}</td>
    <td class="num" data-col="withinTarget">${pct(e.withinTargetPercent)}</td>
    <td class="num" data-col="answers">${e.answers}</td>
    <td class="num" data-col="issued">${e.issued}</td>
    <td>${flagsOf(e)}</td>
  </tr>`,
  )}</tbody>
</table>
<p class="rule">Cách xếp hạng: điểm = trung bình cộng của tỷ lệ hài lòng (số đánh giá hài lòng / tổng số đánh giá) và tỷ lệ phiếu được gọi trong thời gian chờ mục tiêu của lĩnh vực. Chỉ xếp hạng trung tâm có từ ${MIN_ANSWERS} đánh giá trở lên trong khoảng ngày; trung tâm chưa đặt thời gian chờ mục tiêu được tính theo tỷ lệ hài lòng. Bằng điểm: xét tỷ lệ hài lòng, rồi số đánh giá.
<span class="en">Rule: score = mean of % satisfied (satisfied answers / all answers) and the share of tickets called within their service's target wait. Only centers with at least ${MIN_ANSWERS} ratings in the range are ranked; a center without target waits is scored on % satisfied alone. Ties: % satisfied, then number of ratings.</span></p>
</div>`;
}

export function centersTable(centers: CenterFigures[], range: DayRange, withServices: boolean): Html {
  const toggle = qs({ from: range.from, to: range.to, services: withServices ? undefined : '1' });
  return html`<div class="card table-wrap">
<h2>${both('Theo trung tâm', 'By center')} <a class="button" href="/report${toggle}" data-testid="toggle-services">${
    withServices ? both('Ẩn lĩnh vực', 'Hide services') : both('Hiện theo lĩnh vực', 'Show services')
  }</a></h2>
<table class="grid" data-testid="by-center">
  <thead><tr><th>${bi('Trung tâm / lĩnh vực', 'Center / service')}</th>${figureHead()}</tr></thead>
  <tbody>${centers.map(
    (c) => html`<tr class="center-total" data-center="${c.code}" data-service="">
      <td><a href="/centers/${c.centerId}${qs({ from: range.from, to: range.to })}">${c.name}</a> <span class="muted">${c.code}</span></td>${figureCells(c.totals)}</tr>
    ${withServices ? c.byService.map((s) => html`<tr class="service" data-center="${c.code}" data-service="${s.code ?? s.serviceId}"><td>${s.name?.vi ?? `#${s.serviceId}`}</td>${figureCells(s)}</tr>`) : ''}`,
  )}</tbody>
</table>
</div>`;
}

/** Province-wide sums (counts and shares; medians do not add up, so none are shown here). */
export function provinceStats(centers: CenterFigures[]): Html {
  const t = centers.reduce(
    (a, c) => ({
      issued: a.issued + c.totals.issued,
      served: a.served + c.totals.served,
      noShow: a.noShow + c.totals.noShow,
      called: a.called + (c.totals.withinTarget?.called ?? 0),
      within: a.within + (c.totals.withinTarget?.within ?? 0),
      answers: a.answers + c.totals.satisfaction.answers,
      satisfied: a.satisfied + c.totals.satisfaction.satisfied,
    }),
    { issued: 0, served: 0, noShow: 0, called: 0, within: 0, answers: 0, satisfied: 0 },
  );
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);
  return html`<div class="stats" data-testid="province-stats">
  <div class="stat" data-stat="issued"><span class="value">${num(t.issued, 0)}</span>${bi('Số phiếu', 'Tickets')}</div>
  <div class="stat" data-stat="served"><span class="value">${num(t.served, 0)}</span>${bi('Đã phục vụ', 'Served')}</div>
  <div class="stat" data-stat="noShow"><span class="value">${num(t.noShow, 0)}</span>${bi('Vắng mặt', 'No-show')}</div>
  <div class="stat" data-stat="withinTarget"><span class="value">${pct(share(t.within, t.called))}</span>${bi('Đạt mục tiêu chờ', 'Within target wait')}</div>
  <div class="stat" data-stat="answers"><span class="value">${num(t.answers, 0)}</span>${bi('Số đánh giá', 'Ratings')}</div>
  <div class="stat" data-stat="satisfied"><span class="value">${pct(share(t.satisfied, t.answers))}</span>${bi('% hài lòng toàn tỉnh', '% satisfied, province')}</div>
</div>`;
}

export function reportPage(p: {
  range: DayRange;
  preset: Preset | null;
  centers: CenterFigures[];
  ranking: RankEntry[];
  withServices: boolean;
  error?: { vi: string; en: string };
}): string {
  const body = html`
<h1>${both('Báo cáo và xếp hạng', 'Report and ranking')}</h1>
${p.error ? errorBox(p.error.vi, p.error.en) : ''}
${rangeForm('/report', p.range, p.preset)}
${p.error ? '' : html`${downloads(p.range)}<br>${provinceStats(p.centers)}${rankingTable(p.ranking, p.range)}${centersTable(p.centers, p.range, p.withServices)}`}`;
  return page({ title: 'Báo cáo', nav: 'report', body });
}
