import type { Snapshot, Ticket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, QueueSocket } from './queue-client.js';
import { connectQueue } from './queue-client.js';

/** Just enough of a socket.io client socket to drive connectQueue by hand. */
class FakeSocket {
  connected = false;
  active = true;
  listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  syncAcks: ((err: Error | null, res?: unknown) => void)[] = [];
  on(event: string, fn: (...args: unknown[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  timeout() {
    return {
      emit: (event: string, ack: (err: Error | null, res?: unknown) => void) => {
        if (event === 'queue:sync') this.syncAcks.push(ack);
      },
    };
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
  connect() {
    this.connected = true;
    this.fire('connect');
  }
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  disconnect() {
    this.connected = false;
  }
  removeAllListeners() {
    this.listeners.clear();
  }
}

const snap = (seq: number, waiting: Ticket[] = []): Snapshot => ({ seq, businessDay: '2025-11-23', services: [], counters: [], waiting, recentCalls: [] });
const ticket = (n: string): Ticket => ({ id: `ticket-${n}`.padEnd(16, 'x'), number: n, serviceId: 1, priority: false, status: 'waiting', issuedAt: '2025-11-23T08:00:00+07:00' });

function setup() {
  const socket = new FakeSocket();
  const states: Snapshot[] = [];
  const statuses: ConnectionStatus[] = [];
  const client = connectQueue('tok', { onState: (s) => states.push(s), onStatus: (s) => statuses.push(s) }, () => socket as unknown as QueueSocket);
  return { socket, states, statuses, client };
}

describe('connectQueue', () => {
  it('asks for a snapshot on connect and applies events in seq order', () => {
    const { socket, states, statuses } = setup();
    socket.connect();
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(socket.syncAcks).toHaveLength(1);
    socket.syncAcks[0]?.(null, { ok: true, data: snap(5) });
    socket.fire('ticket:issued', { seq: 6, ticket: ticket('1001') });
    socket.fire('ticket:issued', { seq: 6, ticket: ticket('1001') }); // a duplicate: stale, ignored
    expect(states.map((s) => s.seq)).toEqual([5, 6]);
    expect(states.at(-1)?.waiting.map((t) => t.number)).toEqual(['1001']);
  });

  it('on a gap, does not apply the event but asks for a new snapshot, once', () => {
    const { socket, states } = setup();
    socket.connect();
    socket.syncAcks[0]?.(null, { ok: true, data: snap(5) });
    socket.fire('ticket:issued', { seq: 8, ticket: ticket('1003') });
    socket.fire('ticket:issued', { seq: 9, ticket: ticket('1004') }); // still a gap, sync already asked
    expect(states.map((s) => s.seq)).toEqual([5]);
    expect(socket.syncAcks).toHaveLength(2);
    socket.syncAcks[1]?.(null, { ok: true, data: snap(9, [ticket('1003'), ticket('1004')]) });
    socket.fire('ticket:issued', { seq: 10, ticket: ticket('1005') });
    expect(states.map((s) => s.seq)).toEqual([5, 9, 10]);
  });

  it('ignores events before the first snapshot, and takes pushed snapshots', () => {
    const { socket, states } = setup();
    socket.connect();
    socket.fire('ticket:issued', { seq: 1, ticket: ticket('1001') });
    expect(states).toEqual([]);
    socket.fire('queue:snapshot', snap(3));
    expect(states.map((s) => s.seq)).toEqual([3]);
  });

  it('reports a lost connection and resyncs when it is back', () => {
    const { socket, statuses } = setup();
    socket.connect();
    socket.syncAcks[0]?.(null, { ok: true, data: snap(5) });
    socket.drop();
    expect(statuses.at(-1)).toBe('disconnected');
    socket.connect();
    expect(statuses.at(-1)).toBe('connected');
    expect(socket.syncAcks).toHaveLength(2);
  });

  it('reports a refused token as unauthorized (socket.io will not retry that)', () => {
    const { socket, statuses } = setup();
    socket.active = false;
    socket.fire('connect_error', new Error('UNAUTHORIZED'));
    expect(statuses.at(-1)).toBe('unauthorized');
  });

  it('stops listening when closed', () => {
    const { socket, states, client } = setup();
    socket.connect();
    client.close();
    socket.fire('queue:snapshot', snap(3));
    expect(states).toEqual([]);
  });
});
