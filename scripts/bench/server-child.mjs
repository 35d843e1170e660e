#!/usr/bin/env node
// The queue server under test, alone in its own process so its RSS can be read without the
// bench driver's clients. Started by queue-server.mjs with an IPC channel:
//   node scripts/bench/server-child.mjs <dataDir>
// It opens <dataDir>/luot.sqlite with the server's own openDatabase (WAL, synchronous=FULL),
// seeds the demo center, listens on 127.0.0.1:0 and sends {type:'ready', url, ...}.
// Then it answers the driver's messages: rss, prefill, issue-bulk, stop.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { distDir } from './paths.mjs';

const load = (p) => import(pathToFileURL(join(distDir, p)).href);
const { openDatabase } = await load('db/open.js');
const { createServer } = await load('server.js');
const { ensureAdmin } = await load('bootstrap.js');
const { seedDemoIfEmpty } = await load('demo/seed-demo.js');

export const ADMIN_PASSWORD = 'bench-admin-pass';

const dataDir = process.argv[2];
if (!dataDir || !process.send) {
  console.error('usage: started by scripts/bench/queue-server.mjs with an IPC channel');
  process.exit(2);
}

const db = openDatabase(join(dataDir, 'luot.sqlite'));
// Every bench client shares 127.0.0.1: no per-address caps (a real waiting room has one address per screen).
const server = await createServer({ db, maxSocketsPerAddress: 100_000, maxPendingSocketsPerAddress: 100_000, kioskRateLimit: null });
const now = Date.now();
await ensureAdmin(server.ctx.repos, ADMIN_PASSWORD, now);
const links = await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, now);
// The bench's "before" row: every issue its own transaction and fsync, as without group commit
// (ADR 0011). The route calls ctx.queue.issueTicketGrouped at each request.
if (process.argv.includes('--no-group-commit')) {
  server.ctx.queue.issueTicketGrouped = async (actor, input) => server.ctx.queue.issueTicket(actor, input);
}
const url = await server.listen(0, '127.0.0.1');

function vm(field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : null;
}

/**
 * Earlier days' tickets, written straight into SQLite in one transaction (a bench shortcut: the
 * API would take minutes at one fsync per ticket). Each ticket gets what a served ticket leaves
 * behind: the tickets row (status done / no_show / cancelled), a calls row and three
 * ticket_events rows (issue, call, complete), and the day_sequences row of its day.
 * Days are before today, so they never touch today's numbering or queue.
 */
function prefill(n, perDay) {
  const services = server.ctx.repos.services.list().map((s) => s);
  const counters = server.ctx.repos.counters.list();
  const insTicket = db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at,
       called_at, completed_at, no_show_at, cancelled_at, cancel_reason, counter_id, call_count, issued_by_device)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const insSeq = db.prepare(
    `INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES (?, ?, ?)
     ON CONFLICT (business_day, service_id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)`,
  );
  const insCall = db.prepare('INSERT INTO calls (ticket_id, counter_id, at, recall) VALUES (?, ?, ?, 0)');
  const insEvent = db.prepare(
    `INSERT INTO ticket_events (at, type, action, ticket_id, counter_id, user_id, device_id, payload) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)`,
  );
  const t0 = performance.now();
  const dayMs = 24 * 3600_000;
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const dayIndex = Math.floor(i / perDay) + 1; // 1 = yesterday
      const dayStart = Date.now() - dayIndex * dayMs;
      const d = new Date(dayStart + 7 * 3600_000); // Asia/Ho_Chi_Minh calendar day
      const day = d.toISOString().slice(0, 10);
      const service = services[i % services.length];
      const seq = Math.floor((i % perDay) / services.length) + 1;
      const number = service.prefix + String(seq).padStart(service.numberWidth, '0');
      const issued = dayStart + (i % perDay) * 30_000;
      const called = issued + 600_000;
      const r = i % 20;
      const status = r === 0 ? 'no_show' : r === 1 ? 'cancelled' : 'done';
      const counter = counters[i % counters.length];
      const id = randomBytes(16).toString('base64url');
      insTicket.run(
        id, day, service.id, service.id, seq, number, 0, status, issued, issued,
        status === 'cancelled' ? null : called,
        status === 'done' ? called + 480_000 : null,
        status === 'no_show' ? called + 120_000 : null,
        status === 'cancelled' ? called : null,
        status === 'cancelled' ? 'by_staff' : null,
        status === 'cancelled' ? null : counter.id,
        status === 'cancelled' ? 0 : 1,
      );
      insSeq.run(day, service.id, seq);
      const payload = JSON.stringify({ ticket: { id, number } });
      insEvent.run(issued, 'ticket:issued', 'issue', id, null, payload);
      if (status !== 'cancelled') {
        insCall.run(id, counter.id, called);
        insEvent.run(called, 'ticket:called', 'call', id, counter.id, payload);
        insEvent.run(called + 480_000, 'ticket:updated', status === 'done' ? 'complete' : 'no_show', id, counter.id, payload);
      } else {
        insEvent.run(called, 'ticket:updated', 'cancel', id, null, payload);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const count = db.prepare('SELECT COUNT(*) AS n FROM tickets').get().n;
  return { ms: performance.now() - t0, tickets: count };
}

