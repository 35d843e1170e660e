import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * A small history written straight into SQLite (as scripts/seed-history does), with figures
 * computed by hand below. Times are Vietnam local (+07:00). Services: 1 land, 2 civil status.
 * Counters 1 (canbo1), 2 (canbo2).
 *
 * Day 2026-11-20:
 *  A land     08:00 issued, 08:10 called c1, 08:30 done      wait 10, service 20, rated 4
 *  B land     08:05 issued, 08:35 called c1, 08:45 done      wait 30, service 10, rated 2
 *  C land     09:00 issued, 09:20 called c1, no-show         wait 20
 *  D civil    09:10 issued, cancelled (not printed)
 *  E land->civil (transferred) 10:00 issued, called c2 at 10:40 in civil, done 10:50: wait 40, service 10, rated 3
 *  F civil    23:55 issued, 00:05 (next day) called c2, 00:15 done: wait 10, service 10  (spans midnight)
 * Day 2026-11-21:
 *  G civil    08:00 issued, 08:04 called c2, 08:10 done      wait 4, service 6
 */
const clock = manualClock(Date.parse('2026-11-22T08:00:00+07:00'));
let s: TestServer;
let canbo1 = 0;
let canbo2 = 0;

const t = (local: string) => Date.parse(`${local}+07:00`);
beforeAll(async () => {
  s = await startTestServer({ clock });
  const users = s.server.ctx.repos.users;
  canbo1 = users.byUsername('canbo1')!.id;
  canbo2 = users.byUsername('canbo2')!.id;
  const ins = s.db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, no_show_at, cancel_reason, counter_id, officer_id)
     VALUES (@id, @day, @svc, @issueSvc, @seq, @number, 0, @status, @issued, @issued, @called, @done, @noShow, @reason, @counter, @officer)`,
  );
  const rate = s.db.prepare('INSERT INTO ratings (ticket_id, counter_id, officer_id, score, at) VALUES (?, ?, ?, ?, ?)');
  const rows = [
    { id: 'A'.repeat(22), day: '2026-11-20', svc: 1, issueSvc: 1, seq: 1, status: 'done', issued: t('2026-11-20T08:00'), called: t('2026-11-20T08:10'), done: t('2026-11-20T08:30'), counter: 1, officer: canbo1 },
    { id: 'B'.repeat(22), day: '2026-11-20', svc: 1, issueSvc: 1, seq: 2, status: 'done', issued: t('2026-11-20T08:05'), called: t('2026-11-20T08:35'), done: t('2026-11-20T08:45'), counter: 1, officer: canbo1 },
    { id: 'C'.repeat(22), day: '2026-11-20', svc: 1, issueSvc: 1, seq: 3, status: 'no_show', issued: t('2026-11-20T09:00'), called: t('2026-11-20T09:20'), noShow: t('2026-11-20T09:25'), counter: 1, officer: canbo1 },
    { id: 'D'.repeat(22), day: '2026-11-20', svc: 2, issueSvc: 2, seq: 1, status: 'cancelled', issued: t('2026-11-20T09:10'), reason: 'not_printed' },
    { id: 'E'.repeat(22), day: '2026-11-20', svc: 2, issueSvc: 1, seq: 4, status: 'done', issued: t('2026-11-20T10:00'), called: t('2026-11-20T10:40'), done: t('2026-11-20T10:50'), counter: 2, officer: canbo2 },
    { id: 'F'.repeat(22), day: '2026-11-20', svc: 2, issueSvc: 2, seq: 2, status: 'done', issued: t('2026-11-20T23:55'), called: t('2026-11-21T00:05'), done: t('2026-11-21T00:15'), counter: 2, officer: canbo2 },
    { id: 'G'.repeat(22), day: '2026-11-21', svc: 2, issueSvc: 2, seq: 1, status: 'done', issued: t('2026-11-21T08:00'), called: t('2026-11-21T08:04'), done: t('2026-11-21T08:10'), counter: 2, officer: canbo2 },
  ];
  for (const r of rows) {
    ins.run({ called: null, done: null, noShow: null, reason: null, counter: null, officer: null, number: `${r.svc}00${r.seq}`, ...r });
  }
  rate.run('A'.repeat(22), 1, canbo1, 4, t('2026-11-20T08:31'));
  rate.run('B'.repeat(22), 1, canbo1, 2, t('2026-11-20T08:46'));
  rate.run('E'.repeat(22), 2, canbo2, 3, t('2026-11-20T10:51'));
});
afterAll(() => s.close());

const report = (from: string, to: string) => s.api('GET', `/admin/reports?from=${from}&to=${to}`, { token: s.adminToken });

describe('reports', () => {
  it('counts and times one day by hand-computed figures', async () => {
    const r = (await report('2026-11-20', '2026-11-20')).body;
    // Totals: 6 issued; served A B E F; no-show C; cancelled D.
    expect(r.totals).toMatchObject({ issued: 6, served: 4, noShow: 1, cancelled: 1, open: 0 });
    // Waits A10 B30 C20 E40 F10 -> sorted 10 10 20 30 40: avg 22, median 20, p90 = 5th = 40.
    expect(r.totals.wait).toEqual({ count: 5, avg: 22, median: 20, p90: 40 });
    // Services A20 B10 E10 F10 -> 10 10 10 20: avg 12.5, median 10, p90 = 4th = 20.
    expect(r.totals.service).toEqual({ count: 4, avg: 12.5, median: 10, p90: 20 });
    expect(r.totals.ratings).toEqual({ count: 3, average: 3 });

    const land = r.byService.find((x: any) => x.code === 'land');
    const civil = r.byService.find((x: any) => x.code === 'civil-status');
    // Issued where taken: land A B C E = 4; civil D F = 2. Outcomes where ended: E counts in civil.
    expect(land).toMatchObject({ issued: 4, served: 2, noShow: 1, cancelled: 0 });
    expect(land.wait).toEqual({ count: 3, avg: 20, median: 20, p90: 30 });
    expect(civil).toMatchObject({ issued: 2, served: 2, noShow: 0, cancelled: 1 });
    expect(civil.wait).toEqual({ count: 2, avg: 25, median: 25, p90: 40 });

    const c1 = r.byCounter.find((x: any) => x.number === 1);
    expect(c1).toMatchObject({ served: 2, noShow: 1, ratings: { count: 2, average: 3 } });
    expect(c1.service).toEqual({ count: 2, avg: 15, median: 15, p90: 20 });
    const o2 = r.byOfficer.find((x: any) => x.username === 'canbo2');
    expect(o2).toMatchObject({ served: 2, ratings: { count: 1, average: 3 } });

    // Arrivals by local hour: 08 x2, 09 x2, 10 x1, 23 x1.
    const hours = Object.fromEntries(r.arrivalsByHour.map((n: number, h: number) => [h, n]).filter(([, n]: number[]) => (n ?? 0) > 0));
    expect(hours).toEqual({ 8: 2, 9: 2, 10: 1, 23: 1 });
    expect(r.satisfaction).toEqual({ total: 3, counts: { 4: 1, 3: 1, 2: 1, 1: 0 }, percent: { 4: 33.4, 3: 33.3, 2: 33.3, 1: 0 } });
  });

  it('keeps the ticket that spans midnight on the day it was issued', async () => {
    const next = (await report('2026-11-21', '2026-11-21')).body;
    expect(next.totals).toMatchObject({ issued: 1, served: 1 });
    expect(next.totals.wait.avg).toBe(4);
    const both = (await report('2026-11-20', '2026-11-21')).body;
    expect(both.totals.issued).toBe(7);
  });

  it('exports the same figures as CSV and as an Excel workbook', async () => {
    const csv = await fetch(`${s.url}/api/v1/admin/reports.csv?from=2026-11-20&to=2026-11-20`, { headers: { authorization: `Bearer ${s.adminToken}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel then reads UTF-8
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toContain('Số phiếu / Tickets');
    expect(lines[1]!.split(',').slice(2, 10)).toEqual(['6', '4', '1', '1', '0', '22', '20', '40']);
    expect(lines.find((l) => l.startsWith('Lĩnh vực / Service,Đất đai'))).toBeDefined();

    const x = await fetch(`${s.url}/api/v1/admin/reports.xlsx?from=2026-11-20&to=2026-11-20`, { headers: { authorization: `Bearer ${s.adminToken}` } });
    expect(x.status).toBe(200);
    const buf = Buffer.from(await x.arrayBuffer());
    const sheets = await readXlsxFile(buf);
    const summary = sheets.find((sh: any) => sh.sheet === 'Tổng hợp')!.data as unknown[][];
    expect(summary[1]!.slice(2, 10)).toEqual([6, 4, 1, 1, 0, 22, 20, 40]);
    const hours = sheets.find((sh: any) => sh.sheet === 'Theo giờ')!.data as unknown[][];
    expect(hours[9]).toEqual(['08:00', 2]);
  });

  it('sums each closed day once and reads the same figures back; a late rating re-sums its day', async () => {
    const stored = () => (s.db.prepare('SELECT business_day AS d, COUNT(*) AS n FROM report_daily GROUP BY business_day').all() as { d: string }[]).map((r) => r.d);
    const first = (await report('2026-11-20', '2026-11-21')).body;
    expect(stored()).toEqual(['2026-11-20', '2026-11-21']);
    const again = (await report('2026-11-20', '2026-11-21')).body;
    expect(again).toEqual(first);
    // Today (2026-11-22) is always summed live, never stored.
    await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
    expect((await report('2026-11-22', '2026-11-22')).body.totals.issued).toBe(1);
    expect(stored()).not.toContain('2026-11-22');
    // A citizen rates a ticket served at 23:58 the day before, at 00:05: that closed day's sums
    // are dropped in the same transaction and the next report includes the rating.
    s.db
      .prepare(
        `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, counter_id, officer_id)
         VALUES (?, '2026-11-21', 2, 2, 9, '2009', 0, 'done', ?, ?, ?, ?, 2, ?)`,
      )
      .run('H'.repeat(22), t('2026-11-21T23:40'), t('2026-11-21T23:40'), t('2026-11-21T23:50'), t('2026-11-21T23:58'), canbo2);
    const saved = clock.now();
    clock.set(t('2026-11-22T00:05'));
    s.db.prepare('DELETE FROM report_daily').run();
    expect((await report('2026-11-21', '2026-11-21')).body.totals.issued).toBe(2);
    expect(stored()).toContain('2026-11-21');
    const rated = await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: 'H'.repeat(22), score: 1 } });
    expect(rated.status).toBe(201);
    expect(stored()).not.toContain('2026-11-21');
    const after = (await report('2026-11-21', '2026-11-21')).body;
    expect(after.satisfaction.counts['1']).toBe(1);
    clock.set(saved);
  });

  it('refuses bad ranges and non-admins', async () => {
    expect((await report('2026-11-21', '2026-11-20')).status).toBe(400);
    expect((await report('2025-01-01', '2026-11-20')).status).toBe(400);
    expect((await report('yesterday', '2026-11-20')).status).toBe(400);
    const officer = await s.login('canbo1');
    expect((await s.api('GET', '/admin/reports?from=2026-11-20&to=2026-11-20', { token: officer })).status).toBe(403);
  });
});
