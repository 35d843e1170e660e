import { applyQueueEvent, type QueueEvent, type ServerToClientEvents, type ClientToServerEvents, type Snapshot } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The same connection without the contract's types, for tests that send what no client may (a
 * malformed payload, no ack, an unknown event): the server must refuse it, so a test must be able
 * to send it. A typed socket is an untyped one too: no cast.
 */
export function offContract(socket: ClientSocket): Socket {
  return socket;
}

/** Every seq event, each with its own type: the mapped type makes forgetting one a compile error. */
function onQueueEvents(socket: ClientSocket, apply: (event: QueueEvent) => void): void {
  const subscriptions: { [K in QueueEvent['type']]: () => void } = {
    'ticket:issued': () => socket.on('ticket:issued', (payload) => apply({ type: 'ticket:issued', payload })),
    'ticket:called': () => socket.on('ticket:called', (payload) => apply({ type: 'ticket:called', payload })),
    'ticket:updated': () => socket.on('ticket:updated', (payload) => apply({ type: 'ticket:updated', payload })),
    'counter:updated': () => socket.on('counter:updated', (payload) => apply({ type: 'counter:updated', payload })),
    'service:updated': () => socket.on('service:updated', (payload) => apply({ type: 'service:updated', payload })),
    'center:updated': () => socket.on('center:updated', (payload) => apply({ type: 'center:updated', payload })),
  };
  for (const subscribe of Object.values(subscriptions)) subscribe();
}

/**
 * A socket.io client that follows the seq rule exactly as a screen does: snapshot on connect,
 * apply each event, and on a gap ask for a new snapshot with queue:sync.
 */
export class QueueClient {
  readonly socket: ClientSocket;
  state: Snapshot | null = null;
  readonly received: QueueEvent[] = [];
  gaps = 0;
  snapshots = 0;
  /** Tests set this to drop events on the floor, as a flaky Wi-Fi would. */
  dropNext = 0;
  private waiters: (() => void)[] = [];

  constructor(url: string, token: string, opts: { reconnection?: boolean } = {}) {
    this.socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: opts.reconnection ?? true, reconnectionDelay: 50, reconnectionDelayMax: 200 });
    this.socket.on('queue:snapshot', (s) => {
      this.snapshots++;
      this.state = s;
      this.notify();
    });
    onQueueEvents(this.socket, (event) => {
      this.received.push(event);
      if (this.dropNext > 0) {
        this.dropNext--;
        return;
      }
      if (!this.state) return;
      const r = applyQueueEvent(this.state, event);
      if (r.ok) this.state = r.state;
      else if (r.reason === 'gap') {
        this.gaps++;
        this.socket.emit('queue:sync', (res) => {
          if (res.ok) this.state = res.data;
          this.notify();
        });
      }
      this.notify();
    });
  }

  private notify() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Resolves when the predicate holds on this client's state (or rejects after timeoutMs). */
  async until(pred: (s: Snapshot) => boolean, timeoutMs = 5000): Promise<Snapshot> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.state && pred(this.state))) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met in ${timeoutMs} ms; seq=${this.state?.seq}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.state as Snapshot;
  }

  connected(): Promise<void> {
    if (this.socket.connected && this.state) return Promise.resolve();
    return this.until(() => true).then(() => undefined);
  }

  close() {
    this.socket.close();
  }
}

/** The parts of a snapshot every screen must agree on with the server. */
export function comparable(s: Snapshot) {
  return {
    seq: s.seq,
    waiting: s.waiting.map((t) => `${t.id}:${t.number}:${t.serviceId}:${t.status}`).sort(),
    counters: s.counters.map((c) => ({ id: c.id, state: c.state, current: c.currentTicket?.id ?? null, currentStatus: c.currentTicket?.status ?? null })),
    recentCalls: s.recentCalls.map((c) => `${c.ticketId}:${c.counter.id}:${c.recall}`),
    services: s.services.map((x) => ({ id: x.id, waiting: x.waiting })),
  };
}
