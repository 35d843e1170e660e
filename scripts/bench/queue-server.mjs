// Queue server benchmark: ticket issue over real HTTP beside raw better-sqlite3 inserts with the
// same durability, and call-next -> `ticket:called` latency at 50 and 500 socket.io clients.
// Runs against the BUILT server (apps/server/dist); the server runs in a child process
// (server-child.mjs) so its RSS is its own. Everything on 127.0.0.1, data in a temp dir.
// See docs/benchmarks.md for how to read the figures.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connectSocket } from 'socket.io-client';
import { requireFromServer } from './paths.mjs';

const Database = requireFromServer('better-sqlite3');
const childScript = fileURLToPath(new URL('./server-child.mjs', import.meta.url));

// ---- sizes (kept so the whole run stays well under 3 minutes on 2 cores) ----
export const PLAN = {
  rawInserts: 1500,
  issueWarmup: 100,
  issueC1: 900,
  issueC20: 2400, // 3 demo services x 999 numbers a day is the daily ceiling of one server
  prefill: 50_000,
  callsWarmup: 10,
  calls: 100,
  smallClients: 50,
  bigClients: 500,
  bigWaiting: 2000,
};

// ---- small helpers ----
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const int = (v) => Math.round(v).toLocaleString('en-US');

export function stats(values) {
  const s = Float64Array.from(values).sort();
  const at = (p) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: at(50), p99: at(99), max: s[s.length - 1] ?? NaN, mean: s.length ? sum / s.length : NaN };
}

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

// ---- raw SQLite: the ceiling for one durable insert ----
/**
 * One INSERT per transaction (autocommit) into a table shaped like `tickets`, with the server's
 * pragmas: WAL and synchronous=FULL, so each insert waits for an fsync of the WAL.
 */
function rawSqlite(dir, n) {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY, business_day TEXT NOT NULL, service_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    number TEXT NOT NULL, priority INTEGER NOT NULL, status TEXT NOT NULL, issued_at INTEGER NOT NULL,
    UNIQUE (business_day, service_id, seq)) STRICT`);
  const start = db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM tickets').get().s;
  const ins = db.prepare(`INSERT INTO tickets VALUES (?, '2026-01-01', 1, ?, ?, 0, 'waiting', ?)`);
  const lat = [];
  const t0 = now();
  for (let i = 1; i <= n; i++) {
    const a = now();
    ins.run(`raw-${start + i}`, start + i, String(start + i), Date.now());
    lat.push(now() - a);
  }
  const ms = now() - t0;
  db.close();
  return { lat, ms };
}

// ---- the server in a child process ----
async function startServer(dataDir) {
  const child = fork(childScript, [dataDir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map();
  let readyResolve;
  const ready = new Promise((resolve, reject) => {
    readyResolve = resolve;
    child.once('exit', (code) => reject(new Error(`server child exited with ${code} before it was ready`)));
  });
  child.on('message', (msg) => {
    if (msg.type === 'ready') return readyResolve(msg);
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.type === 'error') w.reject(new Error(msg.message));
    else w.resolve(msg);
  });
  const info = await ready;
  const rpc = (type, payload = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ type, id, ...payload });
    });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(info.url);
  /** JSON over node:http with keep-alive (lighter on the shared CPU than fetch). */
  const api = (method, path, { token, body } = {}) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? null : JSON.stringify(body);
      const headers = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (data) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(data);
      }
      const req = http.request({ host: base.hostname, port: base.port, method, path: `/api/v1${path}`, headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep text */
          }
          resolve({ status: res.statusCode, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(data ?? undefined);
    });
  const login = async () => {
    const r = await api('POST', '/auth/login', { body: { username: 'admin', password: info.adminPassword } });
    if (r.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(r.body)}`);
    return r.body.token;
  };
  const memory = () => rpc('rss');
  const stop = async () => {
    agent.destroy();
    const exited = new Promise((r) => child.once('exit', r));
    await rpc('stop').catch(() => {});
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  return { child, pid: child.pid, info, rpc, api, login, memory, stop };
}

