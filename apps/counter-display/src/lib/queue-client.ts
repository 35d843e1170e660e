import type { ClientToServerEvents, QueueEvent, ServerToClientEvents, Snapshot } from '@luot/protocol';
import { applyQueueEvent, onQueueEvents } from '@luot/protocol';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

export interface QueueClientHandlers {
  /** Every new state, from a snapshot or an applied event. */
  onState(state: Snapshot, cause: { kind: 'snapshot'; previous: Snapshot | null } | { kind: 'event'; event: QueueEvent }): void;
  onStatus(status: ConnectionStatus): void;
}

/**
 * The live queue over socket.io, same origin, authenticated with a bearer token. Keeps the last
 * state; applies each event through the shared seq reducer; on a gap, or on every (re)connect,
 * asks for a fresh snapshot with `queue:sync`. socket.io reconnects by itself after a network
 * loss or a server restart; a refused handshake (bad token) does not, so that is reported as
 * 'unauthorized' and the page goes back to sign-in or pairing.
 */
export type QueueSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Same origin: the page is served by the server it talks to. */
export function openSocket(token: string): QueueSocket {
  return io({
    auth: { token },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
  });
}

/** `open` is replaceable so the seq and reconnect rules can be tested without a server. */
export function connectQueue(token: string, handlers: QueueClientHandlers, open: (token: string) => QueueSocket = openSocket): { close(): void; resync(): void } {
  const socket = open(token);
  let state: Snapshot | null = null;
  let syncing = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const takeSnapshot = (snapshot: Snapshot) => {
    const previous = state;
    state = snapshot;
    handlers.onState(snapshot, { kind: 'snapshot', previous });
  };

  const sync = () => {
    if (syncing || !socket.connected) return;
    syncing = true;
    socket.timeout(5000).emit('queue:sync', (err, res) => {
      syncing = false;
      if (err || !res?.ok) {
        // No answer: try again shortly, unless the connection dropped (connect will resync).
        retryTimer = setTimeout(sync, 1000);
        return;
      }
      takeSnapshot(res.data);
    });
  };

  socket.on('connect', () => {
    handlers.onStatus('connected');
    // The server also pushes a snapshot on connect; asking as well costs one small message and
    // covers a server that only answers queue:sync.
    sync();
  });
  socket.on('disconnect', () => handlers.onStatus('disconnected'));
  socket.on('connect_error', (err) => {
    if (socket.active) {
      handlers.onStatus('disconnected');
      return;
    }
    // The server refused the handshake: a revoked or unknown token. Retrying will not help,
    // unless the refusal was something else (then try again, slowly).
    if (/unauthori[sz]ed|forbidden|token/i.test(err.message)) handlers.onStatus('unauthorized');
    else {
      handlers.onStatus('disconnected');
      retryTimer = setTimeout(() => socket.connect(), 2000);
    }
  });
  socket.on('queue:snapshot', takeSnapshot);

  const apply = (event: QueueEvent) => {
    if (!state) return; // the snapshot that follows connect will include it
    const result = applyQueueEvent(state, event);
    if (result.ok) {
      state = result.state;
      handlers.onState(state, { kind: 'event', event });
    } else if (result.reason === 'gap') sync();
  };
  onQueueEvents(socket as never, apply);

  handlers.onStatus('connecting');
  return {
    close() {
      clearTimeout(retryTimer);
      socket.removeAllListeners();
      socket.disconnect();
    },
    resync: sync,
  };
}
