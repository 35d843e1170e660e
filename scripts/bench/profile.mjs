#!/usr/bin/env node
// Where the server's CPU goes, under V8's sampling profiler (--cpu-prof): the built server in its
// own process (server-child.mjs), one scenario after a warm-up, then the profile of the measured
// window summed by package and by function (self time), and the time inside a few frames that
// matter (inclusive). Run after `pnpm build`:
//   node scripts/bench/profile.mjs issue [--tickets=2400] [--concurrency=20] [--prefill=50000]   POST /tickets
//   node scripts/bench/profile.mjs call [--clients=500] [--calls=100]           call-next -> TVs
//   node scripts/bench/profile.mjs phones [--phones=300] [--calls=40]           call-next and issue with phones watching
// --keep leaves the .cpuprofile (open it in Chrome DevTools > Performance) and prints its path;
// --no-group-commit profiles issues one transaction and fsync each (as before ADR 0011).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callRounds, closeClients, connectClients, connectPhones, issue, startServer, watcherRounds } from './queue-server.mjs';

const arg = (name, def) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const scenario = process.argv[2] ?? 'issue';
const keep = process.argv.includes('--keep');

const dir = mkdtempSync(join(tmpdir(), 'luot-profile-'));
const profDir = join(dir, 'prof');
// --no-group-commit: each issue its own transaction and fsync (the code before ADR 0011).
const server = await startServer(join(dir, 'data'), {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=100'],
  args: process.argv.includes('--no-group-commit') ? ['--no-group-commit'] : [],
});
let units;
let label;
let wall;
const cpu0 = process.cpuUsage();
const open = async () => {
  const adminToken = await server.login();
  const { services } = server.info;
  const counterId = server.info.counters.find((c) => c.serviceIds.length === services.length).id;
  const r = await server.api('POST', `/counters/${counterId}/open`, { token: adminToken });
  if (r.status !== 200) throw new Error(`open: ${JSON.stringify(r.body)}`);
  return { adminToken, counterId };
};
if (scenario === 'issue') {
  const tickets = arg('tickets', 2400);
  const concurrency = arg('concurrency', 20);
  // --prefill=50000: earlier days' tickets in the table first, as the bench's prefilled series.
  if (arg('prefill', 0)) await server.rpc('prefill', { n: arg('prefill', 0), perDay: 500 });
  await issue(server, 100, concurrency); // warm-up: JIT, statement caches
  const t0 = performance.now();
  const c0 = await server.rpc('commits');
  await issue(server, tickets, concurrency);
  wall = performance.now() - t0;
  const c1 = await server.rpc('commits');
  units = tickets;
  label = `${tickets} tickets at concurrency ${concurrency}: ${((tickets / wall) * 1000).toFixed(0)}/s in ${c1.groups - c0.groups} commits`;
} else if (scenario === 'call') {
  const clients = arg('clients', 500);
  const calls = arg('calls', 100);
  const { adminToken, counterId } = await open();
  await server.rpc('issue-bulk', { n: calls + 30, serviceIds: server.info.services });
  const { clients: sockets } = await connectClients(server.info.url, server.info.displayToken, clients, clients);
  await callRounds(server, sockets, { adminToken, counterId, calls: 10 });
  const t0 = performance.now();
  const r = await callRounds(server, sockets, { adminToken, counterId, calls });
  wall = performance.now() - t0;
  units = calls;
  label = `${calls} calls to ${clients} TVs: p50 ${r.deliveries.p50.toFixed(1)} ms, p99 ${r.deliveries.p99.toFixed(1)} ms`;
  await closeClients(sockets);
} else if (scenario === 'phones') {
  const phonesN = arg('phones', 300);
  const calls = arg('calls', 40);
  const { adminToken, counterId } = await open();
  const bulk = await server.rpc('issue-bulk', { n: 900, serviceIds: server.info.services, returnIds: true });
  const phones = phonesN ? await connectPhones(server.info.url, bulk.ids.slice(-phonesN).reverse()) : [];
  await watcherRounds(server, phones, { adminToken, counterId, calls: 5, issues: 5 });
  const t0 = performance.now();
  const r = await watcherRounds(server, phones, { adminToken, counterId, calls, issues: calls });
  wall = performance.now() - t0;
  units = 2 * calls;
  label = `${calls} calls and ${calls} issues with ${phonesN} phones: call p50 ${r.call.p50.toFixed(1)} ms, issue p50 ${r.issue.p50.toFixed(1)} ms`;
  for (const p of phones) p.socket.disconnect();
} else throw new Error(`unknown scenario ${scenario}`);
const driver = process.cpuUsage(cpu0);
await server.stop();

const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));

