import type { LuotSocket, OpenSocket, SocketAuth } from './connection.js';
import type { Timing } from './timing.js';

/**
 * Stand-ins for unit tests of the rules (not exported from the package): a manual clock, and a
 * socket that behaves like socket.io-client's for the parts the clients use. Integration tests
 * (apps/server/test/client) use the real server and the real socket.io client.
 */
export class FakeTiming implements Timing {
  private t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  randomValue = 0.5;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  now = (): number => this.t;
  random = (): number => this.randomValue;
  /** Moves time forward, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
  /** Delays of the timers now pending, from now. */
  pending(): number[] {
    return [...this.timers.values()].map((x) => x.at - this.t).sort((a, b) => a - b);
  }
}

type Listener = (...args: never[]) => void;

export class FakeSocket {
  connected = false;
  /** Like socket.io: false after the server refused the handshake or disconnected us. */
  active = false;
  /** connect() calls: one per attempt. */
  attempts = 0;
  syncRequests: ((err: Error | null, result?: unknown) => void)[] = [];
  readonly listeners = new Map<string, Listener[]>();
  constructor(readonly url: string | undefined, readonly auth: SocketAuth | undefined) {}

  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }
  timeout(_ms: number) {
    return {
      emit: (event: string, ack: (err: Error | null, result?: unknown) => void) => {
        if (event === 'queue:sync') this.syncRequests.push(ack);
      },
    };
  }
  connect(): this {
    this.attempts++;
    this.active = true;
    return this;
  }
  disconnect(): this {
    this.connected = false;
    this.active = false;
    return this;
  }

  /** The server fires `event` at this socket. */
  fire(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
  // ---- what happens to the pending attempt ----
  accept(): void {
    this.connected = true;
    this.fire('connect');
  }
  /** A network failure: socket.io stays active (it would retry itself if its reconnection were on). */
  fail(message = 'websocket error'): void {
    this.fire('connect_error', new Error(message));
  }
  /** The server's middleware refused the handshake with this code. */
  refuse(code: string): void {
    this.active = false;
    this.fire('connect_error', Object.assign(new Error(code), { data: { code, message: code, messageVi: code } }));
  }
  // ---- a live connection ends ----
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }
  /** The server's own disconnect (shutdown): socket.io deactivates the socket and never retries. */
  kick(): void {
    this.connected = false;
    this.active = false;
    this.fire('disconnect', 'io server disconnect');
  }
  /** Answers the oldest pending queue:sync. */
  answerSync(result: unknown): void {
    const ack = this.syncRequests.shift();
    if (!ack) throw new Error('no queue:sync pending');
    ack(null, result);
  }
}

/** An OpenSocket that hands out fake sockets and remembers them. */
export function fakeSockets(): { open: OpenSocket; sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  return {
    open: (url, options) => {
      const s = new FakeSocket(url, options.auth as SocketAuth | undefined);
      sockets.push(s);
      // The real one's type, for the parts the clients use (the tests drive them by hand).
      return s as unknown as LuotSocket;
    },
    sockets,
    last: () => {
      const s = sockets.at(-1);
      if (!s) throw new Error('no socket opened');
      return s;
    },
  };
}
