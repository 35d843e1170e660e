// Queue server benchmark: ticket issue over real HTTP beside raw better-sqlite3 inserts with the
// same durability, and call-next -> `ticket:called` latency at 50 and 500 socket.io clients.
// Runs against the BUILT server (apps/server/dist); the server runs in a child process
// (server-child.mjs) so its RSS is its own. Everything on 127.0.0.1, data in a temp dir.
// See docs/benchmarks.md for how to read the figures.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connectSocket } from 'socket.io-client';
import { distDir, requireFromServer } from './paths.mjs';

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
  // Phones watching their ticket (socket.io with auth { ticketId }), each its own connection.
  watchers: [0, 100, 300],
  watcherWaiting: 900, // 300 per service; phones watch the last ones, which no call reaches
  watcherCallsWarmup: 5,
  watcherCalls: 160,
  watcherIssues: 160,
  // main.js as a center runs it: screens connected for the memory figure.
  mainScreens: 500,
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
export async function startServer(dataDir, { execArgv = [], args = [] } = {}) {
  const child = fork(childScript, [dataDir, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
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
export async function issue(server, n, concurrency) {
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
    count: () => lat.length,
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
    servers.single = await startServer(join(dir, 'issue-c20-single'), { args: ['--no-group-commit'] });
    servers.prefilled = await startServer(join(dir, 'issue-c20-prefilled'));
    const pre = await servers.prefilled.rpc('prefill', { n: PLAN.prefill, perDay: 500 });
    log(`  prefilled ${int(PLAN.prefill)} earlier-day tickets in ${(pre.ms / 1000).toFixed(1)} s (tickets table: ${int(pre.tickets)} rows)`);

    rawSqlite(dir, 50); // warm-ups
    await issue(servers.c1, 50, 1);
    await issue(servers.c20, PLAN.issueWarmup, 20);
    await issue(servers.single, PLAN.issueWarmup, 20);
    await issue(servers.prefilled, PLAN.issueWarmup, 20);

    const t = { raw: tally(), c1: tally(), c20: tally(), single: tally(), prefilled: tally() };
    // Commits (fsyncs) each series' issues took (group commit, ADR 0011).
    const commits = { c1: 0, c20: 0, single: 0, prefilled: 0 };
    const counted = (name, run) => async () => {
      const before = await servers[name].rpc('commits');
      const r = await run();
      commits[name] += (await servers[name].rpc('commits')).groups - before.groups;
      return r;
    };
    const turns = [
      ['raw', () => rawSqlite(dir, PLAN.rawInserts / ROUNDS)],
      ['c1', counted('c1', () => issue(servers.c1, PLAN.issueC1 / ROUNDS, 1))],
      ['c20', counted('c20', () => issue(servers.c20, PLAN.issueC20 / ROUNDS, 20))],
      ['single', () => issue(servers.single, PLAN.issueC20 / ROUNDS, 20)],
      ['prefilled', counted('prefilled', () => issue(servers.prefilled, PLAN.issueC20 / ROUNDS, 20))],
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
      c1: t.c1.result({ concurrency: 1, commits: commits.c1 }),
      c20: t.c20.result({ concurrency: 20, commits: commits.c20 }),
      single: t.single.result({ concurrency: 20, commits: t.single.count() }),
      prefilled: t.prefilled.result({ concurrency: 20, tableRows: pre.tickets, commits: commits.prefilled }),
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
export async function connectClients(url, token, n, batch = 50) {
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
export async function callRounds(server, clients, { adminToken, counterId, calls }) {
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

export async function closeClients(clients) {
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
      await server.rpc('loop-delay');
      const r = await callRounds(server, clients, { adminToken, counterId, calls: PLAN.calls });
      const loop = await server.rpc('loop-delay');
      const mem = await server.memory();
      out.rows.push({ label, clients: clients.length, waiting, snapshotBytes, connectMs, ...r, serverLoopMaxMs: loop.max, rss: mem.vmRss, hwm: mem.vmHwm });
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
    // All at once, as after a Wi-Fi drop (the bench server lifts the per-address handshake cap).
    const big = await connectClients(url, displayToken, PLAN.bigClients, PLAN.bigClients);
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



// ---- main.js, the way a center runs it ----
/** VmRSS and VmHWM of a process, in bytes (Linux). */
function procMemory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (f) => Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { vmRss: field('VmRSS'), vmHwm: field('VmHWM'), rssAnon: field('RssAnon'), rssFile: field('RssFile') };
}

/**
 * The built main.js started as a center starts it (`node dist/src/main.js`: the log file in the
 * data dir, the nightly job armed, LAN discovery answering on a loopback port, the demo center),
 * alone in its process: RSS idle (2 s and 10 s after it listens), then with `mainScreens` TVs
 * connected (5 s after the last one has its snapshot).
 */
/** How long main.js is watched with its screens connected and nothing happening. */
const IDLE_CPU_MS = 30_000;

async function mainPhase(dir) {
  const dataDir = join(dir, 'main');
  // BENCH_MAIN_NODE_FLAGS: node flags to try on main.js (e.g. --max-semi-space-size=1); none by default.
  const flags = (process.env.BENCH_MAIN_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...flags, join(distDir, 'main.js')], {
    env: {
      ...process.env,
      LUOT_DATA_DIR: dataDir,
      LUOT_DEMO: '1',
      LUOT_ADMIN_PASSWORD: 'bench-admin-pass',
      PORT: '0',
      HOST: '127.0.0.1',
      LUOT_DISCOVERY_HOST: '127.0.0.1',
      LUOT_DISCOVERY_PORT: String(20_000 + Math.floor(Math.random() * 30_000)),
      LUOT_MAX_SOCKETS_PER_ADDRESS: String(PLAN.mainScreens + 100),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const clients = [];
  try {
    const t0 = now();
    for (;;) {
      if (/display#token=\S+/.test(out) && /API:\s+\S+/.test(out)) break;
      if (child.exitCode !== null) throw new Error(`main.js exited with ${child.exitCode}: ${out.slice(-2000)}`);
      if (now() - t0 > 60_000) throw new Error(`main.js not ready in 60 s: ${out.slice(-2000)}`);
      await sleep(50);
    }
    const startMs = now() - t0;
    const url = /API:\s+(http:\/\/[^/\s]+)/.exec(out)[1];
    const displayToken = /display#token=(\S+)/.exec(out)[1];
    await sleep(2000);
    const idle2s = procMemory(child.pid);
    await sleep(8000);
    const idle = procMemory(child.pid);
    const c0 = now();
    // main.js keeps the per-address cap of 10 handshakes in progress: a few at a time.
    const conn = await connectClients(url, displayToken, PLAN.mainScreens, 4);
    clients.push(...conn.clients);
    const connectMs = now() - c0;
    await sleep(5000);
    const screens = procMemory(child.pid);
    // What the screens cost while nothing happens: socket.io's heartbeat (a ping every
    // HEARTBEAT.intervalMs to each) and the timers, over IDLE_CPU_MS of a quiet center.
    const cpu0 = processCpuMs(child.pid);
    const w0 = now();
    await sleep(IDLE_CPU_MS);
    const idleCpu = { ms: processCpuMs(child.pid) - cpu0, overMs: now() - w0 };
    return { startMs, idle2s, idle, screens, idleCpu, connectMs, snapshotBytes: conn.snapshotBytes, flags };
  } finally {
    for (const c of clients) c.disconnect();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

// ---- phones watching their ticket ----
/** n phones, each watching one ticket, resolved once each has its first ticket:status. */
export async function connectPhones(url, ticketIds, batch = 50) {
  const phones = [];
  for (let start = 0; start < ticketIds.length; start += batch) {
    const group = ticketIds.slice(start, start + batch).map(
      (ticketId) =>
        new Promise((resolve, reject) => {
          const s = connectSocket(url, { auth: { ticketId }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000 });
          const phone = { socket: s, ticketId, serviceId: 0, last: null, received: 0, onStatus: null };
          const timer = setTimeout(() => reject(new Error('no ticket:status within 30 s')), 30_000);
          s.once('connect_error', (e) => reject(new Error(`connect_error: ${e.message}`)));
          s.on('ticket:status', (t) => {
            phone.last = t;
            phone.serviceId = t.serviceId;
            phone.received++;
            phone.onStatus?.(t);
            if (phone.received === 1) {
              clearTimeout(timer);
              resolve(phone);
            }
          });
        }),
    );
    phones.push(...(await Promise.all(group)));
  }
  return phones;
}

/**
 * With `phones` watching: `calls` call-next in turn, each timed over HTTP and, for every phone of
 * the called ticket's service (its position moved), from just before the request until the phone
 * has a status with its new position; then `issues` POST /tickets in turn, timed over HTTP (an
 * issue moves nobody's position). Server CPU per action from /proc.
 */
export async function watcherRounds(server, phones, { adminToken, counterId, calls, issues }) {
  const callHttp = [];
  const issueHttp = [];
  const statusLat = [];
  const afterEvent = [];
  let late = 0;
  const cpu0 = processCpuMs(server.pid);
  for (let k = 0; k < calls; k++) {
    const before = new Map(phones.map((p) => [p, p.last?.ahead]));
    const t0 = now();
    const res = await server.api('POST', `/counters/${counterId}/call-next`, { token: adminToken });
    const answered = now();
    const httpMs = answered - t0;
    if (res.status !== 200 || !res.body.ticket) throw new Error(`call-next: ${res.status} ${JSON.stringify(res.body)}`);
    callHttp.push(httpMs);
    const serviceId = res.body.ticket.serviceId;
    // Every phone of that service: its ticket is behind the called one, one place less to wait.
    const moved = phones.filter((p) => p.serviceId === serviceId);
    await Promise.all(
      moved.map(
        (p) =>
          new Promise((resolve, reject) => {
            const expected = before.get(p) - 1;
            const done = () => {
              statusLat.push(now() - t0);
              // From the event: the call is committed and announced when its answer arrives.
              afterEvent.push(Math.max(0, now() - answered));
              p.onStatus = null;
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(() => {
              late++;
              p.onStatus = null;
              reject(new Error(`a phone of service ${serviceId} has ahead ${p.last?.ahead}, expected ${expected}, 10 s after the call`));
            }, 10_000);
            if (p.last?.ahead === expected) return done();
            p.onStatus = (t) => t.ahead === expected && done();
          }),
      ),
    );
  }
  const cpuCalls = processCpuMs(server.pid) - cpu0;
  const cpu1 = processCpuMs(server.pid);
  const { kioskToken, services } = server.info;
  for (let k = 0; k < issues; k++) {
    const t0 = now();
    const r = await server.api('POST', '/tickets', { token: kioskToken, body: { serviceId: services[k % services.length] } });
    issueHttp.push(now() - t0);
    if (r.status !== 201) throw new Error(`issue: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const cpuIssues = processCpuMs(server.pid) - cpu1;
  return {
    call: stats(callHttp),
    issue: stats(issueHttp),
    status: stats(statusLat),
    afterEvent: stats(afterEvent),
    raw: { call: callHttp, issue: issueHttp, status: statusLat, afterEvent },
    late,
    cpuPerCall: cpuCalls / calls,
    cpuPerIssue: cpuIssues / issues,
  };
}

/**
 * One server per row (0, 100, 300 phones), each with its own 900 waiting and its phones watching
 * the day's last tickets, measured in interleaved chunks (as the issue series are): this disk's
 * fsync times swing several-fold within a minute, and each row must see the same conditions.
 */
async function watcherPhase(dir) {
  const ROUNDS = 4;
  const servers = [];
  const phones = [];
  try {
    for (const n of PLAN.watchers) {
      const server = await startServer(join(dir, `watchers-${n}`));
      const { url, services } = server.info;
      const adminToken = await server.login();
      const counterId = server.info.counters.find((c) => c.serviceIds.length === services.length)?.id ?? server.info.counters[0].id;
      const opened = await server.api('POST', `/counters/${counterId}/open`, { token: adminToken });
      if (opened.status !== 200) throw new Error(`open counter: ${opened.status} ${JSON.stringify(opened.body)}`);
      const bulk = await server.rpc('issue-bulk', { n: PLAN.watcherWaiting, serviceIds: services, returnIds: true });
      // The last tickets of the day, spread over the services: no call of the run reaches them.
      const mine = n ? await connectPhones(url, bulk.ids.slice(-n).reverse()) : [];
      phones.push(...mine);
      const ctx = { adminToken, counterId };
      await watcherRounds(server, mine, { ...ctx, calls: PLAN.watcherCallsWarmup, issues: PLAN.watcherCallsWarmup });
      servers.push({ n, server, phones: mine, ctx, parts: [] });
    }
    for (const x of servers) await x.server.rpc('loop-delay'); // from here on
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < servers.length; k++) {
        const x = servers[(k + r) % servers.length];
        x.parts.push(await watcherRounds(x.server, x.phones, { ...x.ctx, calls: PLAN.watcherCalls / ROUNDS, issues: PLAN.watcherIssues / ROUNDS }));
        const d = await x.server.rpc('loop-delay');
        x.loopMax = Math.max(x.loopMax ?? 0, d.max);
      }
    }
    const rows = servers.map((x) => {
      const all = (f) => x.parts.flatMap((p) => p.raw[f]);
      const r = {
        watchers: x.n,
        call: stats(all('call')),
        issue: stats(all('issue')),
        status: stats(all('status')),
        afterEvent: stats(all('afterEvent')),
        cpuPerCall: x.parts.reduce((a, p) => a + p.cpuPerCall, 0) / x.parts.length,
        cpuPerIssue: x.parts.reduce((a, p) => a + p.cpuPerIssue, 0) / x.parts.length,
        // The longest the server's own event loop was held (all rounds).
        serverLoopMaxMs: x.loopMax,
      };
      log(`  ${x.n} phones: call-next p50 ${r.call.p50.toFixed(1)} ms, issue p50 ${r.issue.p50.toFixed(1)} ms, phone status p99 ${Number.isFinite(r.status.p99) ? r.status.p99.toFixed(1) : '-'} ms, server loop held at most ${r.serverLoopMaxMs.toFixed(0)} ms`);
      return r;
    });
    return { rows, rounds: ROUNDS };
  } finally {
    for (const p of phones) p.socket.disconnect();
    for (const x of servers) await x.server.stop();
  }
}

// ---- the run ----
/** `parts`: which of issue, sockets, watchers, main to run (default all). */
export async function runQueueServerBench(parts = ['issue', 'sockets', 'watchers', 'main']) {
  const dir = mkdtempSync(join(tmpdir(), 'luot-bench-'));
  const started = now();
  const result = { plan: PLAN, tmp: dir };
  try {
    log(`temp dir ${dir}`);
    result.loadBefore = os.loadavg();
    if (parts.includes('issue')) {
      log(`issue: raw SQLite ${PLAN.rawInserts}, POST /tickets c=1 ${PLAN.issueC1}, c=20 ${PLAN.issueC20} (with and without group commit), c=20 prefilled ${PLAN.issueC20}, interleaved`);
      result.issue = await issueSeries(dir);
    }
    if (parts.includes('sockets')) {
      log('call-next -> ticket:called');
      result.sockets = await socketPhase(dir);
    }
    if (parts.includes('watchers')) {
      log(`phones watching: ${PLAN.watchers.join(' / ')}`);
      result.watchers = await watcherPhase(dir);
    }
    if (parts.includes('main')) {
      log(`main.js: idle, then ${PLAN.mainScreens} screens`);
      result.main = await mainPhase(dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.loadAfter = os.loadavg();
  result.seconds = (now() - started) / 1000;
  return result;
}
