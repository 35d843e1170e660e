import type { IncomingMessage } from 'node:http';

/** The part of an engine.io connection the caps need. */
export interface EngineConn {
  remoteAddress: string;
  once(event: 'close', listener: () => void): unknown;
}

export interface AddressCapOptions {
  /** engine.io connections from one address at once, signed in or not. */
  maxConnections: number;
  /**
   * Of those, connections that have not passed the socket.io handshake (no valid token or ticket
   * yet). A real screen passes it within milliseconds; a script opening sockets and saying
   * nothing is what this stops.
   */
  maxPending: number;
}

interface Counts {
  total: number;
  pending: number;
}

/**
 * Per-address caps on connections, applied before any token is read (engine.io's `allowRequest`
 * runs on the first request of a connection, WebSocket or long-polling). Without them one laptop
 * on the Wi-Fi could hold hundreds of idle WebSockets and polling sessions, each costing memory
 * and a file descriptor, without ever authenticating (issue 12). The socket.io `connectTimeout`
 * closes a connection that does not pass the handshake in time, which gives its place back.
 */
export function createAddressCaps(opts: AddressCapOptions) {
  const counts = new Map<string, Counts>();
  // Handshakes allowed whose engine.io connection does not exist yet. engine.io creates it within
  // the same turn of the event loop (no I/O in between), so a reservation lives until the next
  // turn; it is counted meanwhile so that no burst can slip between the check and the count.
  const reserved = new Map<string, number>();
  const live = new WeakMap<object, { c: Counts; pending: boolean }>();

  const countsOf = (address: string): Counts => {
    let c = counts.get(address);
    if (!c) counts.set(address, (c = { total: 0, pending: 0 }));
    return c;
  };
  const forget = (address: string, c: Counts) => {
    if (c.total <= 0 && c.pending <= 0) counts.delete(address);
  };

  return {
    /** May `req`'s address open one more connection? Counts it (for this turn) when it may. */
    admit(req: IncomingMessage): boolean {
      const address = req.socket.remoteAddress ?? '';
      const c = counts.get(address);
      const r = reserved.get(address) ?? 0;
      if ((c?.total ?? 0) + r >= opts.maxConnections || (c?.pending ?? 0) + r >= opts.maxPending) return false;
      reserved.set(address, r + 1);
      setImmediate(() => {
        const left = (reserved.get(address) ?? 1) - 1;
        if (left <= 0) reserved.delete(address);
        else reserved.set(address, left);
      });
      return true;
    },
    /** An engine.io connection was opened (engine 'connection'). */
    opened(conn: EngineConn) {
      const address = conn.remoteAddress;
      const c = countsOf(address);
      c.total++;
      c.pending++;
      const entry = { c, pending: true };
      live.set(conn, entry);
      conn.once('close', () => {
        live.delete(conn);
        c.total--;
        if (entry.pending) c.pending--;
        forget(address, c);
      });
    },
    /** The connection passed the socket.io handshake: it no longer counts as pending. */
    authenticated(conn: EngineConn) {
      const entry = live.get(conn);
      if (!entry?.pending) return;
      entry.pending = false;
      entry.c.pending--;
    },
    /** For tests and logs: the counts of one address. */
    of: (address: string): Counts => ({ ...(counts.get(address) ?? { total: 0, pending: 0 }) }),
  };
}
export type AddressCaps = ReturnType<typeof createAddressCaps>;
