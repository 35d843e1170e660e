import { toIsoWithOffset } from '@luot/domain';
import { isSatisfied, RATING_LEVEL_TEXT, RATING_LEVELS, RATING_REASON_TEXT, RATING_REASONS, ratingLevelOf, type RatingLevel, type Report, type ReportRow } from '@luot/protocol';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type writeExcelFileType from 'write-excel-file/node';
import type { RatingListRow } from '../db/rating.repo.js';

/**
 * The same report as tables a director can open in Excel or LibreOffice: one row per scope (whole
 * center, each service, each counter, each officer), the trend per day, arrivals per hour,
 * satisfaction with its reasons, and every rating with its dossier code ("mã hồ sơ"). Headers are
 * Vietnamese with the English after a slash.
 *
 * CSV for a Vietnamese Excel: Windows with Vietnamese regional settings writes decimals with ","
 * and so separates list items with ";" (its list separator), and Excel splits a double-clicked
 * CSV by that separator and reads numbers by that decimal mark. So fields are separated by ";"
 * and decimals written "12,5"; UTF-8 with a byte-order mark for the accents. On a PC set to
 * English (United States) formats, open the Excel file (.xlsx), where numbers are numbers under
 * any settings, or import the CSV with ";" as the separator (docs/admin.md).
 */
type Cell = string | number | null;

const SEP = ';';

/**
 * The first 13 columns are those of exports before issue 15, in the same places (a director's
 * spreadsheet formulas keep working); "Số đánh giá" stays at 14, "% hài lòng" replaces the old
 * average score at 15, and the new figures follow.
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
  'Số đánh giá / Answers',
  'Tỷ lệ hài lòng (%) / Satisfied (%)',
  'Hài lòng / Satisfied',
  'Không hài lòng / Dissatisfied',
  'Ưu tiên / Priority',
  'Chuyển đến / Transferred in',
  'Chuyển đi / Transferred out',
  'Chờ mục tiêu (phút) / Target wait (min)',
  'Gọi trong thời gian chờ mục tiêu (%) / Called within target (%)',
];

function cells(scope: string, name: string, r: ReportRow, extra: { in?: number | null; out?: number | null; target?: number | null; within?: number | null } = {}): Cell[] {
  return [
    scope,
    name,
    r.issued,
    r.served,
    r.noShow,
    r.cancelled,
    r.open,
    r.wait.avg,
    r.wait.median,
    r.wait.p90,
    r.service.avg,
    r.service.median,
    r.service.p90,
    r.satisfaction.answers,
    r.satisfaction.percent,
    r.satisfaction.satisfied,
    r.satisfaction.dissatisfied,
    r.priority,
    extra.in ?? null,
    extra.out ?? null,
    extra.target ?? null,
    extra.within ?? null,
  ];
}

export function reportRows(report: Report): Cell[][] {
  return [
    HEAD,
    cells('Toàn trung tâm / Center', `${report.from} → ${report.to}`, report.totals, { within: report.withinTarget.percent }),
    ...report.byService.map((s) =>
      cells('Lĩnh vực / Service', s.name.vi, s, { in: s.transferredIn, out: s.transferredOut, target: s.targetWaitMinutes, within: s.withinTarget?.percent ?? null }),
    ),
    ...report.byCounter.map((c) => cells('Quầy / Counter', c.name, c)),
    ...report.byOfficer.map((o) => cells('Cán bộ / Officer', o.username, o)),
  ];
}

function dayRows(report: Report): Cell[][] {
  return [
    [
      'Ngày / Day',
      'Số phiếu / Tickets',
      'Ưu tiên / Priority',
      'Đã phục vụ / Served',
      'Vắng mặt / No-show',
      'Đã hủy / Cancelled',
      'Chờ TB (phút) / Wait avg (min)',
      'Gọi trong mục tiêu (%) / Within target (%)',
      'Số đánh giá / Answers',
      'Tỷ lệ hài lòng (%) / Satisfied (%)',
    ],
    ...report.byDay.map((d) => [d.day, d.issued, d.priority, d.served, d.noShow, d.cancelled, d.waitAvg, d.withinTarget.percent, d.satisfaction.answers, d.satisfaction.percent]),
  ];
}

function arrivalRows(report: Report): Cell[][] {
  return [['Giờ / Hour', 'Số phiếu / Tickets'], ...report.arrivalsByHour.map((n, h) => [`${String(h).padStart(2, '0')}:00`, n])];
}

function satisfactionRows(report: Report): Cell[][] {
  const s = report.satisfaction;
  return [
    ['Mức / Level', 'Số lượt / Answers', 'Tỷ lệ (%) / Share (%)'],
    ...RATING_LEVELS.map((l) => [`${RATING_LEVEL_TEXT[l].vi} / ${RATING_LEVEL_TEXT[l].en}`, s.levels[l], s.levelPercent[l]]),
    ['Tổng / Total', s.total, s.total ? 100 : null],
    ['Tỷ lệ hài lòng (Rất hài lòng + Hài lòng) / Satisfied', s.satisfied, s.percentSatisfied],
    [],
    ['Lý do không hài lòng / Reason', 'Số lượt / Answers'],
    ...RATING_REASONS.map((r) => [`${RATING_REASON_TEXT[r].vi} / ${RATING_REASON_TEXT[r].en}`, s.reasons[r]]),
  ];
}

const SOURCE: Record<RatingListRow['source'], string> = { tablet: 'Máy đánh giá tại quầy', phone: 'Điện thoại', admin: 'Quản trị viên' };

/** One row per rating, with its dossier code: what Decision 766 reporting asks for. */
export function ratingRows(ratings: RatingListRow[], timeZone: string): Cell[][] {
  return [
    [
      'Ngày / Day',
      'Thời điểm / At',
      'Số phiếu / Ticket',
      'Lĩnh vực / Service',
      'Quầy / Counter',
      'Cán bộ / Officer',
      'Thang (mức) / Scale',
      'Mức đánh giá / Level',
      'Hài lòng / Satisfied',
      'Lý do / Reason',
      'Mã hồ sơ / Dossier code',
      'Nguồn / Source',
    ],
    ...ratings.map((r) => {
      const level = ratingLevelOf(r.scale, r.score) as RatingLevel;
      const at = toIsoWithOffset(r.at, timeZone);
      return [
        r.businessDay,
        `${at.slice(0, 10)} ${at.slice(11, 19)}`,
        r.ticketNumber,
        r.serviceVi ?? '',
        r.counterNumber === null ? '' : String(r.counterNumber),
        r.officer ?? '',
        r.scale,
        RATING_LEVEL_TEXT[level].vi,
        isSatisfied(level) ? 'Có' : 'Không',
        r.reason ? RATING_REASON_TEXT[r.reason].vi : '',
        r.dossierCode ?? '',
        SOURCE[r.source],
      ];
    }),
  ];
}