/**
 * Today's waiting tickets through the server's own issue use case (numbering, events, counts),
 * wrapped in one outer transaction so the setup costs one fsync instead of n. Their events are
 * published like any issue's.
 */
function issueBulk(n, serviceIds, returnIds) {
  const t0 = performance.now();
  const actor = { kind: 'device', deviceId: 1, name: 'bench', role: 'kiosk' };
  const ids = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) ids.push(server.ctx.queue.issueTicket(actor, { serviceId: serviceIds[i % serviceIds.length] }).id);
  })();
  return { ms: performance.now() - t0, waiting: db.prepare(`SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting'`).get().n, ...(returnIds ? { ids } : {}) };
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

process.on('message', async (msg) => {
  try {
    if (msg.type === 'rss') {
      const mu = process.memoryUsage();
      process.send({ type: 'rss', id: msg.id, rss: mu.rss, heapUsed: mu.heapUsed, vmRss: vm('VmRSS'), vmHwm: vm('VmHWM'), sockets: server.io.engine.clientsCount });
    } else if (msg.type === 'prefill') {
      process.send({ type: 'prefilled', id: msg.id, ...prefill(msg.n, msg.perDay ?? 500) });
    } else if (msg.type === 'issue-bulk') {
      process.send({ type: 'issued-bulk', id: msg.id, ...issueBulk(msg.n, msg.serviceIds, msg.returnIds) });
    } else if (msg.type === 'time-snapshot') {
      // What one connecting client costs the server before it is sent anything.
      let snap;
      const times = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        snap = server.ctx.queue.snapshot();
        times.push(performance.now() - t0);
      }
      const buildMs = times.sort((a, b) => a - b)[2]; // median of 5
      const t1 = performance.now();
      const bytes = Buffer.byteLength(JSON.stringify(snap));
      process.send({ type: 'snapshot-timed', id: msg.id, buildMs, stringifyMs: performance.now() - t1, bytes, waiting: snap.waiting.length });
    } else if (msg.type === 'loop-delay') {
      // The server's event loop delay since the last ask (ms): a stall of the server itself, as
      // opposed to one of the machine or of the bench's own process.
      process.send({ type: 'loop-delay', id: msg.id, max: loopDelay.max / 1e6, p99: loopDelay.percentile(99) / 1e6, mean: loopDelay.mean / 1e6 });
      loopDelay.reset();
    } else if (msg.type === 'commits') {
      // Group commit (ADR 0011): commits taken by the grouped issues so far, and the issues they held.
      process.send({ type: 'commits', id: msg.id, ...server.ctx.queue.groupCommitStats() });
    } else if (msg.type === 'stop') {
      await server.close();
      db.close();
      process.send({ type: 'stopped', id: msg.id }, () => process.exit(0));
    }
  } catch (err) {
    process.send({ type: 'error', id: msg.id, message: String(err?.stack ?? err) });
  }
});

process.send({
  type: 'ready',
  url,
  kioskToken: links.kioskToken,
  displayToken: links.displayToken,
  adminPassword: ADMIN_PASSWORD,
  services: server.ctx.repos.services.list().map((s) => s.id),
  counters: server.ctx.repos.counters.list().map((c) => ({ id: c.id, serviceIds: c.serviceIds })),
});
