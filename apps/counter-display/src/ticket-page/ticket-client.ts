import type { PublicTicket } from '@luot/protocol';

/**
 * Keeps one ticket's status live on a citizen's phone: socket.io with `auth: { ticketId }` (the
 * server sends `ticket:status` on connect and on every change), and GET /api/v1/tickets/:id on
 * start, whenever the page becomes visible again, and every 30 s while the socket is down.
 * Transport pieces are injected so the rules are unit-tested without a server.
 */

export type Link = 'connecting' | 'live' | 'reconnecting';

/** The few socket.io client calls used here. */
export interface TicketSocket {
  readonly connected: boolean;
  /** False after the server refused the handshake: socket.io will not retry by itself. */
  readonly active: boolean;
  on(event: 'connect', fn: () => void): unknown;
  on(event: 'disconnect', fn: (reason: string) => void): unknown;
  on(event: 'connect_error', fn: (err: Error & { data?: { code?: string } }) => void): unknown;
  on(event: 'ticket:status', fn: (t: PublicTicket) => void): unknown;
  connect(): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
}

export type FetchResult = { kind: 'ok'; ticket: PublicTicket } | { kind: 'not-found' } | { kind: 'error' };

export interface TicketClientDeps {
  openSocket(ticketId: string): TicketSocket;
  fetchTicket(ticketId: string): Promise<FetchResult>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TicketClientHandlers {
  onTicket(t: PublicTicket): void;
  /** The server does not know this ticket (made up, mistyped, or removed by retention). */
  onUnknown(): void;
  onLink(link: Link): void;
}

export const POLL_MS = 30_000;
/** After a refused handshake (e.g. too many connections from the Wi-Fi's address), try again. */
export const RETRY_REFUSED_MS = 10_000;

export function watchTicket(ticketId: string, handlers: TicketClientHandlers, deps: TicketClientDeps): { refresh(): void; close(): void } {
  let closed = false;
  let link: Link = 'connecting';
  /** Socket statuses seen: an HTTP answer older than the last socket status is dropped. */
  let socketSeen = 0;
  let pollTimer: unknown;
  let retryTimer: unknown;

  const setLink = (l: Link) => {
    if (l === link || closed) return;
    link = l;
    handlers.onLink(l);
  };

  const socket = deps.openSocket(ticketId);

  const stop = () => {
    closed = true;
    deps.clearTimeout(pollTimer);
    deps.clearTimeout(retryTimer);
    socket.removeAllListeners();
    socket.disconnect();
  };

  const refresh = () => {
    if (closed) return;
    const mark = socketSeen;
    void deps.fetchTicket(ticketId).then((r) => {
      if (closed) return;
      if (r.kind === 'not-found') {
        stop();
        handlers.onUnknown();
      } else if (r.kind === 'ok' && socketSeen === mark) {
        handlers.onTicket(r.ticket);
      }
    });
  };

  const schedulePoll = () => {
    deps.clearTimeout(pollTimer);
    pollTimer = deps.setTimeout(() => {
      if (closed || socket.connected) return;
      refresh();
      schedulePoll();
    }, POLL_MS);
  };

  const socketDown = () => {
    setLink('reconnecting');
    if (!pollTimer) schedulePoll();
  };

  const retryLater = () => {
    deps.clearTimeout(retryTimer);
    retryTimer = deps.setTimeout(() => {
      if (!closed && !socket.connected) socket.connect();
    }, RETRY_REFUSED_MS);
  };

  socket.on('ticket:status', (t) => {
    if (closed || t.id !== ticketId) return;
    socketSeen++;
    handlers.onTicket(t);
  });
  socket.on('connect', () => {
    deps.clearTimeout(pollTimer);
    pollTimer = undefined;
    deps.clearTimeout(retryTimer);
    setLink('live');
  });
  socket.on('disconnect', (reason) => {
    socketDown();
    // The server closed this socket on purpose: socket.io leaves reconnecting to us.
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (err) => {
    socketDown();
    if (socket.active) return; // a network error: socket.io retries by itself
    // Refused by the server. An unknown ticket is refused as UNAUTHORIZED: ask over HTTP to tell
    // a made-up id from a passing refusal, and try the socket again later.
    if (err.data?.code === 'UNAUTHORIZED') refresh();
    retryLater();
  });

  refresh();

  return {
    /** Fresh status now (the page became visible again); wakes a socket socket.io gave up on. */
    refresh() {
      if (closed) return;
      refresh();
      if (!socket.connected && !socket.active) socket.connect();
    },
    close: stop,
  };
}

/** GET /api/v1/tickets/:id, same origin. */
export async function fetchTicketOverHttp(ticketId: string): Promise<FetchResult> {
  try {
    const res = await fetch(`/api/v1/tickets/${encodeURIComponent(ticketId)}`, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (res.status === 404 || res.status === 400) return { kind: 'not-found' };
    if (!res.ok) return { kind: 'error' };
    return { kind: 'ok', ticket: (await res.json()) as PublicTicket };
  } catch {
    return { kind: 'error' };
  }
}
