import type { DeviceAlert, QueueEvent, Snapshot } from '@luot/protocol';
import { applyQueueEvent } from '@luot/protocol';
import { isAuthRefusal, keepConnected, openSocket as defaultOpenSocket, socketOptions, type Link, type LuotSocket, type OpenSocket } from './connection.js';
import { RECONNECT_POLICY, systemTiming, type BackoffPolicy, type Timing } from './timing.js';

/**
 * - connecting: not live yet since the client started;
 * - live: connected, and the state is the server's (a snapshot came after the last connect);
 * - disconnected: the connection was lost (or never made); the state shown is the last known
 *   one and may be stale; retrying;
 * - unauthorized: the server refused the token (revoked or unknown); no more retries.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'disconnected' | 'unauthorized';

/** Why the state changed. */
export type StateCause =
  | {
      kind: 'snapshot';
      /**
       * The state this snapshot replaces; null for the first one, and for the first one of a new
       * business day (a new day is a new state, never a diff against yesterday's).
       */
      previous: Snapshot | null;
      /** The snapshot is of a later business day than the previous state. */
      newDay: boolean;
    }
  | { kind: 'event'; event: QueueEvent };

export interface QueueClientOptions {
  /** The server's origin; omitted: the page's own origin (pages are served by the server). */
  url?: string;
  token: string;
  onState?(state: Snapshot, cause: StateCause): void;
  onStatus?(status: ConnectionStatus): void;
  /** Staff sockets also receive device alerts (not part of the queue state: no seq). */
  onDeviceAlert?(alert: DeviceAlert): void;
  policy?: BackoffPolicy;
  timing?: Timing;
  /** Replaceable so the rules are unit-tested with a fake socket. */
  openSocket?: OpenSocket;
  /** How long to wait for the snapshot the server pushes on connect before asking for one. */
  snapshotWaitMs?: number;
  /** How long a `queue:sync` may take before it is asked again. */
  syncTimeoutMs?: number;
}

export interface QueueClient {
  /** The last state (possibly stale: see `status`), null before the first snapshot. */
  readonly state: Snapshot | null;
  readonly status: ConnectionStatus;
  /** Asks the server for a fresh snapshot now. */
  resync(): void;
  /** Retries the connection now rather than after the backoff (the browser came back online). */
  reconnectNow(): void;
  close(): void;
}

/** Events received before the first snapshot after a connect are kept (at most this many) and replayed on it. */
const MAX_PENDING = 1000;

/**
 * The live queue for a screen: connect with a token, take the snapshot, apply each event with the
 * shared reducer (`applyQueueEvent`), ask `queue:sync` on a seq gap, ignore stale events, take a
 * fresh snapshot after every (re)connect, and reconnect after every kind of disconnect (see
 * `keepConnected`). Status is 'live' only while connected with a state taken since the last
 * connect; a screen never shows stale state as live. A snapshot of a new business day replaces
 * the state and says so (`previous: null, newDay: true`). Why each rule exists:
 * docs/architecture.md, "How a client stays in step".
 */