// ---- issue ----
/** n tickets by POST /tickets with `concurrency` requests in flight, services round robin. */
async function issue(server, n, concurrency) {
  const { kioskToken, services } = server.info;
  const lat = new Array(n);
  let next = 0;
  let errors = 0;
  const firstError = [];
  const t0 = now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const a = now();
      const r = await server.api('POST', '/tickets', { token: kioskToken, body: { serviceId: services[i % services.length] } });
      lat[i] = now() - a;
      if (r.status !== 201) {
        errors++;
        if (firstError.length < 1) firstError.push(`${r.status} ${JSON.stringify(r.body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = now() - t0;
  if (errors) throw new Error(`${errors} issues failed, first: ${firstError[0]}`);
  return { lat, ms };
}

/** Latencies and time of several chunks of one target, summed. */
function tally() {
  const lat = [];
  let ms = 0;
  return {
    add(r) {
      lat.push(...r.lat);
      ms += r.ms;
    },
    result(extra = {}) {
      const tenth = Math.max(1, Math.floor(lat.length / 10));
      return {
        ...stats(lat),
        perSec: (lat.length / ms) * 1000,
        ms,
        firstTenthP50: stats(lat.slice(0, tenth)).p50,
        lastTenthP50: stats(lat.slice(lat.length - tenth)).p50,
        ...extra,
      };
    },
  };
}

/**
 * The issue measurements, interleaved: the disk of a shared 2-core machine is noisy (other jobs'
 * fsyncs), so raw SQLite, concurrency 1, concurrency 20 on an empty database and concurrency 20 on
 * a database holding 50,000 earlier tickets run in turns, ROUNDS times, each turn a chunk, in an
 * order that rotates every round. Each figure sums its chunks; each ratio compares figures taken
 * under the same conditions. Three servers (one per series), each a fresh database: one server's
 * day can hold 3 x 999 tickets.
 */
async function issueSeries(dir) {
  const ROUNDS = 6;
  const servers = {};
  try {
    servers.c1 = await startServer(join(dir, 'issue-c1'));
    servers.c20 = await startServer(join(dir, 'issue-c20'));
    servers.prefilled = await startServer(join(dir, 'issue-c20-prefilled'));
    const pre = await servers.prefilled.rpc('prefill', { n: PLAN.prefill, perDay: 500 });
    log(`  prefilled ${int(PLAN.prefill)} earlier-day tickets in ${(pre.ms / 1000).toFixed(1)} s (tickets table: ${int(pre.tickets)} rows)`);

    rawSqlite(dir, 50); // warm-ups
    await issue(servers.c1, 50, 1);
    await issue(servers.c20, PLAN.issueWarmup, 20);
    await issue(servers.prefilled, PLAN.issueWarmup, 20);

    const t = { raw: tally(), c1: tally(), c20: tally(), prefilled: tally() };
    const turns = [
      ['raw', () => rawSqlite(dir, PLAN.rawInserts / ROUNDS)],
      ['c1', () => issue(servers.c1, PLAN.issueC1 / ROUNDS, 1)],
      ['c20', () => issue(servers.c20, PLAN.issueC20 / ROUNDS, 20)],
      ['prefilled', () => issue(servers.prefilled, PLAN.issueC20 / ROUNDS, 20)],
    ];
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < turns.length; k++) {
        const [name, run] = turns[(k + r) % turns.length];
        t[name].add(await run());
      }
      log(`  round ${r + 1}/${ROUNDS}`);
    }
    return {
      raw: t.raw.result(),
      c1: t.c1.result({ concurrency: 1 }),
      c20: t.c20.result({ concurrency: 20 }),
      prefilled: t.prefilled.result({ concurrency: 20, tableRows: pre.tickets }),
    };
  } finally {
    for (const srv of Object.values(servers)) await srv.stop();
  }
}

// ---- sockets ----
/** CPU time (user + system) of a process, in ms, from /proc (Linux). */
function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** n display clients, each its own connection, resolved once each has its snapshot. */
async function connectClients(url, token, n, batch = 50) {
  const clients = [];
  let snapshotBytes = 0;
  for (let start = 0; start < n; start += batch) {
    const group = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      group.push(
        new Promise((resolve, reject) => {
          const s = connectSocket(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000 });
          const timer = setTimeout(() => reject(new Error('no snapshot within 30 s')), 30_000);
          s.once('connect_error', (e) => reject(new Error(`connect_error: ${e.message}`)));
          s.once('queue:snapshot', (snap) => {
            clearTimeout(timer);
            if (!snapshotBytes) snapshotBytes = Buffer.byteLength(JSON.stringify(snap));
            resolve(s);
          });
        }),
      );
    }
    clients.push(...(await Promise.all(group)));
  }
  return { clients, snapshotBytes };
}

/**
 * `calls` rounds of POST /counters/:id/call-next; in each, the time from just before the request
 * is written until each client's `ticket:called` handler runs. The next round starts once every
 * client has that round's `ticket:called` and the HTTP answer is in.
 */
async function callRounds(server, clients, { adminToken, counterId, calls }) {
  const deliveries = [];
  const lastClient = [];
  const httpLat = [];
  let round = null;
  const onCalled = (e) => {
    if (!round) return;
    round.called++;
    round.lat.push(now() - round.t0);
    round.ids.add(e.ticket.id);
    round.check();
  };
  for (const c of clients) {
    c.on('ticket:called', onCalled);
  }
  let mismatches = 0;
  const cpu0 = { server: processCpuMs(server.pid), driver: process.cpuUsage() };
  try {
    for (let k = 0; k < calls; k++) {
      const done = new Promise((resolve) => {
        round = {
          t0: 0,
          called: 0,
          lat: [],
          ids: new Set(),
          answered: false,
          check() {
            // A call is one ticket:called per client (the counter's new ticket rides on it; no counter:updated).
            if (this.answered && this.called >= clients.length) resolve();
          },
        };
      });
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`round ${k}: only ${round?.called}/${clients.length} clients got ticket:called within 10 s`)), 10_000);
      });
      round.t0 = now();
      const res = await server.api('POST', `/counters/${counterId}/call-next`, { token: adminToken });
      httpLat.push(now() - round.t0);
      if (res.status !== 200 || !res.body.ticket) throw new Error(`call-next: ${res.status} ${JSON.stringify(res.body)}`);
      round.answered = true;
      round.check();
      try {
        await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
      }
      if (round.ids.size !== 1 || !round.ids.has(res.body.ticket.id)) mismatches++;
      deliveries.push(...round.lat);
      lastClient.push(Math.max(...round.lat));
      round = null;
    }
  } finally {
    round = null;
    for (const c of clients) {
      c.off('ticket:called', onCalled);
    }
  }
  if (mismatches) throw new Error(`${mismatches} rounds delivered a different ticket than call-next answered`);
  const d = process.cpuUsage(cpu0.driver);
  const cpu = { serverMsPerCall: (processCpuMs(server.pid) - cpu0.server) / calls, driverMsPerCall: (d.user + d.system) / 1000 / calls };
  return { deliveries: stats(deliveries), lastClient: stats(lastClient), http: stats(httpLat), calls, cpu };
}

async function closeClients(clients) {
  for (const c of clients) c.disconnect();
  await sleep(300);
}

async function socketPhase(dir) {
  const server = await startServer(join(dir, 'sockets'));
  const out = { rows: [], memory: {} };
  const all = [];
  try {
    const { url, displayToken, services } = server.info;
    const adminToken = await server.login();
    const counterId = server.info.counters.find((c) => c.serviceIds.length === services.length)?.id ?? server.info.counters[0].id;
    const opened = await server.api('POST', `/counters/${counterId}/open`, { token: adminToken });
    if (opened.status !== 200) throw new Error(`open counter: ${opened.status} ${JSON.stringify(opened.body)}`);
    const callsNeeded = 2 * (PLAN.callsWarmup + PLAN.calls);
    await server.rpc('issue-bulk', { n: callsNeeded + 30, serviceIds: services });
    out.memory.idle = await server.memory();
    out.snapshotSmall = await server.rpc('time-snapshot');

    const measure = async (label, clients, waiting, snapshotBytes, connectMs) => {
      await callRounds(server, clients, { adminToken, counterId, calls: PLAN.callsWarmup });
      const r = await callRounds(server, clients, { adminToken, counterId, calls: PLAN.calls });
      const mem = await server.memory();
      out.rows.push({ label, clients: clients.length, waiting, snapshotBytes, connectMs, ...r, rss: mem.vmRss, hwm: mem.vmHwm });
      log(`  ${label}: p50 ${r.deliveries.p50.toFixed(1)} ms, p99 ${r.deliveries.p99.toFixed(1)} ms, RSS ${(mem.vmRss / 2 ** 20).toFixed(0)} MB`);
    };

    let t = now();
    const small = await connectClients(url, displayToken, PLAN.smallClients);
    all.push(...small.clients);
    await measure(`${PLAN.smallClients} clients`, all, '~' + (callsNeeded + 30 - PLAN.callsWarmup), small.snapshotBytes, now() - t);

    t = now();
    const more = await connectClients(url, displayToken, PLAN.bigClients - PLAN.smallClients);
    all.push(...more.clients);
    const connectMs = now() - t;
    await measure(`${PLAN.bigClients} clients`, all, '~' + (30 + PLAN.calls), more.snapshotBytes, connectMs);

    // Every TV reconnecting at once (a Wi-Fi drop) while 2,000 wait: each gets the full snapshot.
    await closeClients(all.splice(0));
    const bulk = await server.rpc('issue-bulk', { n: PLAN.bigWaiting, serviceIds: services });
    out.snapshot = await server.rpc('time-snapshot');
    t = now();
    const big = await connectClients(url, displayToken, PLAN.bigClients);
    all.push(...big.clients);
    out.memory.afterReconnect = await server.memory();
    await measure(`${PLAN.bigClients} clients, ${PLAN.bigWaiting} waiting`, all, String(bulk.waiting), big.snapshotBytes, now() - t);
    out.memory.end = await server.memory();
    return out;
  } finally {
    await closeClients(all);
    await server.stop();
  }
}

// ---- the run ----
export async function runQueueServerBench() {
  const dir = mkdtempSync(join(tmpdir(), 'luot-bench-'));
  const started = now();
  const result = { plan: PLAN, tmp: dir };
  try {
    log(`temp dir ${dir}`);
    log(`issue: raw SQLite ${PLAN.rawInserts}, POST /tickets c=1 ${PLAN.issueC1}, c=20 ${PLAN.issueC20}, c=20 prefilled ${PLAN.issueC20}, interleaved`);
    result.loadBefore = os.loadavg();
    result.issue = await issueSeries(dir);
    log('call-next -> ticket:called');
    result.sockets = await socketPhase(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.loadAfter = os.loadavg();
  result.seconds = (now() - started) / 1000;
  return result;
}
