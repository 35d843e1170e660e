import type { ClientToServerEvents, ServerToClientEvents } from '@luot/protocol';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { backoffDelay, RECONNECT_POLICY, systemTiming, type BackoffPolicy, type Timing } from './timing.js';

/** A socket.io client socket speaking the Luot contract (packages/protocol/src/events.ts). */
export type LuotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a connection presents: a staff or device token, or a citizen's ticket id (phone page). */
export type SocketAuth = { token: string } | { ticketId: string };

/** Opens a socket without connecting it (so every listener is in place first). */
export type OpenSocket = (url: string | undefined, options: Partial<ManagerOptions & SocketOptions>) => LuotSocket;

/**
 * socket.io's own reconnection is off: it does not retry after the server's own "go away"
 * (`io server disconnect`, sent by a shutting-down or restarting server) nor after a refused
 * handshake, so relying on it gives one behaviour per disconnect reason. `keepConnected` retries
 * every reason with one backoff. Websocket first (no long-polling round trips on a LAN), falling
 * back to long-polling where a proxy blocks websockets. An attempt that hangs (packets dropped,
 * a cable out) is given up after `connectTimeoutMs` and retried: on a LAN a handshake takes
 * milliseconds, and a hung attempt must not keep a screen dark once the server is reachable.
 */
export function socketOptions(auth: SocketAuth, connectTimeoutMs = 3000): Partial<ManagerOptions & SocketOptions> {
  return {
    auth,
    autoConnect: false,
    reconnection: false,
    timeout: connectTimeoutMs,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  };
}

export const openSocket: OpenSocket = (url, options) => (url === undefined ? io(options) : io(url, options));

/** The error socket.io reports when a handshake fails; `data` is the server's error body when it refused. */
export type ConnectError = Error & { data?: { code?: unknown } };

/** The codes with which the server refuses a token it does not know or no longer accepts. */
const AUTH_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'INVALID_TOKEN']);

export function refusalCode(err: ConnectError): string {
  const code = err.data?.code;
  return typeof code === 'string' ? code : err.message;
}

export function isAuthRefusal(code: string): boolean {
  return AUTH_CODES.has(code.toUpperCase());
}

export interface LinkHandlers {
  /** The socket is connected (first time or again). */
  onUp(): void;
  /** The connection dropped, or an attempt failed; a retry is scheduled unless stopped. */
  onDown(reason: string): void;
  /**
   * The server refused the handshake with this code (a CONNECT_ERROR, not a network failure).
   * 'stop' ends all retries (a revoked token: retrying cannot help); 'retry' goes on.
   */
  onRefused(code: string): 'stop' | 'retry';
}

export interface LinkOptions {
  policy?: BackoffPolicy;
  timing?: Timing;
  /**
   * The server said it has too many connections from this address (TOO_MANY_REQUESTS): wait at
   * least this long, so a room of phones behind one Wi-Fi address does not hammer it.
   */
  busyDelayMs?: number;
}

export interface Link {
  /** Try now, without waiting for the backoff (the page became visible, the browser is online). */
  reconnectNow(): void;
  /** Stops retrying and closes the socket for good. */
  close(): void;
  readonly stopped: boolean;
}

/**
 * Keeps one socket connected for as long as it is wanted, whatever ended the last connection:
 * a network error, a transport close, a ping timeout, the server's own disconnect at shutdown,
 * a refused handshake that is not about the token (the server is starting, too many
 * connections). Each retry waits per `policy` (exponential with jitter, capped); a successful
 * connection resets it. Only an auth refusal stops it (`onRefused` decides).
 */
export function keepConnected(socket: LuotSocket, handlers: LinkHandlers, opts: LinkOptions = {}): Link {
  const policy = opts.policy ?? RECONNECT_POLICY;
  const timing = opts.timing ?? systemTiming;
  const busyDelayMs = opts.busyDelayMs ?? 10_000;
  let attempt = 0;
  let timer: unknown = null;
  let stopped = false;

  const clearTimer = () => {
    if (timer !== null) timing.clearTimeout(timer);
    timer = null;
  };

  const retryLater = (minDelayMs = 0) => {
    if (stopped || timer !== null) return;
    const delay = Math.max(minDelayMs, backoffDelay(attempt++, policy, timing.random));
    timer = timing.setTimeout(() => {
      timer = null;
      if (!stopped && !socket.connected) socket.connect();
    }, delay);
  };

  socket.on('connect', () => {
    attempt = 0;
    clearTimer();
    handlers.onUp();
  });
  socket.on('disconnect', (reason) => {
    // Our own close() is the only disconnect that must not be retried.
    if (stopped || reason === 'io client disconnect') return;
    handlers.onDown(reason);
    retryLater();
  });
  socket.on('connect_error', (err: ConnectError) => {
    if (stopped) return;
    // socket.active stays true after a network failure; a refusal by the server (a CONNECT_ERROR
    // packet from its middleware) deactivates the socket.
    if (socket.active) {
      handlers.onDown(err.message);
      retryLater();
      return;
    }
    const code = refusalCode(err);
    if (handlers.onRefused(code) === 'stop') {
      stopped = true;
      clearTimer();
      return;
    }
    handlers.onDown(code);
    retryLater(code === 'TOO_MANY_REQUESTS' ? busyDelayMs : 0);
  });

  socket.connect();

  return {
    reconnectNow() {
      if (stopped || socket.connected) return;
      clearTimer();
      attempt = 0;
      socket.connect();
    },
    close() {
      stopped = true;
      clearTimer();
      socket.removeAllListeners();
      socket.disconnect();
    },
    get stopped() {
      return stopped;
    },
  };
}
