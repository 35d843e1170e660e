import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../server/src/clock.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { createRepos } from '../../server/src/db/repos.js';
import { createShipper, type Shipper } from '../../server/src/province/shipper.js';
import type { Actor } from '../../server/src/queue/actor.js';
import { createQueue } from '../../server/src/queue/queue.js';
import { createReports } from '../../server/src/reports/report.js';
import { FAST } from './helpers/center.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { startProvince, waitFor, type TestProvince } from './helpers/province.js';

/**
 * A province of 65 centers (Lạng Sơn's count) shipping at once to one province service with a
 * pool of 10 connections. Each center is lightweight (its real SQLite database, queue and report,
 * no HTTP server of its own) with a small day: tickets issued, called, served, a no-show. Each
 * ships in batches of at most 20 events here, so the province takes many concurrent batches.
 */
const CENTERS = 65;
let pgs: TestPostgres;
let p: TestProvince;
const root = mkdtempSync(join(tmpdir(), 'luot-65-'));

interface Lite {
  code: string;
  id: number;
  db: Db;
  clock: ReturnType<typeof manualClock>;
  queue: ReturnType<typeof createQueue>;
  report: ReturnType<typeof createReports>;
  shipper: Shipper;
  kiosk: Actor;
  officer: Actor;
  services: number[];
}
const centers: Lite[] = [];

beforeAll(async () => {
  pgs = await startPostgres();
  p = await startProvince(pgs, { poolMax: 10 });
  // One migrated empty database, copied: 65 migrations runs would take most of the test's time.
  const template = join(root, 'template.sqlite');
  openDatabase(template, { check: false }).close();
  for (let i = 0; i < CENTERS; i++) {
    const code = `xa-${String(i + 1).padStart(2, '0')}`;
    const reg = await p.register(code);
    // Each center's clock a few minutes off from the others (and all far from the province's).
    const clock = manualClock(Date.parse('2026-11-20T07:30:00+07:00') + i * 37_000);
    copyFileSync(template, join(root, `${code}.sqlite`));
    const db = openDatabase(join(root, `${code}.sqlite`), { check: false });
    const repos = createRepos(db);
    const now = clock.now();
    const services = [
      { code: 'land', nameVi: 'Đất đai', nameEn: 'Land records', prefix: '1', targetWaitMinutes: 10 },
      { code: 'civil-status', nameVi: 'Hộ tịch', nameEn: 'Civil status', prefix: '2', targetWaitMinutes: null },
    ].map((s, n) => repos.services.create({ ...s, numberWidth: 3, hours: null, dailyLimit: null, defaultServiceMinutes: 10, sortOrder: n, active: true }));
    const counterId = repos.counters.create(1, 'Quầy 1', services);
    const userId = repos.users.create('canbo1', 'not-a-real-hash', 'officer', now);
    const deviceId = repos.devices.create('kiosk', 'Kiosk', now);
    const queue = createQueue({ db, repos, clock, publish: () => undefined });
    const officer: Actor = { kind: 'user', userId, username: 'canbo1', role: 'officer' };
    queue.openCounter(officer, counterId);
    const shipper = createShipper({ db, clock, logger: pino({ level: 'silent' }), url: p.url, key: reg.key, ...FAST, maxEvents: 20 });
    centers.push({ code, id: reg.id, db, clock, queue, report: createReports(db, repos, clock), shipper, kiosk: { kind: 'device', deviceId, name: 'Kiosk', role: 'kiosk' }, officer, services });
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(centers.map((c) => c.shipper.stop()));
  for (const c of centers) c.db.close();
  await p?.stop();
  await pgs?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A few minutes of one center's day. */
function work(c: Lite, n: number) {
  for (let i = 0; i < n; i++) {
    c.clock.advance(45_000);
    c.queue.issueTicket(c.kiosk, { serviceId: c.services[i % 2]!, priority: i % 7 === 0 });
    if (i % 3 === 2) {
      c.clock.advance(60_000);
      const { ticket } = c.queue.callNext(c.officer, 1);
      if (!ticket) continue;
      c.clock.advance(120_000);
      if (i % 9 === 8) c.queue.noShow(c.officer, 1);
      else c.queue.complete(c.officer, 1);
    }
  }
}

describe('65 centers shipping at once', () => {
  it('every center arrives whole, and each center\'s figures equal its own report', async () => {
    for (const c of centers) work(c, 12);
    const t0 = performance.now();
    for (const c of centers) c.shipper.start();
    // The day goes on while they ship: more events land between batches.
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 30));
      for (const c of centers) work(c, 4);
    }
    const caughtUp = () => centers.every((c) => c.shipper.state().state === 'ok' && c.shipper.state().lastAckSeq === c.shipper.state().lastSeq);
    await waitFor('65 centers caught up', caughtUp, 45_000);
    const ms = performance.now() - t0;

    const expected = centers.reduce((n, c) => n + c.shipper.state().lastSeq, 0);
    const held = Number((await p.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    expect(held).toBe(expected);
    const streams = (await p.pool.query('SELECT count(*) AS n FROM center_streams WHERE epoch = 1')).rows[0].n;
    expect(Number(streams)).toBe(CENTERS);

    const figures = await p.server.ctx.figures.report({ from: '2026-11-20', to: '2026-11-20' });
    expect(figures).toHaveLength(CENTERS);
    for (const c of centers) {
      const rep = c.report({ from: '2026-11-20', to: '2026-11-20' }) as any;
      const fig = figures.find((f) => f.centerId === c.id)!;
      expect({ code: c.code, issued: fig.totals.issued, served: fig.totals.served, noShow: fig.totals.noShow, open: fig.totals.open, wait: fig.totals.wait }).toEqual({
        code: c.code,
        issued: rep.totals.issued,
        served: rep.totals.served,
        noShow: rep.totals.noShow,
        open: rep.totals.open,
        wait: rep.totals.wait,
      });
      expect(rep.totals.issued).toBe(24);
    }
    const now = await p.server.ctx.figures.centersNow();
    expect(now.filter((x) => x.heard && x.behindEvents === 0)).toHaveLength(CENTERS);
    // For the record (docs/benchmarks.md has the real benchmark).
    console.log(`65 centers: ${expected} events shipped in ${Math.round(ms)} ms`);
  });
});