// Only the measured window: the profile also holds start-up and the warm-up (time since start).
let t = prof.startTime;
const inWindow = new Map();
const startUs = prof.endTime - wall * 1000;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i] ?? 0;
  if (t < startUs) continue;
  inWindow.set(prof.samples[i], (inWindow.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
}

const pkgOf = (url) => {
  if (!url) return '(native or V8)';
  if (url.startsWith('node:')) return 'node: ' + url.slice(5).split('/')[0];
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const d = /apps\/server\/dist\/src\/(.*)$/.exec(url);
  if (d) return 'server: ' + d[1];
  const p = /packages\/([^/]+)\//.exec(url);
  if (p) return '@luot/' + p[1];
  return url.slice(-60);
};
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
const byPkg = new Map();
const byFn = new Map();
let total = 0;
let idle = 0;
for (const [id, us] of inWindow) {
  const n = byId.get(id);
  const name = n.callFrame.functionName || '(anonymous)';
  if (name === '(idle)') {
    idle += us;
    continue;
  }
  total += us;
  add(byPkg, ['(garbage collector)', '(program)'].includes(name) ? name : pkgOf(n.callFrame.url), us);
  add(byFn, `${name} ${pkgOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`, us);
}
// Inclusive time of a few frames (each sample counted once even under recursion).
const inclusive = (pred) => {
  let us = 0;
  for (const [id, v] of inWindow) {
    for (let x = id; x !== undefined; x = parent.get(x)) {
      if (pred(byId.get(x).callFrame)) {
        us += v;
        break;
      }
    }
  }
  return us;
};
const perTicket = (us) => `${(us / 1000 / units).toFixed(3)} ms`;
const pct = (us) => `${((100 * us) / total).toFixed(1)} %`;
console.log(`\n${label}; server busy ${(total / 1000).toFixed(0)} ms of ${wall.toFixed(0)} ms (idle ${(idle / 1000).toFixed(0)} ms); per unit (ticket, call): server ${perTicket(total)}, driver ${((driver.user + driver.system) / 1000 / units).toFixed(3)} ms\n`);
console.log('By package (self time):');
for (const [k, v] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(v).padStart(7)}  ${perTicket(v)}  ${k}`);
console.log('\nBy function (self time):');
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(v).padStart(7)}  ${perTicket(v)}  ${k}`);
console.log('\nInclusive:');
const frames = {
  'issueTicket (the use case, transaction, commit)': (f) => f.functionName === 'issueTicket',
  'COMMIT / fsync (the transaction wrapper around the use case, minus the use case)': (f) => f.functionName === 'immediate',
  'statements (better-sqlite3 run/get/all)': (f) => ['run', 'get', 'all'].includes(f.functionName) && !f.url,
  'publish (events to sockets, phones marked)': (f) => f.functionName === 'publish',
  'broadcastQueueEvent (one event to every screen)': (f) => f.functionName === 'broadcastQueueEvent',
  "phones' statuses (computed after the answer)": (f) => f.functionName === 'flush' && f.url.includes('ticket-watch'),
  'publicTickets (their reads)': (f) => f.functionName === 'publicTickets',
  'resolve token (onRequest)': (f) => f.functionName === 'resolve' && f.url.includes('tokens'),
  'zod parse': (f) => f.url.includes('/zod/'),
  'JSON.stringify': (f) => f.functionName === 'stringify',
  'pino': (f) => f.url.includes('/pino'),
  'fastify': (f) => f.url.includes('/fastify/') || f.url.includes('/find-my-way/') || f.url.includes('/light-my-request/') || f.url.includes('/avvio/'),
};
for (const [k, pred] of Object.entries(frames)) {
  const v = inclusive(pred);
  console.log(`  ${pct(v).padStart(7)}  ${perTicket(v)}  ${k}`);
}
// Where a request's time goes, phase by phase: a sample counts in the first of these phases that
// any frame of its stack matches (BEGIN, SAVEPOINT and COMMIT run natively inside better-sqlite3's
// transaction wrapper, whose own time is the transaction's).
const phases = [
  ['BEGIN / SAVEPOINT / COMMIT and its fsync', (f, leaf) => leaf && f.functionName === 'sqliteTransaction'],
  ['the issue use case (its statements, events, answer)', (f) => f.functionName === 'issueTicket'],
  ['events to screens and phones', (f) => ['publish', 'broadcastQueueEvent', 'sendSome'].includes(f.functionName) && f.url.includes('/server/dist/')],
  ['token lookup', (f) => f.url.includes('auth/tokens.js')],
  ['HTTP: Node http, Fastify, the route wrapper, JSON', (f) => f.url.startsWith('node:') || /fastify|find-my-way|avvio|light-my-request|http\/route\.js|secure-json-parse/.test(f.url)],
];
const byPhase = new Map();
for (const [id, us] of inWindow) {
  const leaf = byId.get(id).callFrame;
  if (leaf.functionName === '(idle)') continue;
  const chain = [];
  for (let x = id; x !== undefined; x = parent.get(x)) chain.push(byId.get(x).callFrame);
  let phase = leaf.functionName === '(garbage collector)' ? 'garbage collector' : 'other';
  if (phase === 'other') {
    const hit = phases.find(([, pred]) => chain.some((f, i) => pred(f, i === 0)));
    if (hit) phase = hit[0];
  }
  add(byPhase, phase, us);
}
console.log('\nBy phase:');
for (const [k, v] of [...byPhase].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(v).padStart(7)}  ${perTicket(v)}  ${k}`);
if (keep) console.log(`\nprofile: ${join(profDir, file)}`);
else rmSync(dir, { recursive: true, force: true });
