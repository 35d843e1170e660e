import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * A small history written straight into SQLite (as scripts/seed-history does), with figures
 * computed by hand below. Times are Vietnam local (+07:00). Services: 1 land (target wait 20 min),
 * 2 civil status (no target), 3 certification (target 15 min). Counters 1 (canbo1), 2 (canbo2).
 * Ratings are given on three scales: 3 levels (3 RHL, 2 HL, 1 KHL), 5 levels (5 RHL, 4 HL, 3 BT,
 * 2 KHL, 1 RKHL) and the 4 levels of before issue 15 (4 RHL, 3 HL, 2 BT, 1 KHL).
 *
 * Day 2026-11-20:
 *  A land  P  08:00 issued, 08:10 called c1, 08:30 done     wait 10, service 20; 3-scale 3 (RHL), dossier H29.22.10-241120-0001
 *  B land     08:05 issued, 08:35 called c1, 08:45 done     wait 30, service 10; 3-scale 1 (KHL) waiting time, phone, dossier 000.00.31.H29-241120-0002
 *  C land  P  09:00 issued, 09:20 called c1, no-show        wait 20
 *  D civil    09:10 issued, cancelled (not printed)
 *  E land->civil (transferred) 10:00 issued, called c2 at 10:40 in civil, done 10:50: wait 40, service 10; 5-scale 2 (KHL) attitude
 *  F civil    23:55 issued, 00:05 (next day) called c2, 00:15 done: wait 10, service 10 (spans midnight); 5-scale 5 (RHL)
 *  K cert  P  11:00 issued, 11:15 called c2, 11:20 done     wait 15, service 5; 5-scale 3 (BT), dossier STP-0007
 * Day 2026-11-21:
 *  G civil    08:00 issued, 08:04 called c2, 08:10 done     wait 4, service 6; 4-scale 2 (BT)
 */
const clock = manualClock(Date.parse('2026-11-22T08:00:00+07:00'));
let s: TestServer;
let canbo1 = 0;
let canbo2 = 0;

