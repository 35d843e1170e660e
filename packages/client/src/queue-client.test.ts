import type { Call, Snapshot, Ticket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { createQueueClient, type ConnectionStatus, type StateCause } from './queue-client.js';
import { fakeSockets, FakeTiming } from './test-support.js';

const snap = (seq: number, waiting: Ticket[] = [], over: Partial<Snapshot> = {}): Snapshot => ({ seq, businessDay: '2026-11-23', services: [], counters: [], waiting, recentCalls: [], ...over });
const ticket = (n: string, ahead = 0): Ticket => ({ id: `ticket-${n}`.padEnd(16, 'x'), number: n, serviceId: 1, priority: false, status: 'waiting', issuedAt: '2026-11-23T08:00:00+07:00', ahead });

function setup() {
  const sockets = fakeSockets();
  const timing = new FakeTiming();
  const states: { state: Snapshot; cause: StateCause }[] = [];
  const statuses: ConnectionStatus[] = [];
  const alerts: string[] = [];
  const client = createQueueClient({
    url: 'http://server',
    token: 'tok',
    onState: (state, cause) => states.push({ state, cause }),
    onStatus: (s) => statuses.push(s),
    onDeviceAlert: (a) => alerts.push(a.code),
    openSocket: sockets.open,
    timing,
  });
  const socket = sockets.last();
  const seqs = () => states.map((s) => s.state.seq);
  return { client, socket, timing, states, statuses, alerts, seqs };
}

describe('createQueueClient', () => {
  it('connects with the token, takes the snapshot pushed on connect and applies events in seq order', () => {
    const c = setup();
    expect(c.socket.auth).toEqual({ token: 'tok' });
    expect(c.socket.url).toBe('http://server');
    c.socket.accept();
    expect(c.statuses).toEqual([]); // connected, but not live before a snapshot
    c.socket.fire('queue:snapshot', snap(5));
    expect(c.statuses).toEqual(['live']);
    c.socket.fire('ticket:issued', { seq: 6, ticket: ticket('1001') });
    c.socket.fire('ticket:issued', { seq: 6, ticket: ticket('1001') }); // a duplicate: stale, ignored
    expect(c.seqs()).toEqual([5, 6]);
    expect(c.client.state?.waiting.map((t) => t.number)).toEqual(['1001']);
    expect(c.socket.syncRequests).toHaveLength(0); // the pushed snapshot was enough
  });

  it('asks for a snapshot when none is pushed on connect', () => {
    const c = setup();
    c.socket.accept();
    c.timing.advance(1500);
    expect(c.socket.syncRequests).toHaveLength(1);
    c.socket.answerSync({ ok: true, data: snap(3) });
    expect(c.client.status).toBe('live');
  });

  it('on a gap, does not apply the event but asks for a snapshot, once, and goes on from it', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(5));
    c.socket.fire('ticket:issued', { seq: 8, ticket: ticket('1003') });
    c.socket.fire('ticket:issued', { seq: 9, ticket: ticket('1004') }); // still a gap; sync already asked
    expect(c.seqs()).toEqual([5]);
    expect(c.socket.syncRequests).toHaveLength(1);
    c.socket.answerSync({ ok: true, data: snap(9, [ticket('1003'), ticket('1004', 1)]) });
    c.socket.fire('ticket:issued', { seq: 10, ticket: ticket('1005', 2) });
    expect(c.seqs()).toEqual([5, 9, 10]);
  });

  it('asks again when a sync gets no answer', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(5));
    c.socket.fire('ticket:issued', { seq: 7, ticket: ticket('1003') });
    c.socket.syncRequests.shift()?.(new Error('operation has timed out'));
    c.timing.advance(1000);
    expect(c.socket.syncRequests).toHaveLength(1);
  });

  it('keeps events that come before the connect snapshot and applies the ones it does not contain', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('ticket:issued', { seq: 4, ticket: ticket('1001') });
    c.socket.fire('ticket:issued', { seq: 5, ticket: ticket('1002', 1) });
    expect(c.states).toEqual([]);
    c.socket.fire('queue:snapshot', snap(4, [ticket('1001')]));
    expect(c.seqs()).toEqual([4, 5]);
    expect(c.client.state?.waiting.map((t) => t.number)).toEqual(['1001', '1002']);
  });

  it('says disconnected at once when the connection drops, keeps the last state, and is live again only with a fresh snapshot', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(5));
    c.socket.drop();
    expect(c.client.status).toBe('disconnected');
    expect(c.client.state?.seq).toBe(5);
    c.timing.advance(2500);
    c.socket.accept();
    expect(c.client.status).toBe('disconnected');
    // An event before the new snapshot is not applied to the old state.
    c.socket.fire('ticket:issued', { seq: 9, ticket: ticket('1009') });
    expect(c.seqs()).toEqual([5]);
    c.socket.fire('queue:snapshot', snap(9, [ticket('1009')]));
    expect(c.client.status).toBe('live');
    expect(c.statuses).toEqual(['live', 'disconnected', 'live']);
    expect(c.states.at(-1)?.cause).toEqual({ kind: 'snapshot', previous: snap(5), newDay: false });
  });

  it('comes back after the server\'s own disconnect (shutdown), which socket.io never retries', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(5));
    c.socket.kick();
    expect(c.client.status).toBe('disconnected');
    c.timing.advance(2500);
    expect(c.socket.attempts).toBe(2);
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(5));
    expect(c.client.status).toBe('live');
  });

  it('takes the first snapshot after a reconnect even if its seq is lower (a restored server)', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(50));
    c.socket.drop();
    c.timing.advance(2500);
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(20));
    expect(c.client.state?.seq).toBe(20);
    // Within a connection, an older snapshot than the state is a late answer: dropped.
    c.socket.fire('ticket:issued', { seq: 21, ticket: ticket('1001') });
    c.socket.fire('queue:snapshot', snap(20));
    expect(c.client.state?.seq).toBe(21);
  });

  it('replaces the state on a new business day and does not diff it against yesterday', () => {
    const c = setup();
    const call: Call = { ticketId: 'ticket-1001xxxxxxx', number: '1001', serviceId: 1, counter: { id: 1, number: 1, name: 'Quầy 1' }, calledAt: '2026-11-23T16:00:00+07:00', recall: false };
    c.socket.accept();
    c.socket.fire('queue:snapshot', snap(5, [], { recentCalls: [call] }));
    // The server pushes a fresh snapshot at midnight: same seq (nothing happened), a new day.
    c.socket.fire('queue:snapshot', snap(5, [], { businessDay: '2026-11-24' }));
    expect(c.client.state?.recentCalls).toEqual([]);
    expect(c.states.at(-1)?.cause).toEqual({ kind: 'snapshot', previous: null, newDay: true });
  });

  it('reports a refused token as unauthorized and stops trying', () => {
    const c = setup();
    c.socket.refuse('UNAUTHORIZED');
    expect(c.statuses).toEqual(['unauthorized']);
    c.timing.advance(60_000);
    expect(c.socket.attempts).toBe(1);
  });

  it('keeps trying after a refusal that is not about the token', () => {
    const c = setup();
    c.socket.refuse('SERVER_RESTARTING');
    expect(c.client.status).toBe('disconnected');
    c.timing.advance(2500);
    expect(c.socket.attempts).toBe(2);
  });

  it('passes device alerts on, and stops listening when closed', () => {
    const c = setup();
    c.socket.accept();
    c.socket.fire('device:alert', { code: 'device_offline' });
    expect(c.alerts).toEqual(['device_offline']);
    c.client.close();
    c.socket.fire('queue:snapshot', snap(3));
    c.socket.drop();
    expect(c.states).toEqual([]);
    expect(c.timing.pending()).toEqual([]);
  });
});
