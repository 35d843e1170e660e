import { applyQueueEvent, type QueueEvent, type Snapshot } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * What screens receive, made cheaper at 500 screens (issue 14): a call is the first event of the
 * action that makes it (the TV announces it without waiting behind the previous ticket's update),
 * and a screen facing the public gets a snapshot of what it shows (counts, calls, counters), not
 * every waiting ticket; staff screens still get the list.
 */
let s: TestServer;
let officer: string;
const sockets: Socket[] = [];

function screen(token: string) {
  const socket = io(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  const events: QueueEvent[] = [];
  socket.onAny((type: string, payload: unknown) => {
    if (type !== 'queue:snapshot' && type !== 'device:alert') events.push({ type, payload } as QueueEvent);
  });
  const snapshot = new Promise<Snapshot>((resolve) => socket.once('queue:snapshot', resolve));
  return { socket, events, snapshot };
}
async function until<T>(get: () => T | undefined, what: string): Promise<T> {
  for (const end = Date.now() + 5000; ; ) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`not within 5 s: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const issue = async (serviceId: number) => (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId } })).body as { id: string };
const post = async (path: string, body?: unknown) => {
  const r = await s.api('POST', path, { token: officer, ...(body !== undefined ? { body } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { ticket: { id: string } };
};

beforeAll(async () => {
  s = await startTestServer();
  officer = await s.login('canbo1');
  await post('/counters/1/open');
});
afterAll(async () => {
  for (const x of sockets) x.close();
  await s.close();
});

describe('a call reaches the screens first', () => {
  it('call-next and a chosen call while serving: ticket:called has the lower seq and comes first, then the previous ticket done', async () => {
    const tv = screen(s.displayToken);
    const desk = screen(officer);
    await tv.snapshot;
    await desk.snapshot;
    const a = await issue(1);
    const b = await issue(1);
    const c = await issue(2);
    expect((await post('/counters/1/call-next')).ticket.id).toBe(a.id);
    const seqBefore = s.server.ctx.repos.events.lastSeq();

    expect((await post('/counters/1/call-next')).ticket.id).toBe(b.id);
    expect((await post('/counters/1/call', { ticketId: c.id })).ticket.id).toBe(c.id);
    const seqAfter = s.server.ctx.repos.events.lastSeq();
    expect(seqAfter).toBe(seqBefore + 4);

    for (const x of [tv, desk]) {
      const got = await until(() => {
        const mine = x.events.filter((e) => e.payload.seq > seqBefore);
        return mine.length === 4 ? mine : undefined;
      }, 'the four events');
      expect(got.map((e) => [e.type, e.payload.seq, 'ticket' in e.payload ? [e.payload.ticket.id, e.payload.ticket.status] : null])).toEqual([
        ['ticket:called', seqBefore + 1, [b.id, 'called']],
        ['ticket:updated', seqBefore + 2, [a.id, 'done']],
        ['ticket:called', seqBefore + 3, [c.id, 'called']],
        ['ticket:updated', seqBefore + 4, [b.id, 'done']],
      ]);
    }
    // The log holds them in the same order (what a resync, the province and the reports read).
    const logged = s.db.prepare('SELECT type, ticket_id AS ticketId FROM ticket_events WHERE seq > ? ORDER BY seq').all(seqBefore);
    expect(logged).toEqual([
      { type: 'ticket:called', ticketId: b.id },
      { type: 'ticket:updated', ticketId: a.id },
      { type: 'ticket:called', ticketId: c.id },
      { type: 'ticket:updated', ticketId: b.id },
    ]);
    // Applied in this order, the TV ends where a fresh snapshot is, its counter showing the new call.
    const fresh = (await tv.socket.emitWithAck('queue:sync')) as { ok: true; data: Snapshot };
    expect(fresh.data.counters.find((x) => x.id === 1)?.currentTicket?.id).toBe(c.id);
    await post('/counters/1/complete');
  });
});

describe("a public screen's snapshot holds what it shows", () => {
  it('a TV and a kiosk get counts per service and no waiting list, staff get every waiting ticket; events keep the TV without one', async () => {
    const before = s.server.ctx.queue.snapshot().waiting.length;
    for (let i = 0; i < 30; i++) await issue((i % 3) + 1);
    const waiting = before + 30;
    const tv = screen(s.displayToken);
    const kiosk = screen(s.kioskToken);
    const admin = screen(s.adminToken);
    const [tvSnap, kioskSnap, adminSnap] = await Promise.all([tv.snapshot, kiosk.snapshot, admin.snapshot]);
    for (const snap of [tvSnap, kioskSnap]) {
      expect(snap.waiting).toEqual([]);
      expect(snap.waitingOmitted).toBe(true);
      expect(snap.services.reduce((n, x) => n + x.waiting, 0)).toBe(waiting);
    }
    expect(adminSnap.waiting).toHaveLength(waiting);
    expect(adminSnap.waitingOmitted).toBeUndefined();
    // Everything else is the same as the staff screen's, but for the officer on each counter.
    const { waiting: _w, waitingOmitted: _o, counters: tvCounters, ...tvRest } = tvSnap;
    const { waiting: _aw, counters: adminCounters, ...adminRest } = adminSnap;
    expect(tvRest).toEqual(adminRest);
    expect(tvCounters).toEqual(adminCounters.map(({ officer: _officer, ...c }) => c));
    expect(JSON.stringify(tvSnap).length).toBeLessThan(JSON.stringify(adminSnap).length / 3);

    // The shared reducer keeps a public screen's list empty as tickets come and go.
    let state = tvSnap;
    const seq0 = tvSnap.seq;
    await issue(1);
    await post('/counters/1/call-next');
    const seq1 = s.server.ctx.repos.events.lastSeq();
    const events = await until(() => {
      const mine = tv.events.filter((e) => e.payload.seq > seq0);
      return mine.length === seq1 - seq0 ? mine : undefined;
    }, 'the TV has the events');
    for (const e of events) {
      const r = applyQueueEvent(state, e);
      if (!r.ok) throw new Error(`${e.type}: ${r.reason}`);
      state = r.state;
    }
    expect(state.waiting).toEqual([]);
    expect(state.services.reduce((n, x) => n + x.waiting, 0)).toBe(waiting);
    const fresh = (await tv.socket.emitWithAck('queue:sync')) as { ok: true; data: Snapshot };
    expect(state).toEqual(fresh.data);
  });
});
