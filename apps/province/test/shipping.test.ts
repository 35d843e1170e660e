import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../server/src/clock.js';
import { createBatchReader } from '../../server/src/province/batch.js';
import { prng, simulate, startCenter, type TestCenter } from './helpers/center.js';
import { expectSameEvents, expectSameFigures, expectSameTickets } from './helpers/compare.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { startProvince, waitFor, type TestProvince } from './helpers/province.js';

/**
 * Real center servers (SQLite, HTTP API, their own manual clocks) ship their event logs over
 * loopback HTTP to the real province service on a real PostgreSQL. The link is cut for most of a
 * day and restored; afterwards every event is at the province once, every ticket as the center
 * holds it, and the province's figures for each center equal the center's own report exactly.
 * The two centers' clocks are far apart and far from the province's (clock skew).
 */
let pgs: TestPostgres;
let p: TestProvince;
const local = (s: string) => Date.parse(`${s}+07:00`);
// Center A lives in November 2026, center B in March 2025: both far from the province's clock.
const clockA = manualClock(local('2026-11-20T07:30:00'));
const clockB = manualClock(local('2025-03-10T07:45:00'));
let a: TestCenter;
let b: TestCenter;

beforeAll(async () => {
  pgs = await startPostgres();
  p = await startProvince(pgs);
  a = await startCenter({ province: p, clock: clockA, code: 'a' });
  b = await startCenter({ province: p, clock: clockB, code: 'b' });
  // A target wait on two services, so "within target" has something to count.
  for (const c of [a, b]) {
    await c.s.api('PATCH', '/admin/services/1', { token: c.s.adminToken, body: { targetWaitMinutes: 10 } });
    await c.s.api('PATCH', '/admin/services/2', { token: c.s.adminToken, body: { targetWaitMinutes: 5 } });
  }
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await p?.stop();
  await pgs?.stop();
});

