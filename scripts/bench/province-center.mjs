// A center's database with a day of history nobody has shipped yet: the real center schema
// (apps/server's migrations through its built openDatabase, the demo center seeded), its tickets,
// its append-only ticket_events (issued, called, served or no-show, cancelled) in time order and
// its ratings, written directly in one SQLite transaction (as scripts/seed-history.mjs does for
// the report benchmark). The real shipper (apps/server/dist/src/province/shipper.js) then reads
// and ships it exactly as it would after a day offline.
import { randomBytes } from 'node:crypto';
import { distDir } from './paths.mjs';

const load = (p) => import(`${distDir}/${p}`);
const { openDatabase } = await load('db/open.js');
const { createRepos } = await load('db/repos.js');
const { createTokenService } = await load('auth/tokens.js');
const { seedDemoIfEmpty } = await load('demo/seed-demo.js');

/** Small seeded PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes `tickets` tickets of business day `day` (07:30-17:00, Vietnam time) into a new center
 * database at `file`; returns { db, links, tickets, events, ratings } (links: the demo kiosk's and TV's tokens). The database stays open (the
 * shipper reads it).
 */
export function centerWithDay(file, { day, tickets, seed }) {
  return centerWithHistory(file, { days: [day], ticketsPerDay: tickets, seed });
}

/**
 * The same over several business days: `ticketsPerDay` each (a number, or a function of the
 * day's index), ratings leaning to `satisfied` (share of "Hài lòng" and up, default 0.8) and
 * waits of mean `waitMinutes` (default 15): a center's history as if its link had never worked.
 */
export async function centerWithHistory(file, { days, ticketsPerDay, seed, satisfied = 0.8, waitMinutes = 15 }) {
  const rand = rng(seed);
  const expo = (mean) => -Math.log(1 - rand()) * mean;
  const db = openDatabase(file);
  const repos = createRepos(db);
  // The demo center (its services, counters, officers canbo1..4 and a paired kiosk and TV).
  const links = await seedDemoIfEmpty(repos, createTokenService(repos), Date.parse(`${days[0]}T06:00:00+07:00`));
  const services = repos.services.list();
  const counters = repos.counters.list();
  const officers = repos.users.list().filter((u) => u.role === 'officer');
  const insert = db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, no_show_at, cancelled_at, cancel_reason, counter_id, officer_id, call_count, queue_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const daySeq = db.prepare('INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_seq = excluded.last_seq');
  const event = db.prepare('INSERT INTO ticket_events (at, type, action, ticket_id, counter_id, user_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const rate = db.prepare('INSERT INTO ratings (ticket_id, counter_id, officer_id, scale, score, at) VALUES (?, ?, ?, 3, ?, ?)');
  // A broadcast payload of a typical size (the center's screens get it; the shipper does not send it).
  const payload = JSON.stringify({ pad: 'x'.repeat(200) });
  let total = 0;
  let eventCount = 0;
  let ratingCount = 0;
  db.transaction(() => {
    days.forEach((day, d) => {
      const n = typeof ticketsPerDay === 'function' ? ticketsPerDay(d) : ticketsPerDay;
      const start = Date.parse(`${day}T07:30:00+07:00`);
      const times = Array.from({ length: n }, () => start + rand() * 9.5 * 3600_000).sort((a, b) => a - b);
      const events = [];
      const rated = [];
      const seqs = new Map();
      for (const issued of times) {
        const svc = services[Math.floor(rand() * services.length)];
        const seq = (seqs.get(svc.id) ?? 0) + 1;
        seqs.set(svc.id, seq);
        const counter = counters[Math.floor(rand() * counters.length)];
        const officer = officers[(counter.number - 1) % officers.length];
        const r = rand();
        const status = r < 0.88 ? 'done' : r < 0.95 ? 'no_show' : 'cancelled';
        const called = status === 'cancelled' ? null : Math.round(issued + expo(waitMinutes * 60_000));
        const done = status === 'cancelled' ? Math.round(issued + 600_000) : Math.round(called + 60_000 + expo(8 * 60_000));
        const id = randomBytes(16).toString('base64url');
        total++;
        insert.run(
          id, day, svc.id, svc.id, seq, `${svc.prefix}${String(seq).padStart(3, '0')}`, rand() < 0.08 ? 1 : 0, status, Math.round(issued), Math.round(issued),
          called, status === 'done' ? done : null, status === 'no_show' ? done : null, status === 'cancelled' ? done : null, status === 'cancelled' ? 'by_citizen' : null,
          status === 'cancelled' ? null : counter.id, status === 'cancelled' ? null : officer.id, status === 'cancelled' ? 0 : 1, total,
        );
        events.push([Math.round(issued), 'ticket', 'issued', id, null, null]);
        if (called !== null) events.push([called, 'ticket', 'called', id, counter.id, officer.id]);
        events.push([done, 'ticket', status === 'done' ? 'completed' : status, id, counter.id, officer.id]);
        if (status === 'done' && rand() < 0.4) rated.push([id, counter.id, officer.id, rand() < satisfied ? (rand() < 0.6 ? 3 : 2) : 1, done + 30_000]);
      }
      events.sort((a, b) => a[0] - b[0]);
      for (const e of events) event.run(...e, payload);
      for (const r of rated) rate.run(...r);
      for (const [sid, last] of seqs) daySeq.run(day, sid, last);
      eventCount += events.length;
      ratingCount += rated.length;
    });
    db.prepare('UPDATE queue_sequence SET last = ?').run(total);
  })();
  return { db, links, tickets: total, events: eventCount, ratings: ratingCount };
}