/** What a reader must know to read the figures right. */
function noteRows(report: Report): Cell[][] {
  const notes: string[] = [];
  if (report.withinTarget.excluded.length) {
    notes.push(`Không tính vào tỷ lệ gọi trong thời gian chờ mục tiêu (chưa đặt mục tiêu): ${report.withinTarget.excluded.map((s) => s.name.vi).join(', ')}.`);
  }
  if (report.balance.note) notes.push(report.balance.note.vi);
  else notes.push('Mỗi lĩnh vực: số phiếu + chuyển đến − chuyển đi = đã phục vụ + vắng mặt + đã hủy + chưa xong.');
  return [['Ghi chú / Notes'], ...notes.map((n) => [n])];
}

/**
 * One CSV field. A text that a spreadsheet would read as a formula (it starts with =, +, -, @, a
 * tab or a carriage return: a service, counter or user name is typed by people) gets a leading
 * apostrophe, OWASP's advice against CSV injection: Excel and LibreOffice then show it as text.
 * Only text: a number stays a number, negative or not, with "," as its decimal mark. Fields
 * holding a quote, a comma, a semicolon, a tab or a line break are quoted, so no separator can
 * start a new cell that begins with a formula.
 */
export function csvField(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c).replace('.', ',') : '';
  const s = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
  return /[",;\t\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark, so Excel shows the Vietnamese letters right; ";" between fields. */
export function reportCsv(report: Report, ratings: RatingListRow[]): string {
  const sections = [reportRows(report), dayRows(report), arrivalRows(report), satisfactionRows(report), ratingRows(ratings, report.timeZone), noteRows(report)];
  const lines = sections.flatMap((rows, i) => (i === 0 ? rows : [[], ...rows])).map((r) => r.map(csvField).join(SEP));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** One sheet as the workbook writer takes it: plain cells, the first row in bold. */
interface SheetSpec {
  sheet: string;
  rows: Cell[][];
  columns?: { width: number }[];
  sticky?: boolean;
}

function workbook(report: Report, ratings: RatingListRow[]): SheetSpec[] {
  return [
    { sheet: 'Tổng hợp', rows: reportRows(report), sticky: true, columns: HEAD.map((_, i) => ({ width: i < 2 ? 28 : 14 })) },
    { sheet: 'Theo ngày', rows: dayRows(report), sticky: true, columns: [{ width: 12 }, ...Array.from({ length: 9 }, () => ({ width: 14 }))] },
    { sheet: 'Theo giờ', rows: arrivalRows(report), sticky: true },
    { sheet: 'Hài lòng', rows: satisfactionRows(report), sticky: true, columns: [{ width: 48 }, { width: 14 }, { width: 14 }] },
    {
      sheet: 'Đánh giá',
      rows: ratingRows(ratings, report.timeZone),
      sticky: true,
      columns: [{ width: 12 }, { width: 20 }, { width: 10 }, { width: 24 }, { width: 8 }, { width: 14 }, { width: 8 }, { width: 20 }, { width: 10 }, { width: 20 }, { width: 28 }, { width: 22 }],
    },
    { sheet: 'Ghi chú', rows: noteRows(report), columns: [{ width: 120 }] },
  ];
}

const OPTIONS = { fontFamily: 'Arial', fontSize: 11 };

// The workbook writer is loaded at the first Excel export (issue 14: a server that never exports
// does not hold it in memory).
type WriteExcelFile = typeof writeExcelFileType;

/**
 * Writes the workbook; the same function runs in a worker thread for large exports (below), so it
 * is also given as source text and must use only its arguments.
 */
function writeWorkbook(write: WriteExcelFile, specs: SheetSpec[], options: typeof OPTIONS): Promise<Buffer> {
  // No named inner functions: a transpiler may wrap those in helpers the worker does not have.
  return write(
    specs.map((s) => ({
      // An empty cell's value is undefined, not null: the writer's cell objects take no null (it
      // writes both as an empty cell).
      data: s.rows.map((r, i) => r.map((c) => (i === 0 ? { value: c ?? undefined, fontWeight: 'bold' as const } : { value: c ?? undefined }))),
      sheet: s.sheet,
      ...(s.sticky ? { stickyRowsCount: 1 } : {}),
      ...(s.columns ? { columns: s.columns } : {}),
    })),
    options,
  ).toBuffer();
}

/**
 * Rows of a workbook written on the request's own thread. The writer costs about 0.1 ms a row
 * (write-excel-file builds the sheet XML and zips it in one go), so a year with every rating (a
 * busy center: 70,000 ratings) would hold the server's one thread for seconds, and with it every
 * kiosk and counter. Larger workbooks are written in a worker thread: only copying the rows to it
 * happens here.
 */
export const XLSX_INLINE_ROWS = 3000;

export async function reportXlsx(report: Report, ratings: RatingListRow[], inlineRows = XLSX_INLINE_ROWS): Promise<Buffer> {
  const specs = workbook(report, ratings);
  const rows = specs.reduce((n, s) => n + s.rows.length, 0);
  if (rows <= inlineRows) return writeWorkbook((await import('write-excel-file/node')).default, specs, OPTIONS);
  return inWorker(specs);
}

/**
 * The worker loads write-excel-file by its resolved path (the same copy as here) and runs
 * `writeWorkbook` from its source text, so there is no separate worker file to build or copy:
 * it works the same from the TypeScript sources (tests) and from dist/.
 */
function inWorker(specs: SheetSpec[]): Promise<Buffer> {
  const lib = createRequire(import.meta.url).resolve('write-excel-file/node');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { pathToFileURL } = require('node:url');
    const writeWorkbook = ${writeWorkbook.toString()};
    import(pathToFileURL(workerData.lib).href)
      .then((m) => writeWorkbook(typeof m.default === 'function' ? m.default : m.default.default, workerData.specs, workerData.options))
      .then((buf) => {
        const out = new Uint8Array(buf.byteLength);
        out.set(buf);
        parentPort.postMessage({ ok: true, bytes: out }, [out.buffer]);
      })
      .catch((e) => parentPort.postMessage({ ok: false, error: String((e && e.stack) || e) }));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { lib, specs, options: OPTIONS } });
    worker.once('message', (m: { ok: true; bytes: Uint8Array } | { ok: false; error: string }) => {
      if (m.ok) resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      else reject(new Error(`Excel export failed: ${m.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`Excel export worker exited with ${code}`)));
  });
}
