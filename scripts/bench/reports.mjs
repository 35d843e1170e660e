// Report benchmark: a year of a busy center (200,000 tickets from scripts/seed-history.mjs),
// then GET /api/v1/admin/reports for a day, a month and the whole year over real HTTP.
// Target (issue 6): under 300 ms for the year.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedHistory } from '../seed-history.mjs';
import { distDir } from './paths.mjs';

const load = (p) => import(`${distDir}/${p}`);

export async function runReportBench({ tickets = 200_000, runs = 7 } = {}) {
  const { openDatabase } = await load('db/open.js');
  const { createServer } = await load('server.js');
  const { ensureAdmin } = await load('bootstrap.js');
  const dir = mkdtempSync(join(tmpdir(), 'luot-bench-reports-'));
  try {
    const file = join(dir, 'luot.sqlite');
    const t0 = performance.now();
    const seeded = await seedHistory(file, tickets, 260, '2026-11-20');
    const seedSeconds = (performance.now() - t0) / 1000;
    const db = openDatabase(file);
    const server = await createServer({ db, kioskRateLimit: null });
    await ensureAdmin(server.ctx.repos, 'bench-admin', Date.now());
    const url = await server.listen(0, '127.0.0.1');
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin' }) });
    const { token } = await login.json();
    // The year first, cold: the worst case a director meets once after an upgrade.
    const ranges = [
      ['the whole year', seeded.firstDay, seeded.lastDay],
      ['one month', '2026-10-21', seeded.lastDay],
      ['one day', seeded.lastDay, seeded.lastDay],
    ];
    const results = [];
    for (const [name, from, to] of ranges) {
      const times = [];
      let issued = 0;
      let cold = 0;
      for (let i = 0; i <= runs; i++) {
        const s = performance.now();
        const r = await fetch(`${url}/api/v1/admin/reports?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await r.json();
        // The first report of a range sums its closed days into report_daily (once ever).
        if (i === 0) cold = performance.now() - s;
        else times.push(performance.now() - s);
        issued = body.totals.issued;
      }
      const x = performance.now();
      await (await fetch(`${url}/api/v1/admin/reports.xlsx?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
      const xlsxMs = performance.now() - x;
      times.sort((a, b) => a - b);
      results.push({ name, from, to, issued, cold, median: times[Math.floor(times.length / 2)], max: times.at(-1), xlsxMs });
    }
    await server.close();
    db.close();
    return { tickets: seeded.written, seedSeconds, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
