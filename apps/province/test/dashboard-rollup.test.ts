import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRollup, type Rollup } from '../src/dashboard/rollup.js';
import { createProvinceServer, type ProvinceServer } from '../src/server.js';
import { daysFrom, registerCenter, ship, simulateCenter, type SimCenter, type SimEvent } from './dashboard-fixtures.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

/**
 * The dashboard reads figures from the daily rollup (src/dashboard/rollup.ts); they must equal the
 * live figures (src/figures.ts, the center report's definitions) for any range, at any moment:
 * before and after compaction, after late changes to compacted days, and with compaction running
 * while centers ship.
 */
const ADMIN = 'a'.repeat(40);
let pgs: TestPostgres;
let pool: pg.Pool;
let province: ProvinceServer;
let rollup: Rollup;
const centers: { c: SimCenter; events: SimEvent[] }[] = [];
const DAYS = daysFrom('2026-03-02', 6);

beforeAll(async () => {
  pgs = await startPostgres();
  pool = await pgs.freshDatabase();
  province = await createProvinceServer({ pool, adminToken: ADMIN });
  rollup = createRollup(pool, { chunk: 4 });
  for (let i = 0; i < 3; i++) {
    const c = await registerCenter(province.app, ADMIN, `C${i + 1}`, `Trung tâm ${i + 1}`);
    // The last center ships nothing: it must still be listed, with zeros.
    const events = i < 2 ? simulateCenter(100 + i, DAYS, 60, DAYS.at(-1)) : [];
    centers.push({ c, events });
  }
});
afterAll(async () => {
  await province?.close();
  await pgs?.stop();
});

const RANGES: [string, string][] = [
  [DAYS[0]!, DAYS.at(-1)!],
  [DAYS[1]!, DAYS[1]!],
  [DAYS[2]!, DAYS[4]!],
  ['2026-01-01', '2026-01-31'],
];

async function expectEqualEverywhere() {
  for (const [from, to] of RANGES) {
    expect(await rollup.report({ from, to }), `${from}..${to}`).toEqual(await province.ctx.figures.report({ from, to }));
    const one = [centers[1]!.c.id];
    expect(await rollup.report({ from, to, centerIds: one })).toEqual(await province.ctx.figures.report({ from, to, centerIds: one }));
  }
}

describe('rollup figures', () => {
  it('equal the live figures before compaction, with every center-day dirty', async () => {
    for (const { c, events } of centers) if (events.length) await ship(province.app, c, events.slice(0, Math.floor(events.length * 0.7)));
    const dirty = await pool.query('SELECT count(*)::int AS n FROM figures_dirty');
    expect(dirty.rows[0].n).toBeGreaterThan(0);
    await expectEqualEverywhere();
    const all = await rollup.report({ from: DAYS[0]!, to: DAYS.at(-1)! });
    // Not a vacuous comparison: real figures, waits, transfers and ratings.
    expect(all[0]!.totals.issued).toBeGreaterThan(100);
    expect(all[0]!.totals.wait.p90).not.toBeNull();
    expect(all[0]!.totals.satisfaction.answers).toBeGreaterThan(10);
    expect(all[0]!.totals.ratings.average).not.toBeNull();
    expect(all[0]!.byService.some((s) => s.withinTarget?.percent != null)).toBe(true);
    expect(all[2]!.totals.issued).toBe(0);
  });

  it('equal them after compaction, and after later events change compacted days', async () => {
    expect(await rollup.compactAll()).toBeGreaterThan(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM figures_dirty')).rows[0].n).toBe(0);
    await expectEqualEverywhere();
    // The rest of the log: calls, ends and ratings of tickets already counted on compacted days.
    for (const { c, events } of centers) if (events.length) await ship(province.app, c, events.slice(Math.floor(events.length * 0.7)));
    const dirty = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM figures_dirty')).rows[0]!.n;
    expect(dirty).toBeGreaterThan(0);
    await expectEqualEverywhere();
    await rollup.compactAll();
    await expectEqualEverywhere();
  });

  it('a changed target wait counts on stored days at once (targets are applied at report time)', async () => {
    const c = centers[0]!.c;
    await pool.query('UPDATE services SET target_wait_minutes = 45 WHERE center_id = $1 AND service_id = 2', [c.id]);
    await expectEqualEverywhere();
    const [row] = await rollup.report({ from: DAYS[0]!, to: DAYS.at(-1)!, centerIds: [c.id] });
    expect(row!.byService.find((s) => s.serviceId === 2)!.withinTarget?.percent).not.toBeNull();
  });

  it('a process keeping almost no waits in memory reads the same figures (cache eviction)', async () => {
    const small = createRollup(pool, { cacheValues: 10 });
    for (const [from, to] of RANGES) {
      expect(await small.report({ from, to })).toEqual(await province.ctx.figures.report({ from, to }));
      expect(await small.report({ from, to })).toEqual(await rollup.report({ from, to }));
    }
  });

  it('by day: each day equals the live figures of that one day', async () => {
    const c = centers[0]!.c;
    const days = await rollup.byDay(c.id, DAYS[0]!, DAYS.at(-1)!);
    expect(days.map((d) => d.day)).toEqual(DAYS);
    for (const d of days) {
      const [live] = await province.ctx.figures.report({ from: d.day, to: d.day, centerIds: [c.id] });
      const { day: _day, ...figures } = d;
      expect(figures).toEqual(live!.totals);
    }
  });

  it('stay exact while compaction runs during ingest (no stored day is left stale)', async () => {
    const extra = await registerCenter(province.app, ADMIN, 'C9', 'Trung tâm 9');
    const events = simulateCenter(900, DAYS, 80, DAYS.at(-1));
    let shipping = true;
    const compacting = (async () => {
      let n = 0;
      while (shipping) n += await rollup.compactChunk();
      return n;
    })();
    await ship(province.app, extra, events, 37);
    shipping = false;
    expect(await compacting).toBeGreaterThan(0);
    // Whatever the interleaving, every center-day is either dirty or stored exactly as now.
    await expectEqualEverywhere();
    await rollup.compactAll();
    await expectEqualEverywhere();
    const [row] = await rollup.report({ from: DAYS[0]!, to: DAYS.at(-1)!, centerIds: [extra.id] });
    expect(row!.totals.issued).toBe(events.filter((e) => e.action === 'issued').length);
  });
});
