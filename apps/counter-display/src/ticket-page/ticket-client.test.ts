import type { PublicTicket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import type { FetchResult, Link, TicketSocket } from './ticket-client.js';
import { POLL_MS, RETRY_REFUSED_MS, watchTicket } from './ticket-client.js';

const ID = 'Ab3dEf6hIj9kLm2nOp5q_-';
const status = (ahead: number): PublicTicket => ({ id: ID, number: '1005', serviceId: 1, status: 'waiting', ahead });

class FakeSocket {
  connected = false;
  active = true;
  connects = 0;
  listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  on(event: string, fn: (...a: unknown[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
  connect() {
    this.connects++;
  }
  up() {
    this.connected = true;
    this.active = true;
    this.fire('connect');
  }
  drop(reason = 'transport close') {
    this.connected = false;
    this.fire('disconnect', reason);
  }
  disconnect() {
    this.connected = false;
  }
  removeAllListeners() {
    this.listeners.clear();
  }
}

function setup() {
  const socket = new FakeSocket();
  const tickets: PublicTicket[] = [];
  const links: Link[] = [];
  let unknown = 0;
  const fetches: ((r: FetchResult) => void)[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  const client = watchTicket(
    ID,
    { onTicket: (t) => tickets.push(t), onUnknown: () => unknown++, onLink: (l) => links.push(l) },
    {
      openSocket: () => socket as unknown as TicketSocket,
      fetchTicket: () => new Promise<FetchResult>((resolve) => fetches.push(resolve)),
      setTimeout: (fn, ms) => {
        const id = nextTimer++;
        timers.set(id, { fn, ms });
        return id;
      },
      clearTimeout: (h) => timers.delete(h as number),
    },
  );
  /** Runs the pending timers of this length. */
  const tick = (ms: number) => {
    for (const [id, t] of [...timers]) {
      if (t.ms !== ms) continue;
      timers.delete(id);
      t.fn();
    }
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { socket, tickets, links, fetches, timers, tick, settle, client, unknown: () => unknown };
}

describe('watchTicket', () => {
  it('shows the HTTP answer first, then every socket status', async () => {
    const s = setup();
    expect(s.fetches).toHaveLength(1);
    s.fetches[0]?.({ kind: 'ok', ticket: status(2) });
    await s.settle();
    s.socket.up();
    s.socket.fire('ticket:status', status(1));
    expect(s.tickets.map((t) => t.ahead)).toEqual([2, 1]);
    expect(s.links).toEqual(['live']);
  });

  it('drops an HTTP answer that a newer socket status overtook', async () => {
    const s = setup();
    s.socket.up();
    s.socket.fire('ticket:status', status(0));
    s.fetches[0]?.({ kind: 'ok', ticket: status(1) });
    await s.settle();
    expect(s.tickets.map((t) => t.ahead)).toEqual([0]);
  });

  it('says reconnecting and polls every 30 s while the socket is down, stops when it is back', async () => {
    const s = setup();
    s.socket.up();
    s.socket.drop();
    expect(s.links.at(-1)).toBe('reconnecting');
    s.tick(POLL_MS);
    expect(s.fetches).toHaveLength(2);
    s.fetches[1]?.({ kind: 'ok', ticket: status(3) });
    await s.settle();
    expect(s.tickets.at(-1)?.ahead).toBe(3);
    s.tick(POLL_MS);
    expect(s.fetches).toHaveLength(3);
    s.socket.up();
    expect(s.links.at(-1)).toBe('live');
    s.tick(POLL_MS);
    expect(s.fetches).toHaveLength(3);
  });

  it('reconnects by hand when the server closed the socket on purpose', () => {
    const s = setup();
    s.socket.up();
    s.socket.drop('io server disconnect');
    s.tick(RETRY_REFUSED_MS);
    expect(s.socket.connects).toBe(1);
  });

  it('tells a made-up id apart from a passing refusal', async () => {
    const s = setup();
    s.socket.active = false;
    s.socket.fire('connect_error', Object.assign(new Error('UNAUTHORIZED'), { data: { code: 'UNAUTHORIZED' } }));
    expect(s.fetches).toHaveLength(2);
    s.fetches[1]?.({ kind: 'not-found' });
    await s.settle();
    expect(s.unknown()).toBe(1);
    // Gave up: no more polling nor retries.
    expect(s.timers.size).toBe(0);
  });

  it('retries later after a refusal that is not about the ticket (too many connections)', () => {
    const s = setup();
    s.socket.active = false;
    s.socket.fire('connect_error', Object.assign(new Error('TOO_MANY_REQUESTS'), { data: { code: 'TOO_MANY_REQUESTS' } }));
    expect(s.fetches).toHaveLength(1);
    s.tick(RETRY_REFUSED_MS);
    expect(s.socket.connects).toBe(1);
  });

  it('on refresh (the page is visible again) asks over HTTP and wakes a socket that gave up', () => {
    const s = setup();
    s.socket.active = false;
    s.client.refresh();
    expect(s.fetches).toHaveLength(2);
    expect(s.socket.connects).toBe(1);
  });

  it('ignores statuses of other tickets and everything after close', () => {
    const s = setup();
    s.socket.up();
    s.socket.fire('ticket:status', { ...status(1), id: 'someone-else-xxxxxxx' });
    s.client.close();
    s.socket.fire('ticket:status', status(0));
    expect(s.tickets).toEqual([]);
  });
});