export function createQueueClient(opts: QueueClientOptions): QueueClient {
  const timing = opts.timing ?? systemTiming;
  const snapshotWaitMs = opts.snapshotWaitMs ?? 1500;
  const syncTimeoutMs = opts.syncTimeoutMs ?? 5000;
  const socket: LuotSocket = (opts.openSocket ?? defaultOpenSocket)(opts.url, socketOptions({ token: opts.token }));

  let state: Snapshot | null = null;
  let status: ConnectionStatus = 'connecting';
  /** A snapshot arrived since the last connect: events can be applied to `state`. */
  let fresh = false;
  let pending: QueueEvent[] = [];
  let syncing = false;
  let syncTimer: unknown = null;
  let closed = false;

  const setStatus = (s: ConnectionStatus) => {
    if (s === status || closed) return;
    status = s;
    opts.onStatus?.(s);
  };

  const clearSyncTimer = () => {
    if (syncTimer !== null) timing.clearTimeout(syncTimer);
    syncTimer = null;
  };

  /** Asks for a snapshot (after `delayMs`), once at a time, for as long as this connection lasts. */
  const syncLater = (delayMs: number) => {
    clearSyncTimer();
    syncTimer = timing.setTimeout(() => {
      syncTimer = null;
      sync();
    }, delayMs);
  };

  const sync = () => {
    if (closed || syncing || !socket.connected) return;
    clearSyncTimer();
    syncing = true;
    socket.timeout(syncTimeoutMs).emit('queue:sync', (err, result) => {
      syncing = false;
      if (closed || !socket.connected) return; // the next connect asks again
      if (err || !result.ok) return syncLater(1000);
      takeSnapshot(result.data);
    });
  };

  const takeSnapshot = (snapshot: Snapshot) => {
    if (closed) return;
    const newDay = state !== null && snapshot.businessDay !== state.businessDay;
    // Within one connection snapshots only move forward; an older one (a slow sync answer) is
    // dropped. The first after a connect is always taken: a restored server may count lower.
    if (fresh && state && !newDay && snapshot.seq < state.seq) return;
    clearSyncTimer();
    const previous = newDay ? null : state;
    state = snapshot;
    fresh = true;
    opts.onState?.(snapshot, { kind: 'snapshot', previous, newDay });
    setStatus('live');
    const replay = pending;
    pending = [];
    for (const event of replay) apply(event);
  };

  const apply = (event: QueueEvent) => {
    if (closed) return;
    if (!fresh || !state) {
      // Before this connection's snapshot: keep it; the snapshot will say whether it is news.
      pending.push(event);
      if (pending.length > MAX_PENDING) pending.shift();
      return;
    }
    const result = applyQueueEvent(state, event);
    if (result.ok) {
      state = result.state;
      opts.onState?.(state, { kind: 'event', event });
    } else if (result.reason === 'gap') {
      sync();
    }
    // 'stale': already part of the state (a duplicate, or older than the last snapshot).
  };

  // Every seq event, typed from ServerToClientEvents: the mapped type makes forgetting one a
  // compile error (a forgotten type would look like a gap on every such change).
  const subscriptions: { [K in QueueEvent['type']]: () => void } = {
    'ticket:issued': () => socket.on('ticket:issued', (payload) => apply({ type: 'ticket:issued', payload })),
    'ticket:called': () => socket.on('ticket:called', (payload) => apply({ type: 'ticket:called', payload })),
    'ticket:updated': () => socket.on('ticket:updated', (payload) => apply({ type: 'ticket:updated', payload })),
    'counter:updated': () => socket.on('counter:updated', (payload) => apply({ type: 'counter:updated', payload })),
    'service:updated': () => socket.on('service:updated', (payload) => apply({ type: 'service:updated', payload })),
    'center:updated': () => socket.on('center:updated', (payload) => apply({ type: 'center:updated', payload })),
  };
  for (const subscribe of Object.values(subscriptions)) subscribe();
  socket.on('queue:snapshot', takeSnapshot);
  if (opts.onDeviceAlert) socket.on('device:alert', opts.onDeviceAlert);

  const link: Link = keepConnected(
    socket,
    {
      onUp() {
        fresh = false;
        pending = [];
        syncing = false;
        // The server pushes a snapshot on connect; ask only if it does not come.
        syncLater(snapshotWaitMs);
      },
      onDown() {
        fresh = false;
        syncing = false;
        clearSyncTimer();
        setStatus('disconnected');
      },
      onRefused(code) {
        if (!isAuthRefusal(code)) return 'retry';
        fresh = false;
        clearSyncTimer();
        setStatus('unauthorized');
        return 'stop';
      },
    },
    { policy: opts.policy ?? RECONNECT_POLICY, timing },
  );

  return {
    get state() {
      return state;
    },
    get status() {
      return status;
    },
    resync: sync,
    reconnectNow: () => link.reconnectNow(),
    close() {
      closed = true;
      clearSyncTimer();
      link.close();
    },
  };
}