const t = (local: string) => Date.parse(`${local}+07:00`);
const id = (c: string) => c.repeat(22);
beforeAll(async () => {
  s = await startTestServer({ clock });
  const users = s.server.ctx.repos.users;
  canbo1 = users.byUsername('canbo1')!.id;
  canbo2 = users.byUsername('canbo2')!.id;
  for (const [sid, targetWaitMinutes] of [
    [1, 20],
    [2, null],
    [3, 15],
  ] as const) {
    expect((await s.api('PATCH', `/admin/services/${sid}`, { token: s.adminToken, body: { targetWaitMinutes } })).status).toBe(200);
  }
  const ins = s.db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, no_show_at, cancel_reason, counter_id, officer_id, dossier_code)
     VALUES (@id, @day, @svc, @issueSvc, @seq, @number, @priority, @status, @issued, @issued, @called, @done, @noShow, @reason, @counter, @officer, @dossier)`,
  );
  const rate = s.db.prepare('INSERT INTO ratings (ticket_id, counter_id, officer_id, scale, score, reason, source, at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const rows = [
    { id: id('A'), day: '2026-11-20', svc: 1, issueSvc: 1, seq: 1, priority: 1, status: 'done', issued: t('2026-11-20T08:00'), called: t('2026-11-20T08:10'), done: t('2026-11-20T08:30'), counter: 1, officer: canbo1, dossier: 'H29.22.10-241120-0001' },
    { id: id('B'), day: '2026-11-20', svc: 1, issueSvc: 1, seq: 2, status: 'done', issued: t('2026-11-20T08:05'), called: t('2026-11-20T08:35'), done: t('2026-11-20T08:45'), counter: 1, officer: canbo1, dossier: '000.00.31.H29-241120-0002' },
    { id: id('C'), day: '2026-11-20', svc: 1, issueSvc: 1, seq: 3, priority: 1, status: 'no_show', issued: t('2026-11-20T09:00'), called: t('2026-11-20T09:20'), noShow: t('2026-11-20T09:25'), counter: 1, officer: canbo1 },
    { id: id('D'), day: '2026-11-20', svc: 2, issueSvc: 2, seq: 1, status: 'cancelled', issued: t('2026-11-20T09:10'), reason: 'not_printed' },
    { id: id('E'), day: '2026-11-20', svc: 2, issueSvc: 1, seq: 4, status: 'done', issued: t('2026-11-20T10:00'), called: t('2026-11-20T10:40'), done: t('2026-11-20T10:50'), counter: 2, officer: canbo2 },
    { id: id('F'), day: '2026-11-20', svc: 2, issueSvc: 2, seq: 2, status: 'done', issued: t('2026-11-20T23:55'), called: t('2026-11-21T00:05'), done: t('2026-11-21T00:15'), counter: 2, officer: canbo2 },
    { id: id('K'), day: '2026-11-20', svc: 3, issueSvc: 3, seq: 1, priority: 1, status: 'done', issued: t('2026-11-20T11:00'), called: t('2026-11-20T11:15'), done: t('2026-11-20T11:20'), counter: 2, officer: canbo2, dossier: 'STP-0007' },
    { id: id('G'), day: '2026-11-21', svc: 2, issueSvc: 2, seq: 1, status: 'done', issued: t('2026-11-21T08:00'), called: t('2026-11-21T08:04'), done: t('2026-11-21T08:10'), counter: 2, officer: canbo2 },
  ];
  for (const r of rows) {
    ins.run({ priority: 0, called: null, done: null, noShow: null, reason: null, counter: null, officer: null, dossier: null, number: `${r.svc}00${r.seq}`, ...r });
  }
  rate.run(id('A'), 1, canbo1, 3, 3, null, 'tablet', t('2026-11-20T08:31'), null);
  rate.run(id('B'), 1, canbo1, 3, 1, 'waiting_time', 'phone', t('2026-11-20T08:50'), t('2026-11-20T09:00'));
  rate.run(id('E'), 2, canbo2, 5, 2, 'attitude', 'tablet', t('2026-11-20T10:51'), t('2026-11-20T11:00'));
  rate.run(id('F'), 2, canbo2, 5, 5, null, 'tablet', t('2026-11-21T00:16'), null);
  rate.run(id('K'), 2, canbo2, 5, 3, null, 'tablet', t('2026-11-20T11:21'), null);
  rate.run(id('G'), 2, canbo2, 4, 2, null, 'tablet', t('2026-11-21T08:11'), null);
});
afterAll(() => s.close());

const report = (from: string, to: string) => s.api('GET', `/admin/reports?from=${from}&to=${to}`, { token: s.adminToken });
const download = (ext: string, from: string, to: string) => fetch(`${s.url}/api/v1/admin/reports.${ext}?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${s.adminToken}` } });

describe('reports', () => {
  it('counts and times one day by hand-computed figures', async () => {
    const r = (await report('2026-11-20', '2026-11-20')).body;
    // Totals: 7 issued (3 priority: A C K); served A B E F K; no-show C; cancelled D.
    expect(r.totals).toMatchObject({ issued: 7, priority: 3, served: 5, noShow: 1, cancelled: 1, open: 0 });
    // Waits A10 B30 C20 E40 F10 K15 -> sorted 10 10 15 20 30 40: avg 125/6 = 20.8, median (15+20)/2, p90 = 6th = 40.
    expect(r.totals.wait).toEqual({ count: 6, avg: 20.8, median: 17.5, p90: 40 });
    // Services A20 B10 E10 F10 K5 -> 5 10 10 10 20: avg 11, median 10, p90 = 5th = 20.
    expect(r.totals.service).toEqual({ count: 5, avg: 11, median: 10, p90: 20 });

    const land = r.byService.find((x: any) => x.code === 'land');
    const civil = r.byService.find((x: any) => x.code === 'civil-status');
    const cert = r.byService.find((x: any) => x.code === 'certification');
    // Issued where taken: land A B C E = 4 (priority A C); civil D F = 2; cert K = 1. Outcomes where
    // ended: E counts in civil, and is land's transfer out and civil's transfer in.
    expect(land).toMatchObject({ issued: 4, priority: 2, transferredOut: 1, transferredIn: 0, served: 2, noShow: 1, cancelled: 0, open: 0 });
    expect(civil).toMatchObject({ issued: 2, priority: 0, transferredOut: 0, transferredIn: 1, served: 2, noShow: 0, cancelled: 1, open: 0 });
    expect(cert).toMatchObject({ issued: 1, priority: 1, transferredOut: 0, transferredIn: 0, served: 1 });
    // Each row balances: issued + in - out = served + no-show + cancelled + open.
    for (const x of r.byService) expect(x.issued + x.transferredIn - x.transferredOut).toBe(x.served + x.noShow + x.cancelled + x.open);
    expect(r.balance).toEqual({ balanced: true, note: null });
    expect(land.wait).toEqual({ count: 3, avg: 20, median: 20, p90: 30 });
    expect(civil.wait).toEqual({ count: 2, avg: 25, median: 25, p90: 40 });

    // Within target: land (20 min) A10 yes, C20 yes (at most), B30 no -> 2 of 3 = 66.7 %; cert
    // (15 min) K15 yes -> 100 %; civil has no target: left out, and named. Total 3 of 4 = 75 %.
    expect(land.withinTarget).toEqual({ called: 3, within: 2, percent: 66.7 });
    expect(land.targetWaitMinutes).toBe(20);
    expect(cert.withinTarget).toEqual({ called: 1, within: 1, percent: 100 });
    expect(civil.withinTarget).toBeNull();
    expect(r.withinTarget).toEqual({ called: 4, within: 3, percent: 75, excluded: [{ serviceId: 2, code: 'civil-status', name: { vi: 'Hộ tịch', en: 'Civil status' } }] });

    // % hài lòng: answers A B E F K = 5; satisfied A (RHL of 3) and F (RHL of 5) = 2; dissatisfied
    // B (KHL of 3) and E (KHL of 5) = 2; K is Bình thường: 2 / 5 = 40 %.
    expect(r.totals.satisfaction).toEqual({ answers: 5, satisfied: 2, dissatisfied: 2, percent: 40 });
    expect(land.satisfaction).toEqual({ answers: 2, satisfied: 1, dissatisfied: 1, percent: 50 });
    expect(civil.satisfaction).toEqual({ answers: 2, satisfied: 1, dissatisfied: 1, percent: 50 });
    expect(cert.satisfaction).toEqual({ answers: 1, satisfied: 0, dissatisfied: 0, percent: 0 });

    const c1 = r.byCounter.find((x: any) => x.number === 1);
    expect(c1).toMatchObject({ issued: 3, priority: 2, served: 2, noShow: 1, satisfaction: { answers: 2, satisfied: 1, percent: 50 } });
    expect(c1.service).toEqual({ count: 2, avg: 15, median: 15, p90: 20 });
    const o2 = r.byOfficer.find((x: any) => x.username === 'canbo2');
    // E (KHL), F (RHL), K (BT): 1 of 3 = 33.3 %.
    expect(o2).toMatchObject({ issued: 3, priority: 1, served: 3, satisfaction: { answers: 3, satisfied: 1, dissatisfied: 1, percent: 33.3 } });

    // Arrivals by local hour: 08 x2, 09 x2, 10 x1, 11 x1, 23 x1.
    const hours = Object.fromEntries(r.arrivalsByHour.map((n: number, h: number) => [h, n]).filter(([, n]: number[]) => (n ?? 0) > 0));
    expect(hours).toEqual({ 8: 2, 9: 2, 10: 1, 11: 1, 23: 1 });
    expect(r.satisfaction).toEqual({
      total: 5,
      satisfied: 2,
      dissatisfied: 2,
      percentSatisfied: 40,
      levels: { very_satisfied: 2, satisfied: 0, neutral: 1, dissatisfied: 2, very_dissatisfied: 0 },
      levelPercent: { very_satisfied: 40, satisfied: 0, neutral: 20, dissatisfied: 40, very_dissatisfied: 0 },
      reasons: { attitude: 1, waiting_time: 1, unclear_guidance: 0, other: 0 },
      byScale: { 3: 2, 4: 0, 5: 3 },
      counts: { 4: 2, 3: 0, 2: 1, 1: 2 },
      percent: { 4: 40, 3: 0, 2: 20, 1: 40 },
    });
    // The average of before issue 15 is over 4-level answers only: there are none this day.
    expect(r.totals.ratings).toEqual({ count: 5, average: null });
    expect(r.legacyDays).toEqual([]);
  });

  it('gives % hài lòng on a 3- and a 5-level scale alike, and a trend per day', async () => {
    const r = (await report('2026-11-20', '2026-11-21')).body;
    // 3 levels: A RHL, B KHL -> 1 of 2. 5 levels: E KHL, F RHL, K BT -> 1 of 3. 4 levels: G BT -> 0 of 1.
    // All six: 2 of 6 = 33.3 %.
    expect(r.satisfaction).toMatchObject({ total: 6, satisfied: 2, percentSatisfied: 33.3, byScale: { 3: 2, 4: 1, 5: 3 } });
    expect(r.totals.ratings).toEqual({ count: 6, average: 2 });
    expect(r.byDay).toEqual([
      {
        day: '2026-11-20',
        issued: 7,
        served: 5,
        noShow: 1,
        cancelled: 1,
        priority: 3,
        waitAvg: 20.8,
        withinTarget: { called: 4, within: 3, percent: 75 },
        satisfaction: { answers: 5, satisfied: 2, dissatisfied: 2, percent: 40 },
      },
      {
        day: '2026-11-21',
        issued: 1,
        served: 1,
        noShow: 0,
        cancelled: 0,
        priority: 0,
        waitAvg: 4,
        // G is civil status: no target, nothing counted.
        withinTarget: { called: 0, within: 0, percent: null },
        satisfaction: { answers: 1, satisfied: 0, dissatisfied: 0, percent: 0 },
      },
    ]);
  });

  it('keeps the ticket that spans midnight on the day it was issued', async () => {
    const next = (await report('2026-11-21', '2026-11-21')).body;
    expect(next.totals).toMatchObject({ issued: 1, served: 1 });
    expect(next.totals.wait.avg).toBe(4);
    const both = (await report('2026-11-20', '2026-11-21')).body;
    expect(both.totals.issued).toBe(8);
  });

  it('exports CSV for a Vietnamese Excel (";" between fields, "," in decimals) with every rating and its dossier code', async () => {
    const csv = await download('csv', '2026-11-20', '2026-11-20');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel then reads UTF-8
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toContain('Số phiếu / Tickets');
    expect(lines[0]!.split(';')).toHaveLength(22);
    // Center (the columns of before issue 15 first, in their places): issued 7, served 5, no-show 1,
    // cancelled 1, open 0, wait 20,8 / 17,5 / 40, service 11 / 10 / 20, 5 answers, 40 % satisfied;
    // then 2 satisfied, 2 dissatisfied, 3 priority, (no transfers or target for the center), 75 %.
    expect(lines[1]!.split(';').slice(2)).toEqual(['7', '5', '1', '1', '0', '20,8', '17,5', '40', '11', '10', '20', '5', '40', '2', '2', '3', '', '', '', '75']);
    const land = lines.find((l) => l.startsWith('Lĩnh vực / Service;Đất đai'))!.split(';');
    expect(land.slice(17)).toEqual(['2', '0', '1', '20', '66,7']);
    // The per-rating section: one line per rating, with its dossier code.
    const head = lines.findIndex((l) => l.startsWith('Ngày / Day;Thời điểm / At'));
    expect(head).toBeGreaterThan(0);
    const ratings = lines.slice(head + 1, head + 6).map((l) => l.split(';'));
    expect(ratings.map((r) => r[2])).toEqual(['1001', '1002', '2004', '3001', '2002']); // in rating time order
    expect(ratings[1]).toEqual(['2026-11-20', '2026-11-20 08:50:00', '1002', 'Đất đai', '1', 'canbo1', '3', 'Không hài lòng', 'Không', 'Thời gian chờ', '000.00.31.H29-241120-0002', 'Điện thoại']);
    expect(ratings[0]![10]).toBe('H29.22.10-241120-0001');
    expect(ratings[3]).toEqual(['2026-11-20', '2026-11-20 11:21:00', '3001', 'Chứng thực', '2', 'canbo2', '5', 'Bình thường', 'Không', '', 'STP-0007', 'Máy đánh giá tại quầy']);
    expect(lines.some((l) => l.includes('Không tính vào tỷ lệ gọi trong thời gian chờ mục tiêu (chưa đặt mục tiêu): Hộ tịch.'))).toBe(true);
  });

  it('exports an Excel workbook with numbers as numbers and a sheet of ratings with dossier codes', async () => {
    const x = await download('xlsx', '2026-11-20', '2026-11-20');
    expect(x.status).toBe(200);
    const sheets = await readXlsxFile(Buffer.from(await x.arrayBuffer()));
    const sheet = (name: string) => sheets.find((sh: any) => sh.sheet === name)!.data as unknown[][];
    expect(sheet('Tổng hợp')[1]!.slice(2)).toEqual([7, 5, 1, 1, 0, 20.8, 17.5, 40, 11, 10, 20, 5, 40, 2, 2, 3, null, null, null, 75]);
    expect(sheet('Theo giờ')[9]).toEqual(['08:00', 2]);
    expect(sheet('Theo ngày')[1]).toEqual(['2026-11-20', 7, 3, 5, 1, 1, 20.8, 75, 5, 40]);
    const ratings = sheet('Đánh giá');
    expect(ratings[0]![10]).toBe('Mã hồ sơ / Dossier code');
    expect(ratings.slice(1).map((r) => r[10])).toEqual(['H29.22.10-241120-0001', '000.00.31.H29-241120-0002', null, 'STP-0007', null]);
    expect(ratings[1]![6]).toBe(3); // the scale, a number
    const satisfaction = sheet('Hài lòng');
    expect(satisfaction.find((r) => String(r[0]).startsWith('Tỷ lệ hài lòng'))).toEqual(['Tỷ lệ hài lòng (Rất hài lòng + Hài lòng) / Satisfied', 2, 40]);
  });

  it('sums each closed day once and reads the same figures back; a late rating re-sums its day', async () => {
    const stored = () => (s.db.prepare('SELECT business_day AS d, COUNT(*) AS n FROM report_daily GROUP BY business_day').all() as { d: string }[]).map((r) => r.d);
    const first = (await report('2026-11-20', '2026-11-21')).body;
    expect(stored()).toEqual(['2026-11-20', '2026-11-21']);
    expect((s.db.prepare('SELECT DISTINCT format FROM report_daily').all() as { format: number }[]).map((r) => r.format)).toEqual([2]);
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
      .run(id('H'), t('2026-11-21T23:40'), t('2026-11-21T23:40'), t('2026-11-21T23:50'), t('2026-11-21T23:58'), canbo2);
    const saved = clock.now();
    clock.set(t('2026-11-22T00:05'));
    s.db.prepare('DELETE FROM report_daily').run();
    expect((await report('2026-11-21', '2026-11-21')).body.totals.issued).toBe(2);
    expect(stored()).toContain('2026-11-21');
    const rated = await s.api('POST', '/ratings/answer', { token: s.displayToken, body: { ticketId: id('H'), scale: 3, level: 'dissatisfied' } });
    expect(rated.status).toBe(201);
    expect(stored()).not.toContain('2026-11-21');
    expect((await report('2026-11-21', '2026-11-21')).body.satisfaction.levels.dissatisfied).toBe(1);
    // Its reason, a moment later, re-sums the day again.
    expect(stored()).toContain('2026-11-21');
    expect((await s.api('POST', '/ratings/reason', { token: s.displayToken, body: { ticketId: id('H'), reason: 'unclear_guidance' } })).status).toBe(200);
    expect(stored()).not.toContain('2026-11-21');
    expect((await report('2026-11-21', '2026-11-21')).body.satisfaction.reasons.unclear_guidance).toBe(1);
    clock.set(saved);
  });

  it('reads days summed by an older Luot whose tickets are gone, and says what they lack', async () => {
    // As migration 0008 leaves it: a format-1 row (ratings [c1..c4] on 4 levels), no tickets left.
    const empty = Buffer.alloc(0);
    const hours = Buffer.from(new Int32Array(24).buffer);
    const legacy = s.db.prepare(
      `INSERT INTO report_daily (business_day, scope, key, issued, served, no_show, cancelled, open, ratings, waits, services, arrivals) VALUES ('2026-10-01', ?, ?, 3, ?, 0, 0, 0, ?, ?, ?, ?)`,
    );
    const waits = Buffer.from(new Int32Array([600, 1200, 1800]).buffer);
    legacy.run('total', 0, 3, '[0,0,1,2]', waits, empty, hours);
    legacy.run('service', 1, 3, '[0,0,1,2]', waits, empty, hours);
    legacy.run('issue_service', 1, 0, '[0,0,0,0]', empty, empty, hours);
    const r = (await report('2026-10-01', '2026-10-01')).body;
    expect(r.legacyDays).toEqual(['2026-10-01']);
    expect(r.totals).toMatchObject({ issued: 3, served: 3, priority: null });
    // Score 3 (Hài lòng) once and 4 (Rất hài lòng) twice on 4 levels: 3 of 3 satisfied.
    expect(r.satisfaction).toMatchObject({ total: 3, satisfied: 3, percentSatisfied: 100, byScale: { 3: 0, 4: 3, 5: 0 } });
    // Land's target (20 min): waits 10, 20, 30 -> 2 of 3.
    expect(r.byService[0]).toMatchObject({ code: 'land', issued: 3, priority: null, transferredIn: null, transferredOut: null, withinTarget: { called: 3, within: 2, percent: 66.7 } });
    expect(r.balance.balanced).toBe(false);
    expect(r.balance.note.vi).toContain('1 ngày được tổng hợp bởi phiên bản cũ');
    s.db.prepare(`DELETE FROM report_daily WHERE business_day = '2026-10-01'`).run();
  });

  it('refuses bad ranges and non-admins', async () => {
    expect((await report('2026-11-21', '2026-11-20')).status).toBe(400);
    expect((await report('2025-01-01', '2026-11-20')).status).toBe(400);
    expect((await report('yesterday', '2026-11-20')).status).toBe(400);
    const officer = await s.login('canbo1');
    expect((await s.api('GET', '/admin/reports?from=2026-11-20&to=2026-11-20', { token: officer })).status).toBe(403);
    expect((await s.api('GET', '/admin/reports.csv?from=2026-11-20&to=2026-11-20', { token: officer })).status).toBe(403);
  });
});
