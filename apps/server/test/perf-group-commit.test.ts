import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { QueueEvent, Ticket } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { createGroupCommit } from '../src/queue/group-commit.js';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * Group commit (issue 14, docs/adr/0011-group-commit-or-not.md): issues that arrive together
 * share one transaction and one fsync; each answer waits for that commit; a refused issue is
 * refused alone; a commit that fails refuses every issue of its group and announces nothing.
 */
describe('group commit, on its own', () => {
  const dir = tempDataDir();
  const db = openDatabase(join(dir, 'g.sqlite'));
  db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
           CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
           INSERT INTO parent (id) VALUES (1);`);
  const insert = db.prepare('INSERT INTO child (parent) VALUES (?)');
  // What the queue does with each action: its own savepoint, its events held until the commit.
  const act = (parent: number) => db.transaction(() => Number(insert.run(parent).lastInsertRowid)).immediate();
  const released: boolean[] = [];
  let holding = false;
  const group = createGroupCommit(db, { hold: () => void (holding = true), release: (ok) => void ((holding = false), released.push(ok)) });
  const other = new Database(join(dir, 'g.sqlite'), { readonly: true });
  const rows = () => (other.prepare('SELECT COUNT(*) AS n FROM child').get() as { n: number }).n;
  afterAll(() => {
    other.close();
    db.close();
  });

  it('runs what arrives in one turn as one transaction: nothing is visible before the commit, everything after', async () => {
    const before = rows();
    const runs = [1, 1, 1, 1, 1].map(() => group.run(() => act(1)));
    // Not run yet (the group waits for the turn to end), so nothing to see from another connection.
    expect(rows()).toBe(before);
    const ids = await Promise.all(runs);
    expect(rows()).toBe(before + 5);
    expect(new Set(ids).size).toBe(5);
    expect(released.at(-1)).toBe(true);
    expect(holding).toBe(false);
  });

  it('refuses a failing action alone and commits the others', async () => {
    const before = rows();
    const results = await Promise.allSettled([
      group.run(() => act(1)),
      group.run(() => {
        throw new Error('refused by its use case');
      }),
      group.run(() => act(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(rows()).toBe(before + 2);
  });

  it('refuses every action of a group whose commit fails, and stores none of them', async () => {
    const before = rows();
    const stats = group.stats();
    // A deferred foreign key is checked at COMMIT: the whole group's commit fails.
    const results = await Promise.allSettled([group.run(() => act(1)), group.run(() => act(99)), group.run(() => act(1))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(rows()).toBe(before);
    expect(released.at(-1)).toBe(false);
    expect(group.stats()).toEqual(stats);
    expect(db.inTransaction).toBe(false);
  });

  it('an action alone is its own transaction, as without grouping', async () => {
    const before = rows();
    await group.run(() => act(1));
    expect(rows()).toBe(before + 1);
  });
});

describe('grouped issues through the server', () => {
  let s: TestServer;
  let staff: Socket;
  const events: QueueEvent[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    staff = io(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], reconnection: false });
    staff.onAny((type: string, payload: unknown) => {
      if (type.startsWith('ticket:')) events.push({ type, payload } as QueueEvent);
    });
    await new Promise((r) => staff.once('queue:snapshot', r));
  });
  afterAll(async () => {
    staff.close();
    await s.close();
  });

  it('twelve issues in one turn: one commit, numbers in order, every event once and in seq order after it', async () => {
    const q = s.server.ctx.queue;
    const kiosk = { kind: 'device' as const, deviceId: 1, name: 'Kiosk', role: 'kiosk' as const };
    const stats = q.groupCommitStats();
    const seq0 = s.server.ctx.repos.events.lastSeq();
    const pending = Array.from({ length: 12 }, (_, i) => q.issueTicketGrouped(kiosk, { serviceId: (i % 3) + 1 }));
    // A refused one in the middle (no such service) takes nothing from the others.
    const refused = q.issueTicketGrouped(kiosk, { serviceId: 999 });
    pending.push(...Array.from({ length: 3 }, () => q.issueTicketGrouped(kiosk, { serviceId: 1 })));
    expect(events.filter((e) => e.payload.seq > seq0)).toEqual([]);
    const tickets: Ticket[] = await Promise.all(pending);
    await expect(refused).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    expect(q.groupCommitStats()).toEqual({ groups: stats.groups + 1, actions: stats.actions + 15 });
    // Numbers per service in the order asked; seq without a gap where the refused one was.
    const land = tickets.filter((t) => t.serviceId === 1).map((t) => t.number);
    expect(land).toEqual([...land].sort());
    expect(s.server.ctx.repos.events.lastSeq()).toBe(seq0 + 15);
    for (const end = Date.now() + 5000; events.filter((e) => e.payload.seq > seq0).length < 15; ) {
      if (Date.now() > end) throw new Error('events missing on the staff screen');
      await new Promise((r) => setTimeout(r, 10));
    }
    const mine = events.filter((e) => e.payload.seq > seq0);
    expect(mine.map((e) => e.payload.seq)).toEqual(Array.from({ length: 15 }, (_, i) => seq0 + 1 + i));
    expect(mine.map((e) => (e.type === 'ticket:issued' ? e.payload.ticket.id : null))).toEqual(tickets.map((t) => t.id));
    // Each answer carries its place in line, as a lone issue's does.
    expect(tickets.every((t) => typeof t.ahead === 'number')).toBe(true);
  });

  it('POST /tickets from twenty kiosks at once: every 201 is a stored ticket, one Idempotency-Key sent twice at once gets one ticket', async () => {
    const post = (serviceId: number, key?: string) =>
      fetch(`${s.url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.kioskToken}`, ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify({ serviceId }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Ticket }));
    const answers = await Promise.all([...Array.from({ length: 20 }, (_, i) => post((i % 3) + 1)), post(2, 'same-tap-0001'), post(2, 'same-tap-0001')]);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const ids = answers.map((a) => a.body.id);
    expect(ids[20]).toBe(ids[21]);
    expect(new Set(ids).size).toBe(21);
    const stored = s.db.prepare(`SELECT COUNT(*) AS n FROM tickets WHERE id IN (${ids.map(() => '?').join(',')})`).get(...ids) as { n: number };
    expect(stored.n).toBe(21);
  });
});
