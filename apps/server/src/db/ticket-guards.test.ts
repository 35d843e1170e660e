import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TICKET_STATUSES, transition, type TicketAction, type TicketStatus } from '@luot/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './open.js';
import { createRepos, type Repos } from './repos.js';

/**
 * The allowed state changes live in one table (packages/domain ticket.ts). The guarded UPDATEs
 * take their WHERE from it; this checks, on a real SQLite file, that for every state and every
 * action the database changes the row exactly when the domain allows the change.
 */
let dir: string;
let db: Db;
let repos: Repos;
let serviceId: number;
let counterId: number;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'luot-guards-'));
  db = openDatabase(join(dir, 'luot.sqlite'));
  repos = createRepos(db);
  serviceId = repos.services.create({
    code: 'G',
    nameVi: 'Thử',
    nameEn: 'Test',
    prefix: 'G',
    numberWidth: 3,
    hours: null,
    dailyLimit: null,
    defaultServiceMinutes: 5,
    targetWaitMinutes: 15,
    sortOrder: 0,
    active: true,
  });
  counterId = repos.counters.create(1, 'Quầy 1', [serviceId]);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 10, 30, 3, 0, 0);

/** A ticket already in `status` (set directly: the point is the guard, not how it got there). */
function ticketIn(status: TicketStatus): string {
  n += 1;
  const id = `guard-${n}`;
  repos.tickets.insert({ id, businessDay: '2026-11-30', serviceId, seq: n, number: `G${n}`, priority: false, issuedAt: NOW - 60_000, deviceId: null });
  db.prepare(
    `UPDATE tickets SET status = ?, counter_id = CASE WHEN ? = 'called' THEN ? END, called_at = CASE WHEN ? IN ('called', 'done', 'no_show') THEN ? END,
       no_show_at = CASE WHEN ? = 'no_show' THEN ? END WHERE id = ?`,
  ).run(status, status, counterId, status, NOW - 30_000, status, NOW - 10_000, id);
  return id;
}

/** What the domain says of `action` from `from`, a call back inside its window. */
const domainAllows = (from: TicketStatus, action: TicketAction) =>
  transition(from, action, { now: NOW, noShowAt: NOW - 10_000, callBackWindowMs: 60_000 }).ok;

const guarded: { name: string; actions: TicketAction[]; run: (id: string) => boolean }[] = [
  { name: 'claim (call, call back)', actions: ['call', 'call_back'], run: (id) => repos.tickets.claim(id, counterId, null, NOW) },
  { name: 'recall', actions: ['recall'], run: (id) => repos.tickets.recall(id) },
  { name: 'finish done', actions: ['complete'], run: (id) => repos.tickets.finish(id, 'done', NOW) },
  { name: 'finish no-show', actions: ['no_show'], run: (id) => repos.tickets.finish(id, 'no_show', NOW) },
  { name: 'requeue (transfer)', actions: ['transfer'], run: (id) => repos.tickets.requeue(id, serviceId, NOW) },
  { name: 'cancel', actions: ['cancel'], run: (id) => repos.tickets.cancel(id, 'by_staff', NOW) },
];

describe('guarded updates follow the domain table', () => {
  for (const g of guarded) {
    for (const from of TICKET_STATUSES) {
      const allowed = g.actions.some((a) => domainAllows(from, a));
      it(`${g.name} from ${from}: ${allowed ? 'changes the ticket' : 'leaves it alone'}`, () => {
        const id = ticketIn(from);
        const before = repos.tickets.get(id)!;
        expect(g.run(id)).toBe(allowed);
        if (!allowed) expect(repos.tickets.get(id)).toEqual(before);
      });
    }
  }

  it('covers both outcomes: some changes are refused and some allowed', () => {
    const outcomes = guarded.flatMap((g) => TICKET_STATUSES.map((s) => g.actions.some((a) => domainAllows(s, a))));
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });

  it('a day-end sweep finds exactly the tickets the domain lets it cancel', () => {
    const ids = new Map(TICKET_STATUSES.map((s) => [s, ticketIn(s)]));
    const found = new Set(repos.tickets.openFromEarlierDays('2026-12-01').map((t) => t.id));
    for (const [s, id] of ids) expect(found.has(id)).toBe(domainAllows(s, 'cancel'));
  });
});
