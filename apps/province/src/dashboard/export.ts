import writeExcelFile, { type SheetData } from 'write-excel-file/node';
import type { CenterFigures, FigureRow } from '../figures.js';
import { MIN_ANSWERS, type RankEntry } from './ranking.js';
import type { DayFigures } from './rollup.js';

/**
 * The province report as tables a director opens in Excel or LibreOffice, in the center's export
 * format (apps/server/src/reports/export.ts): Vietnamese headers with the English after a slash;
 * CSV for a Vietnamese Excel (";" between fields, "," as the decimal mark, UTF-8 with a BOM,
 * text that a spreadsheet would read as a formula made inert); Excel with one sheet per table.
 */
type Cell = string | number | null;
const SEP = ';';

export interface ProvinceExport {
  from: string;
  to: string;
  /** When it was made, province time, as shown. */
  madeAt: string;
  centers: CenterFigures[];
  ranking: RankEntry[];
  /** A center's drill-down: its figures per day. */
  days?: { center: string; rows: DayFigures[] };
}

const RANK_HEAD = [
  'Hạng / Rank',
  'Mã / Code',
  'Trung tâm / Center',
  'Điểm xếp hạng / Score',
  'Tỷ lệ hài lòng (%) / Satisfied (%)',
  'Gọi trong thời gian chờ mục tiêu (%) / Called within target (%)',
  'Số đánh giá / Answers',
  'Số phiếu / Tickets',
  'Ghi chú / Note',
];

const FIGURE_HEAD = [
  'Số phiếu / Tickets',
  'Ưu tiên / Priority',
  'Đã phục vụ / Served',
  'Vắng mặt / No-show',
  'Đã hủy / Cancelled',
  'Chưa xong / Open',
  'Chờ TB (phút) / Wait avg (min)',
  'Chờ trung vị / Wait median',
  'Chờ P90 / Wait p90',
  'Chờ mục tiêu (phút) / Target wait (min)',
  'Gọi trong thời gian chờ mục tiêu (%) / Called within target (%)',
  'Số đánh giá / Answers',
  'Hài lòng / Satisfied',
  'Không hài lòng / Dissatisfied',
  'Tỷ lệ hài lòng (%) / Satisfied (%)',
];
const CENTER_HEAD = ['Mã / Code', 'Trung tâm / Center', 'Lĩnh vực / Service', ...FIGURE_HEAD];
const DAY_HEAD = ['Ngày / Day', ...FIGURE_HEAD];

export const flagText = (e: RankEntry): string =>
  [
    e.flags.includes('few-ratings') ? `Ít đánh giá (dưới ${MIN_ANSWERS}), không xếp hạng / Fewer than ${MIN_ANSWERS} ratings, not ranked` : '',
    e.flags.includes('no-target') ? 'Chưa có thời gian chờ mục tiêu / No target wait' : '',
  ]
    .filter(Boolean)
    .join('; ');

function figureCells(r: FigureRow, target: number | null): Cell[] {
  return [
    r.issued,
    r.priority,
    r.served,
    r.noShow,
    r.cancelled,
    r.open,
    r.wait.avg,
    r.wait.median,
    r.wait.p90,
    target,
    r.withinTarget?.percent ?? null,
    r.satisfaction.answers,
    r.satisfaction.satisfied,
    r.satisfaction.dissatisfied,
    r.satisfaction.percent,
  ];
}

export function rankingRows(x: ProvinceExport): Cell[][] {
  return [RANK_HEAD, ...x.ranking.map((e) => [e.rank, e.code, e.name, e.score, e.satisfiedPercent, e.withinTargetPercent, e.answers, e.issued, flagText(e) || null])];
}

export function centerRows(x: ProvinceExport): Cell[][] {
  const rows: Cell[][] = [CENTER_HEAD];
  for (const c of x.centers) {
    rows.push([c.code, c.name, 'Toàn trung tâm / Whole center', ...figureCells(c.totals, null)]);
    for (const s of c.byService) rows.push([c.code, c.name, s.name?.vi ?? `#${s.serviceId}`, ...figureCells(s, s.targetWaitMinutes)]);
  }
  return rows;
}