describe('centers shipping to the province', () => {
  it('a day with the link cut and restored: every event once, figures equal each center report', async () => {
    const rngA = prng(17);
    const rngB = prng(65);
    // Morning with the link up.
    const morningA = await simulate(a, { steps: 15, rng: rngA, advance: (ms) => clockA.advance(ms) });
    await simulate(b, { steps: 8, rng: rngB, advance: (ms) => clockB.advance(ms) });
    await a.caughtUp();
    await b.caughtUp();
    expect(morningA.issued).toBeGreaterThan(10);

    // The province goes away (its service stops) for the rest of the day.
    await p.stop();
    const slowest = { ms: 0 };
    const dayA = await simulate(a, {
      steps: 45,
      rng: rngA,
      advance: (ms) => clockA.advance(ms),
      between: async () => {
        // Issuing never waits on the link.
        const t0 = performance.now();
        const r = await a.s.api('GET', '/services');
        slowest.ms = Math.max(slowest.ms, performance.now() - t0);
        expect(r.status).toBe(200);
      },
    });
    const dayB = await simulate(b, { steps: 25, rng: rngB, advance: (ms) => clockB.advance(ms) });
    expect(dayA.served + dayA.noShows + dayA.transfers).toBeGreaterThan(20);
    expect(dayA.ratings + dayB.ratings).toBeGreaterThan(10);
    expect(dayA.transfers).toBeGreaterThan(0);
    expect(slowest.ms).toBeLessThan(500);
    await waitFor('A sees the link down', () => a.shipper.state().state === 'retrying');
    const down = a.shipper.state();
    expect(down).toMatchObject({ configured: true, state: 'retrying', lastError: { code: 'UNREACHABLE' } });
    expect(down.behindEvents).toBeGreaterThan(50);
    expect(down.nextAttemptAt).not.toBeNull();

    // Past midnight: the day rollover closes what was left (day_ended), a new day starts.
    clockA.set(local('2026-11-21T07:40:00'));
    clockB.set(local('2025-03-11T07:40:00'));
    await simulate(a, { steps: 8, rng: rngA, advance: (ms) => clockA.advance(ms) });
    await simulate(b, { steps: 6, rng: rngB, advance: (ms) => clockB.advance(ms) });

    // The link comes back: both catch up by themselves, in batches, from the province's ackSeq.
    await p.restart();
    await a.caughtUp();
    await b.caughtUp();
    expect(a.shipper.state()).toMatchObject({ state: 'ok', behindEvents: 0 });

    for (const c of [a, b]) {
      await expectSameEvents(c, p);
      await expectSameTickets(c, p);
    }
    await expectSameFigures(a, p, '2026-11-20', '2026-11-20');
    await expectSameFigures(a, p, '2026-11-21', '2026-11-21');
    await expectSameFigures(a, p, '2026-11-01', '2026-11-30');
    await expectSameFigures(b, p, '2025-03-10', '2025-03-11');
    // A center's days are its own (clock skew): B has nothing in A's days and the reverse.
    const [bInA] = await p.server.ctx.figures.report({ from: '2026-11-20', to: '2026-11-21', centerIds: [b.centerId] });
    expect(bInA!.totals.issued).toBe(0);
    const rep = a.s.server.ctx.buildReport({ from: '2026-11-20', to: '2026-11-21' }) as any;
    expect(rep.totals.issued).toBeGreaterThan(50);
    expect(rep.totals.ratings.count).toBeGreaterThan(5);

    // What the province shows of each center now: the center's own clock and day, heard just now
    // by the province's clock, nothing behind.
    const now = await p.server.ctx.figures.centersNow();
    const nb = now.find((x) => x.centerId === b.centerId)!;
    expect(nb).toMatchObject({ heard: true, businessDay: '2025-03-11', timeZone: 'Asia/Ho_Chi_Minh', behindEvents: 0, epoch: 1 });
    expect(Date.parse(nb.reportedAt!)).toBe(clockB.now());
    expect(nb.lastHeardSecondsAgo).toBeLessThan(60);
    expect(Math.abs(Date.parse(nb.lastHeardAt!) - Date.now())).toBeLessThan(60_000);
    const waitingB = (b.s.db.prepare(`SELECT count(*) AS n FROM tickets WHERE status = 'waiting'`).get() as { n: number }).n;
    expect(nb.waiting).toBe(waitingB);
    expect(nb.openCounters).toBe(4);
  });

  it('a re-sent batch and a duplicated request count once', async () => {
    await a.caughtUp();
    const before = await p.server.ctx.figures.report({ from: '2026-11-20', to: '2026-11-21', centerIds: [a.centerId] });
    const events = Number((await p.pool.query('SELECT count(*) AS n FROM events WHERE center_id = $1', [a.centerId])).rows[0].n);
    // The center's first batch, built as the shipper builds it, sent again three times, two at once.
    const { centerUid, epoch } = a.shipper.state();
    const read = createBatchReader(a.s.db).read({ centerUid: centerUid!, epoch: epoch!, ackSeq: 0, ratingCursor: 0, maxEvents: 500, heartbeat: false, now: clockA.now() })!;
    const send = () => p.api('POST', '/api/v1/ingest', { token: a.key, body: read.batch });
    const answers = [await send(), ...(await Promise.all([send(), send()]))];
    for (const r of answers) expect(r.body).toEqual({ centerUid, epoch, ackSeq: a.shipper.state().lastAckSeq });
    expect(Number((await p.pool.query('SELECT count(*) AS n FROM events WHERE center_id = $1', [a.centerId])).rows[0].n)).toBe(events);
    expect(await p.server.ctx.figures.report({ from: '2026-11-20', to: '2026-11-21', centerIds: [a.centerId] })).toEqual(before);
    await expectSameFigures(a, p, '2026-11-20', '2026-11-21');
  });

  it('a rating given after its ticket was shipped still arrives, and the link keeps going', async () => {
    await a.caughtUp();
    const r = await simulate(a, { steps: 6, rng: prng(3), advance: (ms) => clockA.advance(ms), between: () => a.caughtUp() });
    expect(r.ratings).toBeGreaterThan(0);
    await a.caughtUp();
    await expectSameTickets(a, p);
    await expectSameFigures(a, p, '2026-11-21', '2026-11-21');
  });

  it('kick(): a center polling rarely ships at once when told new events were committed', async () => {
    const clock = manualClock(local('2026-11-22T08:00:00'));
    const k = await startCenter({ province: p, clock, code: 'kick', shipper: { pollMs: 600_000, heartbeatMs: 600_000 } });
    try {
      await waitFor('first sync', () => k.shipper.state().state === 'ok');
      const r = await k.s.api('POST', '/tickets', { token: k.s.kioskToken, body: { serviceId: 1 } });
      expect(r.status).toBe(201);
      expect(k.shipper.state().behindEvents).toBeGreaterThan(0);
      k.shipper.kick(); // what server.ts does after each committed action
      await k.caughtUp(5000);
      await expectSameTickets(k, p);
    } finally {
      await k.close();
    }
  });
});
