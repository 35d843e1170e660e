import { applyQueueEvent, onQueueEvents, type QueueEvent, type ServerToClientEvents, type ClientToServerEvents, type Snapshot } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';

/**
 * The kiosk's live view of the queue: a snapshot on connect, then seq events applied with the
 * shared reducer; a gap asks for a fresh snapshot. socket.io reconnects by itself; when it does,
 * the server sends a new snapshot, so counts are right again without a page reload.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'unauthorized';

export interface QueueConnectionOptions {
  url?: string;
  token: string;
  onState(state: Snapshot): void;
  onStatus(status: ConnectionStatus): void;
}

export function isAuthError(err: Error & { data?: { code?: string } }): boolean {
  const code = err.data?.code ?? err.message;
  return /UNAUTHORIZED|FORBIDDEN|INVALID_TOKEN/i.test(code);
}

export function connectQueue(opts: QueueConnectionOptions): () => void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(opts.url ?? '/', {
    auth: { token: opts.token },
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    timeout: 5000,
  });
  let state: Snapshot | null = null;
  let syncing = false;

  const setState = (s: Snapshot) => {
    state = s;
    opts.onState(s);
    opts.onStatus('live');
  };

  const resync = () => {
    if (syncing) return;
    syncing = true;
    socket.timeout(5000).emit('queue:sync', (err, result) => {
      syncing = false;
      if (err) return; // no answer: the next event or reconnect tries again
      if (result.ok) setState(result.data);
    });
  };

  socket.on('queue:snapshot', setState);
  const apply = (event: QueueEvent) => {
    if (!state) return resync();
    const r = applyQueueEvent(state, event);
    if (r.ok) setState(r.state);
    else if (r.reason === 'gap') resync();
  };
  // All of them, so a renamed or closed service shows on the buttons at once.
  onQueueEvents(socket as never, apply);
  socket.on('disconnect', (reason) => {
    state = null;
    opts.onStatus('connecting');
    // A disconnect decided by the server is not retried by socket.io itself.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
  });
  socket.on('connect_error', (err) => {
    if (isAuthError(err as Error & { data?: { code?: string } })) {
      opts.onStatus('unauthorized');
      socket.disconnect();
    } else {
      opts.onStatus('connecting');
    }
  });
  return () => {
    socket.removeAllListeners();
    socket.disconnect();
  };
}
