#!/usr/bin/env node
// Fills a Luot database with a plausible history (for the report benchmark and for trying the
// admin reports): `node scripts/seed-history.mjs --db data/luot.sqlite --tickets 200000 --days 260`
// after `pnpm build`. Uses the demo center's services, counters and officers (seeding them into an
// empty database). Deterministic: the same arguments give the same history.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { distDir } from './bench/paths.mjs';


const load = (p) => import(`${distDir}/${p}`);
const { openDatabase } = await load('db/open.js');
const { createRepos } = await load('db/repos.js');
const { createTokenService } = await load('auth/tokens.js');
const { seedDemoIfEmpty } = await load('demo/seed-demo.js');

/** Small, fast, seeded PRNG (mulberry32): the same history every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261123);
const expo = (mean) => -Math.log(1 - rand()) * mean;

export function seedHistory(file, total, days, endDay) {
  const db = openDatabase(file);
  const repos = createRepos(db);
  return seedDemoIfEmpty(repos, createTokenService(repos), Date.now()).then(() => {
    const services = repos.services.list();
    const counters = repos.counters.list();
    const officers = repos.users.list().filter((u) => u.role === 'officer');
    // Working days only (Monday to Friday), Vietnam time (+07:00, no DST).
    const end = endDay ? Date.parse(`${endDay}T00:00:00Z`) : Date.now() - 86_400_000;
    const workDays = [];
    for (let i = 0; workDays.length < days && i < days * 2; i++) {
      const d = new Date(end - i * 86_400_000);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) workDays.unshift(d.toISOString().slice(0, 10));
    }
    const perDay = Math.ceil(total / workDays.length);
    const insert = db.prepare(
      `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, no_show_at, cancelled_at, cancel_reason, counter_id, officer_id, call_count, dossier_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const seqRow = db.prepare('INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_seq = excluded.last_seq');
    // Ratings on the 3-level scale (3 Rất hài lòng, 2 Hài lòng, 1 Không hài lòng) with a reason for
    // most dissatisfied answers, already seen by the director (history, not alerts).
    const rate = db.prepare('INSERT INTO ratings (ticket_id, counter_id, officer_id, scale, score, reason, source, at, seen_at) VALUES (?, ?, ?, 3, ?, ?, ?, ?, ?)');
    const reasons = ['attitude', 'waiting_time', 'unclear_guidance', 'other'];
    db.pragma('synchronous = OFF'); // a one-off bulk load; the server itself always runs FULL
    let written = 0;
    db.transaction(() => {
      for (const day of workDays) {
        const dayStart = Date.parse(`${day}T07:30:00+07:00`);
        const seqs = new Map();
        const times = Array.from({ length: Math.min(perDay, total - written) }, () => dayStart + rand() * 9 * 3600_000).sort((a, b) => a - b);
        for (const issued of times) {
          const taken = services[rand() < 0.45 ? 0 : rand() < 0.6 ? 1 : 2];
          const seq = (seqs.get(taken.id) ?? 0) + 1;
          seqs.set(taken.id, seq);
          // About 3 % are transferred to another service, and end (are served) there.
          const svc = rand() < 0.03 ? services[(services.indexOf(taken) + 1) % services.length] : taken;
          const counter = counters.filter((c) => c.serviceIds.includes(svc.id))[Math.floor(rand() * 2)] ?? counters[0];
          const officer = officers[(counter.number - 1) % officers.length];
          const r = rand();
          const status = r < 0.88 ? 'done' : r < 0.94 ? 'no_show' : 'cancelled';
          const called = status === 'cancelled' ? null : issued + expo(15 * 60_000);
          const done = status === 'done' ? called + 60_000 + expo(svc.defaultServiceMinutes * 60_000) : null;
          const id = randomBytes(16).toString('base64url');
          const dossier = done !== null && rand() < 0.7 ? `000.00.31.H29-${day.slice(2).replaceAll('-', '')}-${String(written % 10000).padStart(4, '0')}` : null;
          insert.run(
            id, day, svc.id, taken.id, seq, `${taken.prefix}${String(seq).padStart(3, '0')}`, rand() < 0.08 ? 1 : 0, status, Math.round(issued), Math.round(issued),
            called === null ? null : Math.round(called), done === null ? null : Math.round(done), status === 'no_show' ? Math.round(called + 120_000) : null,
            status === 'cancelled' ? Math.round(issued + 60_000) : null, status === 'cancelled' ? 'not_printed' : null,
            status === 'cancelled' ? null : counter.id, status === 'cancelled' ? null : officer.id, status === 'cancelled' ? 0 : 1, dossier,
          );
          if (done !== null && rand() < 0.4) {
            const score = rand() < 0.6 ? 3 : rand() < 0.8 ? 2 : 1;
            const reason = score === 1 && rand() < 0.8 ? reasons[Math.floor(rand() * reasons.length)] : null;
            const at = Math.round(done + 30_000);
            rate.run(id, counter.id, officer.id, score, reason, rand() < 0.85 ? 'tablet' : 'phone', at, at);
          }
          written++;
        }
        for (const [sid, last] of seqs) seqRow.run(day, sid, last);
      }
    })();
    db.pragma('synchronous = FULL');
    db.close();
    return { written, firstDay: workDays[0], lastDay: workDays.at(-1) };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'data/luot.sqlite' },
      tickets: { type: 'string', default: '200000' },
      days: { type: 'string', default: '260' }, // working days: about one calendar year
      end: { type: 'string' }, // last business day, YYYY-MM-DD (default: yesterday)
    },
  });
  const t0 = performance.now();
  const r = await seedHistory(values.db, Number(values.tickets), Number(values.days), values.end);
  console.log(`${r.written} tickets from ${r.firstDay} to ${r.lastDay} in ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${values.db}`);
}
