import type { ProvinceBatch, ProvinceEvent, ProvinceTicketFact } from '@luot/protocol';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * A simulated center history, shipped through the province's real ingest API: for the dashboard
 * tests that need many days or many centers quickly (the tests with real center servers and
 * their shippers are in e2e/). Deterministic for a seed. The batches follow the contract
 * (/work/team/province-contract.md): each ticket's events carry its state AFTER the event.
 */

/** Small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SIM_SERVICES = [
  { id: 1, code: 'land', nameVi: 'Đất đai', nameEn: 'Land', targetWaitMinutes: 20 },
  { id: 2, code: 'civil', nameVi: 'Hộ tịch', nameEn: 'Civil status', targetWaitMinutes: null },
  { id: 3, code: 'cert', nameVi: 'Chứng thực', nameEn: 'Certification', targetWaitMinutes: 30 },
];
const COUNTERS = [1, 2, 3, 4].map((n) => ({ id: n, number: n, name: `Quầy ${n}` }));

/** A ticket's state after an event, as the wire carries it (every field set here). */
type Fact = ProvinceTicketFact & { issueServiceId: number; transferredFromServiceId: number | null };
/** An event of the simulated log: the wire's, always naming its ticket. */
export type SimEvent = ProvinceEvent & { ticketId: string };

/** Days 'YYYY-MM-DD' from `first`, `n` of them. */
export function daysFrom(first: string, n: number): string[] {
  const t0 = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * A center's event log over `days`: per day `perDay` tickets issued 07:30-17:00 (+07:00); most
 * called after 0-60 min (a few waits exactly on a target), served, some no-shows, cancellations,
 * transfers to another service, and, on `openDay`, tickets still waiting or being served;
 * about half the served rated (mostly on 3 levels, some on 4 or 5).
 */
export function simulateCenter(seed: number, days: string[], perDay: number, openDay?: string): SimEvent[] {
  const rand = rng(seed);
  const pending: { at: number; e: Omit<SimEvent, 'seq'> }[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const day of days) {
    const start = Date.parse(`${day}T07:30:00+07:00`);
    for (let i = 0; i < perDay; i++) {
      const issueService = SIM_SERVICES[Math.floor(rand() * 3)]!;
      const issued = start + Math.floor(rand() * 9.5 * 3600_000);
      const id = `${day}-${seed}-${i}`;
      const base: Fact = {
        id,
        number: String(issueService.id * 1000 + i + 1),
        serviceId: issueService.id,
        issueServiceId: issueService.id,
        priority: rand() < 0.1,
        status: 'waiting',
        businessDay: day,
        issuedAt: iso(issued),
        calledAt: null,
        completedAt: null,
        counterId: null,
        officerId: null,
        transferredFromServiceId: null,
      };
      pending.push({ at: issued, e: { at: iso(issued), type: 'ticket', action: 'issued', ticketId: id, ticket: { ...base } } });
      const r = rand();
      if (r < 0.05) {
        const at = issued + 60_000 + Math.floor(rand() * 600_000);
        pending.push({ at, e: { at: iso(at), type: 'ticket', action: 'cancelled', ticketId: id, ticket: { ...base, status: 'cancelled', completedAt: iso(at) } } });
        continue;
      }
      // Waits in whole seconds plus some milliseconds (the center floors); some exactly 20 or 30 min.
      const waitMs = rand() < 0.05 ? 1_200_000 + Math.floor(rand() * 999) : Math.floor(rand() * 3_600_000);
      const calledAtMs = issued + waitMs;
      if (openDay === day && rand() < 0.3) {
        if (rand() < 0.5) continue; // still waiting
        const counter = 1 + Math.floor(rand() * 4);
        pending.push({ at: calledAtMs, e: { at: iso(calledAtMs), type: 'ticket', action: 'called', ticketId: id, ticket: { ...base, status: 'called', calledAt: iso(calledAtMs), counterId: counter, officerId: 10 + counter } } });
        continue;
      }
      let fact: Fact = base;
      if (rand() < 0.1) {
        // Transferred before the (final) call: served, and counted, in the new service.
        const to = SIM_SERVICES[(issueService.id % 3) as 0 | 1 | 2]!;
        const at = issued + Math.floor(waitMs / 2);
        fact = { ...base, serviceId: to.id, transferredFromServiceId: issueService.id };
        pending.push({ at, e: { at: iso(at), type: 'ticket', action: 'transferred', ticketId: id, ticket: fact } });
      }
      const counter = 1 + Math.floor(rand() * 4);
      const called: Fact = { ...fact, status: 'called', calledAt: iso(calledAtMs), counterId: counter, officerId: 10 + counter };
      pending.push({ at: calledAtMs, e: { at: iso(calledAtMs), type: 'ticket', action: 'called', ticketId: id, ticket: called } });
      const endAt = calledAtMs + 120_000 + Math.floor(rand() * 900_000);
      const noShow = rand() < 0.07;
      const final: Fact = { ...called, status: noShow ? 'no_show' : 'done', completedAt: iso(endAt) };
      pending.push({ at: endAt, e: { at: iso(endAt), type: 'ticket', action: noShow ? 'no_show' : 'done', ticketId: id, ticket: final } });
      if (!noShow && rand() < 0.5) {
        // Mostly the 3 levels provincial devices use; some 4- and 5-level answers.
        const scale = rand() < 0.7 ? 3 : rand() < 0.5 ? 4 : 5;
        const score = 1 + Math.floor(rand() * scale);
        const at = endAt + 30_000;
        pending.push({ at, e: { at: iso(at), type: 'rating', action: 'rated', ticketId: id, rating: { ticketId: id, score, scale, satisfied: score >= scale - 1 } } });
      }
    }
  }
  pending.sort((a, b) => a.at - b.at);
  return pending.map((p, i) => ({ seq: i + 1, ...p.e }));
}

export interface SimCenter {
  id: number;
  code: string;
  key: string;
  centerUid: string;
  epoch: number;
}

/** Registers a center through the admin API (its key is in this answer only). */
export async function registerCenter(app: FastifyInstance, adminToken: string, code: string, name: string): Promise<SimCenter> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/centers', headers: { authorization: `Bearer ${adminToken}` }, payload: { code, name } });
  if (res.statusCode !== 201) throw new Error(`register ${code}: ${res.statusCode} ${res.body}`);
  const c = res.json() as { id: number; key: string };
  return { id: c.id, code, key: c.key, centerUid: randomUUID(), epoch: 1 };
}

const vietnamDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));

/** The batch of events[from..] (at most `size`), as the center's shipper would send it. */
export function batchOf(center: SimCenter, events: SimEvent[], size = 500, lastSeq = events.at(-1)?.seq ?? 0): ProvinceBatch {
  const last = events[events.length - 1]!;
  return {
    centerUid: center.centerUid,
    epoch: center.epoch,
    fromSeq: events[0]!.seq,
    toSeq: last.seq,
    sentAt: last.at,
    events: events.slice(0, size),
    services: SIM_SERVICES,
    counters: COUNTERS,
    now: { at: last.at, businessDay: vietnamDay(last.at), timeZone: 'Asia/Ho_Chi_Minh', waiting: 3, openCounters: 2, longestWaitSeconds: 600, lastSeq },
  };
}

/** Ships `events` through POST /api/v1/ingest in batches of `size`; throws on any refusal. */
export async function ship(app: FastifyInstance, center: SimCenter, events: SimEvent[], size = 500, lastSeq?: number): Promise<number> {
  let ack = 0;
  for (let i = 0; i < events.length; i += size) {
    const part = events.slice(i, i + size);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${center.key}` },
      payload: batchOf(center, part, size, lastSeq ?? events.at(-1)!.seq),
    });
    if (res.statusCode !== 200) throw new Error(`ingest ${center.code} ${part[0]!.seq}: ${res.statusCode} ${res.body}`);
    ack = (res.json() as { ackSeq: number }).ackSeq;
  }
  return ack;
}
