import type { PublicTicket } from '@luot/protocol';
import { keepConnected, openSocket as defaultOpenSocket, socketOptions, type LuotSocket, type OpenSocket } from './connection.js';
import { RECONNECT_POLICY, systemTiming, type BackoffPolicy, type Timing } from './timing.js';

/**
 * One ticket's status, live on a citizen's phone (/t/<id>): socket.io with `auth: { ticketId }`
 * (the server sends `ticket:status` on connect and on every change), reconnecting by the same
 * rules as every screen (`keepConnected`), plus GET /api/v1/tickets/:id on start, on `refresh()`
 * (the page became visible again) and every `POLL_MS` while the socket is down: a phone on a
 * flaky Wi-Fi still moves forward. Imports no value from @luot/protocol, so the phone page's
 * bundle stays free of zod (it imports this module by its own path, `@luot/client/ticket-watch`).
 */

/** The phone page has no token to lose: it is never 'unauthorized' (an unknown ticket is `onUnknown`). */
export type WatchStatus = 'connecting' | 'live' | 'disconnected';

export type FetchResult = { kind: 'ok'; ticket: PublicTicket } | { kind: 'not-found' } | { kind: 'error' };

export interface TicketWatchHandlers {
  onTicket(t: PublicTicket): void;
  /** The server does not know this ticket (made up, mistyped, or removed by retention). */
  onUnknown(): void;
  onStatus(status: WatchStatus): void;
}

export interface TicketWatchOptions {
  /** The server's origin; omitted: the page's own. */
  url?: string;
  fetchTicket?: (ticketId: string) => Promise<FetchResult>;
  openSocket?: OpenSocket;
  policy?: BackoffPolicy;
  timing?: Timing;
}

export interface TicketWatch {
  /** Fresh status now, and a connection attempt now if the socket is down. */
  refresh(): void;
  close(): void;
}

export const POLL_MS = 30_000;

export function watchTicket(ticketId: string, handlers: TicketWatchHandlers, opts: TicketWatchOptions = {}): TicketWatch {
  const timing = opts.timing ?? systemTiming;
  const fetchTicket = opts.fetchTicket ?? ((id: string) => fetchPublicTicket(id, opts.url));
  const socket: LuotSocket = (opts.openSocket ?? defaultOpenSocket)(opts.url, socketOptions({ ticketId }));
  let closed = false;
  let status: WatchStatus = 'connecting';
  /** Socket statuses seen: an HTTP answer older than the last socket status is dropped. */
  let socketSeen = 0;
  let pollTimer: unknown = null;

  const setStatus = (s: WatchStatus) => {
    if (s === status || closed) return;
    status = s;
    handlers.onStatus(s);
  };

  const stopPolling = () => {
    if (pollTimer !== null) timing.clearTimeout(pollTimer);
    pollTimer = null;
  };
  const pollWhileDown = () => {
    if (pollTimer !== null) return;
    pollTimer = timing.setTimeout(() => {
      pollTimer = null;
      if (closed || socket.connected) return;
      refresh();
      pollWhileDown();
    }, POLL_MS);
  };

  const stop = () => {
    closed = true;
    stopPolling();
    link.close();
  };

  const refresh = () => {
    if (closed) return;
    const mark = socketSeen;
    void fetchTicket(ticketId).then((r) => {
      if (closed) return;
      if (r.kind === 'not-found') {
        stop();
        handlers.onUnknown();
      } else if (r.kind === 'ok' && socketSeen === mark) {
        handlers.onTicket(r.ticket);
      }
    });
  };

  socket.on('ticket:status', (t) => {
    if (closed || t.id !== ticketId) return;
    socketSeen++;
    handlers.onTicket(t);
  });

  const link = keepConnected(
    socket,
    {
      onUp() {
        stopPolling();
        setStatus('live');
      },
      onDown() {
        setStatus('disconnected');
        pollWhileDown();
      },
      onRefused(code) {
        // An unknown ticket is refused as UNAUTHORIZED: ask over HTTP to tell a made-up id (404:
        // stop) from a passing refusal, and go on trying meanwhile.
        if (code === 'UNAUTHORIZED') refresh();
        return 'retry';
      },
    },
    { policy: opts.policy ?? RECONNECT_POLICY, timing },
  );

  refresh();

  return {
    refresh() {
      if (closed) return;
      refresh();
      link.reconnectNow();
    },
    close: stop,
  };
}

/** GET /api/v1/tickets/:id (no token: the id is the secret). */
export async function fetchPublicTicket(ticketId: string, baseUrl = ''): Promise<FetchResult> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/api/v1/tickets/${encodeURIComponent(ticketId)}`, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (res.status === 404 || res.status === 400) return { kind: 'not-found' };
    if (!res.ok) return { kind: 'error' };
    return { kind: 'ok', ticket: (await res.json()) as PublicTicket };
  } catch {
    return { kind: 'error' };
  }
}
