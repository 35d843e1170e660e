import type { PublicTicket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { fakeSockets, FakeTiming } from './test-support.js';
import { POLL_MS, watchTicket, type FetchResult, type WatchStatus } from './ticket-watch.js';

const ID = 'Ab3dEf6hIj9kLm2nOp5q_-';
const status = (ahead: number): PublicTicket => ({ id: ID, number: '1005', serviceId: 1, status: 'waiting', ahead });

function setup() {
  const sockets = fakeSockets();
  const timing = new FakeTiming();
  const tickets: PublicTicket[] = [];
  const statuses: WatchStatus[] = [];
  let unknown = 0;
  const fetches: ((r: FetchResult) => void)[] = [];
  const client = watchTicket(
    ID,
    { onTicket: (t) => tickets.push(t), onUnknown: () => unknown++, onStatus: (s) => statuses.push(s) },
    { openSocket: sockets.open, timing, fetchTicket: () => new Promise<FetchResult>((resolve) => fetches.push(resolve)) },
  );
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { socket: sockets.last(), timing, tickets, statuses, fetches, settle, client, unknown: () => unknown };
}

describe('watchTicket', () => {
  it('connects with the ticket id, shows the HTTP answer first, then every socket status', async () => {
    const s = setup();
    expect(s.socket.auth).toEqual({ ticketId: ID });
    expect(s.fetches).toHaveLength(1);
    s.fetches[0]?.({ kind: 'ok', ticket: status(2) });
    await s.settle();
    s.socket.accept();
    s.socket.fire('ticket:status', status(1));
    expect(s.tickets.map((t) => t.ahead)).toEqual([2, 1]);
    expect(s.statuses).toEqual(['live']);
  });

  it('drops an HTTP answer that a newer socket status overtook', async () => {
    const s = setup();
    s.socket.accept();
    s.socket.fire('ticket:status', status(0));
    s.fetches[0]?.({ kind: 'ok', ticket: status(1) });
    await s.settle();
    expect(s.tickets.map((t) => t.ahead)).toEqual([0]);
  });

  it('says disconnected and polls every 30 s while the socket is down; stops when it is back', async () => {
    const s = setup();
    s.socket.accept();
    s.socket.drop();
    expect(s.statuses.at(-1)).toBe('disconnected');
    s.timing.randomValue = 0;
    // The socket keeps trying meanwhile (every 2.5 s at most); the server stays away.
    for (let t = 0; t < POLL_MS; t += 100) {
      s.timing.advance(100);
      if (s.socket.active && !s.socket.connected) s.socket.fail('xhr poll error');
    }
    expect(s.fetches).toHaveLength(2);
    s.fetches[1]?.({ kind: 'ok', ticket: status(3) });
    await s.settle();
    expect(s.tickets.at(-1)?.ahead).toBe(3);
    s.timing.advance(2500);
    s.socket.accept();
    expect(s.statuses.at(-1)).toBe('live');
    s.timing.advance(POLL_MS);
    expect(s.fetches).toHaveLength(2);
  });

  it('reconnects after the server closed the socket on purpose, by the screens\' backoff', () => {
    const s = setup();
    s.socket.accept();
    s.socket.kick();
    s.timing.advance(2500);
    expect(s.socket.attempts).toBe(2);
  });

  it('tells a made-up id apart from a passing refusal', async () => {
    const s = setup();
    s.socket.refuse('UNAUTHORIZED');
    expect(s.fetches).toHaveLength(2);
    s.fetches[1]?.({ kind: 'not-found' });
    await s.settle();
    expect(s.unknown()).toBe(1);
    // Gave up: no more polling nor retries.
    expect(s.timing.pending()).toEqual([]);
  });

  it('goes on trying after an UNAUTHORIZED refusal when the ticket does exist', async () => {
    const s = setup();
    s.socket.refuse('UNAUTHORIZED');
    s.fetches[1]?.({ kind: 'ok', ticket: status(4) });
    await s.settle();
    s.timing.advance(2500);
    expect(s.socket.attempts).toBe(2);
    expect(s.tickets.at(-1)?.ahead).toBe(4);
  });

  it('waits longer after a refusal for too many connections from the Wi-Fi\'s address', () => {
    const s = setup();
    s.socket.refuse('TOO_MANY_REQUESTS');
    expect(s.fetches).toHaveLength(1);
    s.timing.advance(9_999);
    expect(s.socket.attempts).toBe(1);
    s.timing.advance(1);
    expect(s.socket.attempts).toBe(2);
  });

  it('on refresh (the page is visible again) asks over HTTP and tries the socket at once', () => {
    const s = setup();
    s.socket.refuse('TOO_MANY_REQUESTS');
    s.client.refresh();
    expect(s.fetches).toHaveLength(2);
    expect(s.socket.attempts).toBe(2);
  });

  it('ignores statuses of other tickets and everything after close', () => {
    const s = setup();
    s.socket.accept();
    s.socket.fire('ticket:status', { ...status(1), id: 'someone-else-xxxxxxx' });
    s.client.close();
    s.socket.fire('ticket:status', status(0));
    expect(s.tickets).toEqual([]);
    expect(s.timing.pending()).toEqual([]);
  });
});