export function dayRows(x: ProvinceExport): Cell[][] {
  return [DAY_HEAD, ...(x.days?.rows ?? []).map((d) => [d.day, ...figureCells(d, null)])];
}

function noteRows(x: ProvinceExport): Cell[][] {
  return [
    ['Ghi chú / Notes'],
    [`Khoảng ngày / Range: ${x.from} → ${x.to}; lập lúc / made at ${x.madeAt} (giờ Việt Nam / Vietnam time).`],
    ['Mỗi phiếu thuộc ngày làm việc được cấp số, theo giờ của trung tâm. / A ticket belongs to the business day it was issued on, by the center clock.'],
    ['Số phiếu theo lĩnh vực: phiếu lấy cho lĩnh vực đó; kết quả, thời gian chờ và đánh giá tính ở lĩnh vực phiếu kết thúc (sau chuyển). / Per service, tickets count where taken; outcomes, waits and ratings where the ticket ended (after a transfer).'],
    ['Chờ = gọi − cấp số, phút; trung vị và P90 như báo cáo của trung tâm. / Wait = called − issued, minutes; median and p90 as in the center report.'],
    [
      `Xếp hạng: điểm = trung bình của tỷ lệ hài lòng và tỷ lệ gọi trong thời gian chờ mục tiêu; chỉ xếp hạng trung tâm có ít nhất ${MIN_ANSWERS} đánh giá. / Ranking: score = mean of % satisfied and % called within target; only centers with at least ${MIN_ANSWERS} ratings are ranked.`,
    ],
  ];
}

/**
 * One CSV field (as the center's csvField): text starting with = + - @ tab or CR gets a leading
 * apostrophe (OWASP's advice against CSV injection: names are typed by people); a number stays a
 * number with "," as its decimal mark; a field holding a quote, comma, semicolon, tab or line
 * break is quoted, so no separator can start a new cell that begins with a formula.
 */
export function csvField(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c).replace('.', ',') : '';
  const s = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
  return /[",;\t\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function sections(x: ProvinceExport): Cell[][][] {
  return [rankingRows(x), centerRows(x), ...(x.days ? [dayRows(x)] : []), noteRows(x)];
}

export function provinceCsv(x: ProvinceExport): string {
  const lines = sections(x)
    .flatMap((rows, i) => (i === 0 ? rows : [[], ...rows]))
    .map((r) => r.map(csvField).join(SEP));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function provinceXlsx(x: ProvinceExport): Promise<Buffer> {
  // The writer's cells: an empty one's value is undefined, not null (its cell objects take no
  // null; it writes both as an empty cell). The first row in bold.
  const bold = (rows: Cell[][]): SheetData => rows.map((r, i) => r.map((c) => (i === 0 ? { value: c ?? undefined, fontWeight: 'bold' } : { value: c ?? undefined })));
  const wide = (head: string[], text: number) => head.map((_, i) => ({ width: i < text ? 28 : 14 }));
  return writeExcelFile(
    [
      { data: bold(rankingRows(x)), sheet: 'Xếp hạng', stickyRowsCount: 1, columns: RANK_HEAD.map((_, i) => ({ width: i === 2 || i === 8 ? 36 : 14 })) },
      { data: bold(centerRows(x)), sheet: 'Theo trung tâm', stickyRowsCount: 1, columns: wide(CENTER_HEAD, 3) },
      ...(x.days ? [{ data: bold(dayRows(x)), sheet: 'Theo ngày', stickyRowsCount: 1, columns: wide(DAY_HEAD, 1) }] : []),
      { data: bold(noteRows(x)), sheet: 'Ghi chú', columns: [{ width: 140 }] },
    ],
    { fontFamily: 'Arial', fontSize: 11 },
  ).toBuffer();
}
