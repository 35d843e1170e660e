import type { Report, ReportRow } from '@luot/protocol';
import writeExcelFile from 'write-excel-file/node';

/**
 * The same report as a table a director can open in Excel or LibreOffice: one row per scope
 * (whole center, each service, each counter, each officer), then arrivals per hour and
 * satisfaction. Headers are Vietnamese with the English after a slash.
 */
const HEAD = [
  'Phạm vi / Scope',
  'Tên / Name',
  'Số phiếu / Tickets',
  'Đã phục vụ / Served',
  'Vắng mặt / No-show',
  'Đã hủy / Cancelled',
  'Chưa xong / Open',
  'Chờ TB (phút) / Wait avg (min)',
  'Chờ trung vị / Wait median',
  'Chờ P90 / Wait p90',
  'Phục vụ TB (phút) / Service avg (min)',
  'Phục vụ trung vị / Service median',
  'Phục vụ P90 / Service p90',
  'Số đánh giá / Ratings',
  'Điểm TB (1-4) / Avg score',
];

type Cell = string | number | null;

function cells(scope: string, name: string, r: ReportRow): Cell[] {
  return [scope, name, r.issued, r.served, r.noShow, r.cancelled, r.open, r.wait.avg, r.wait.median, r.wait.p90, r.service.avg, r.service.median, r.service.p90, r.ratings.count, r.ratings.average];
}

export function reportRows(report: Report): Cell[][] {
  return [
    HEAD,
    cells('Toàn trung tâm / Center', `${report.from} → ${report.to}`, report.totals),
    ...report.byService.map((s) => cells('Lĩnh vực / Service', s.name.vi, s)),
    ...report.byCounter.map((c) => cells('Quầy / Counter', c.name, c)),
    ...report.byOfficer.map((o) => cells('Cán bộ / Officer', o.username, o)),
  ];
}

const SCORE_NAMES: [keyof Report['satisfaction']['counts'], string][] = [
  ['4', 'Rất hài lòng / Very satisfied'],
  ['3', 'Hài lòng / Satisfied'],
  ['2', 'Bình thường / Neutral'],
  ['1', 'Không hài lòng / Dissatisfied'],
];

function arrivalRows(report: Report): Cell[][] {
  return [['Giờ / Hour', 'Số phiếu / Tickets'], ...report.arrivalsByHour.map((n, h) => [`${String(h).padStart(2, '0')}:00`, n])];
}
function satisfactionRows(report: Report): Cell[][] {
  return [
    ['Mức / Level', 'Số lượt / Count', 'Tỉ lệ % / Share %'],
    ...SCORE_NAMES.map(([k, name]) => [name, report.satisfaction.counts[k], report.satisfaction.percent[k]]),
  ];
}

/**
 * One CSV field. A text that a spreadsheet would read as a formula (it starts with =, +, -, @, a
 * tab or a carriage return: a service, counter or user name is typed by people) gets a leading
 * apostrophe, OWASP's advice against CSV injection: Excel and LibreOffice then show it as text.
 * Only text: a number stays a number, negative or not. Fields holding a quote, a comma, a
 * semicolon (the list separator Excel uses under Vietnamese regional settings), a tab or a line
 * break are quoted, so no separator can start a new cell that begins with a formula.
 */
export function csvField(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  const s = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
  return /[",;\t\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark, so Excel shows the Vietnamese letters right. */
export function reportCsv(report: Report): string {
  const lines = [...reportRows(report), [], ...arrivalRows(report), [], ...satisfactionRows(report)].map((r) => r.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function reportXlsx(report: Report): Promise<Buffer> {
  const bold = (rows: Cell[][]) => rows.map((r, i) => r.map((value) => (i === 0 ? { value, fontWeight: 'bold' as const } : { value })));
  return writeExcelFile(
    [
      { data: bold(reportRows(report)) as never, sheet: 'Tổng hợp', stickyRowsCount: 1, columns: HEAD.map((_, i) => ({ width: i < 2 ? 28 : 14 })) },
      { data: bold(arrivalRows(report)) as never, sheet: 'Theo giờ', stickyRowsCount: 1 },
      { data: bold(satisfactionRows(report)) as never, sheet: 'Hài lòng', stickyRowsCount: 1, columns: [{ width: 32 }, { width: 14 }, { width: 14 }] },
    ],
    { fontFamily: 'Arial', fontSize: 11 },
  ).toBuffer();
}
