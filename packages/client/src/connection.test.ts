import { describe, expect, it } from 'vitest';
import { isAuthRefusal, keepConnected, socketOptions, type LuotSocket } from './connection.js';
import { FakeSocket, FakeTiming } from './test-support.js';
import { backoffDelay, RECONNECT_POLICY } from './timing.js';

describe('backoffDelay', () => {
  it('doubles from the first delay up to the cap, and jitter only shortens it', () => {
    const p = { firstDelayMs: 300, factor: 2, maxDelayMs: 2500, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, p, () => 0))).toEqual([300, 600, 1200, 2400, 2500, 2500]);
    expect(backoffDelay(10, p, () => 0.999)).toBeGreaterThanOrEqual(1250);
    expect(backoffDelay(0, p, () => 0.5)).toBe(225);
  });

  it('never waits longer than the screens\' cap, whatever the attempt and the dice', () => {
    for (let n = 0; n < 50; n++) for (const r of [0, 0.3, 0.99]) expect(backoffDelay(n, RECONNECT_POLICY, () => r)).toBeLessThanOrEqual(RECONNECT_POLICY.maxDelayMs);
  });
});

describe('socketOptions', () => {
  it('turns socket.io\'s own reconnection off (the client does it for every reason) and does not connect before the listeners are on', () => {
    expect(socketOptions({ token: 't' })).toMatchObject({ auth: { token: 't' }, reconnection: false, autoConnect: false });
  });
});

function setup() {
  const socket = new FakeSocket(undefined, { token: 't' });
  const timing = new FakeTiming();
  const log: string[] = [];
  let decision: 'stop' | 'retry' = 'retry';
  const link = keepConnected(
    socket as unknown as LuotSocket,
    {
      onUp: () => log.push('up'),
      onDown: (r) => log.push(`down:${r}`),
      onRefused: (code) => {
        log.push(`refused:${code}`);
        return decision;
      },
    },
    { timing, busyDelayMs: 10_000 },
  );
  return { socket, timing, log, link, stopOnRefusal: () => (decision = 'stop') };
}

describe('keepConnected', () => {
  it('connects at once, and after a drop tries again after the backoff', () => {
    const s = setup();
    expect(s.socket.attempts).toBe(1);
    s.socket.accept();
    s.socket.drop('ping timeout');
    expect(s.log).toEqual(['up', 'down:ping timeout']);
    expect(s.timing.pending()).toEqual([225]);
    s.timing.advance(225);
    expect(s.socket.attempts).toBe(2);
  });

  it.each(['transport close', 'transport error', 'ping timeout', 'io server disconnect', 'parse error'])('reconnects after "%s"', (reason) => {
    const s = setup();
    s.socket.accept();
    if (reason === 'io server disconnect') s.socket.kick();
    else s.socket.drop(reason);
    s.timing.advance(RECONNECT_POLICY.maxDelayMs);
    expect(s.socket.attempts).toBe(2);
    s.socket.accept();
    expect(s.log.at(-1)).toBe('up');
  });

  it('backs off while the server is down, capped, and starts over once connected', () => {
    const s = setup();
    s.timing.randomValue = 0; // no jitter: the longest waits
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      s.socket.fail('xhr poll error');
      waits.push(s.timing.pending()[0]!);
      s.timing.advance(waits.at(-1)!);
    }
    expect(waits).toEqual([300, 600, 1200, 2400, 2500, 2500, 2500]);
    s.socket.accept();
    s.socket.drop();
    expect(s.timing.pending()).toEqual([300]);
  });

  it('keeps trying after a refusal that is not about the token (the server is starting), slower for too many connections', () => {
    const s = setup();
    s.socket.refuse('SERVER_RESTARTING');
    expect(s.log).toEqual(['refused:SERVER_RESTARTING', 'down:SERVER_RESTARTING']);
    s.timing.advance(300);
    expect(s.socket.attempts).toBe(2);
    s.socket.refuse('TOO_MANY_REQUESTS');
    expect(s.timing.pending()).toEqual([10_000]);
  });

  it('stops for good when the handler says so (a revoked token)', () => {
    const s = setup();
    s.stopOnRefusal();
    s.socket.refuse('UNAUTHORIZED');
    expect(s.link.stopped).toBe(true);
    expect(s.timing.pending()).toEqual([]);
    s.link.reconnectNow();
    expect(s.socket.attempts).toBe(1);
  });

  it('reconnectNow skips the wait; close stops everything and is not taken for a disconnect', () => {
    const s = setup();
    s.socket.fail();
    s.link.reconnectNow();
    expect(s.socket.attempts).toBe(2);
    expect(s.timing.pending()).toEqual([]);
    s.socket.accept();
    s.link.close();
    s.socket.fire('disconnect', 'io client disconnect');
    expect(s.log).toEqual(['down:websocket error', 'up']);
    expect(s.timing.pending()).toEqual([]);
  });

  it('tells an auth refusal from the rest', () => {
    expect(['UNAUTHORIZED', 'FORBIDDEN', 'INVALID_TOKEN'].every(isAuthRefusal)).toBe(true);
    expect(['TOO_MANY_REQUESTS', 'SERVER_RESTARTING', 'websocket error', 'timeout'].some(isAuthRefusal)).toBe(false);
  });
});
