import type { IncomingMessage } from 'node:http';

/** The part of an engine.io connection the caps need. */
export interface EngineConn {
  remoteAddress: string;
  once(event: 'close', listener: () => void): unknown;
  /** engine.io's close; `discard` drops the transport at once instead of waiting for the client. */
  close(discard?: boolean): unknown;
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
  /**
   * A connection still pending this long after it opened is closed, its transport discarded, and
   * its pending place given back at once (the socket.io `connectTimeout`).
   */
  pendingTimeoutMs: number;
}

interface Counts {
  total: number;
  pending: number;
}
interface Entry {
  c: Counts;
  pending: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Per-address caps on connections, applied before any token is read (engine.io's `allowRequest`
 * runs on the first request of a connection, WebSocket or long-polling). Without them one laptop
 * on the Wi-Fi could hold hundreds of idle WebSockets and polling sessions, each costing memory
 * and a file descriptor, without ever authenticating (issue 12). A connection that does not pass
 * the handshake within `pendingTimeoutMs` is closed here, its transport discarded: socket.io's own
 * `connectTimeout` closes it too, but a long-polling session closed that way only ends at the
 * client's next poll or the ping timeout (~20 s), and until then it would hold its place.
 */
export function createAddressCaps(opts: AddressCapOptions) {
  const counts = new Map<string, Counts>();
  // Handshakes allowed whose engine.io connection does not exist yet. engine.io creates it within
  // the same turn of the event loop (no I/O in between), so a reservation lives until the next
  // turn; it is counted meanwhile so that no burst can slip between the check and the count. The
  // connection, once opened, takes the reservation's place (it must not be counted twice: a burst
  // arriving in one turn would then be let in at about half the cap).
  const reserved = new Map<string, Set<object>>();
  const live = new WeakMap<object, Entry>();

  const countsOf = (address: string): Counts => {
    let c = counts.get(address);
    if (!c) counts.set(address, (c = { total: 0, pending: 0 }));
    return c;
  };
  const forget = (address: string, c: Counts) => {
    if (c.total <= 0 && c.pending <= 0) counts.delete(address);
  };
  /** Drops one reservation of `address` (the given one, or the oldest). */
  const unreserve = (address: string, reservation?: object) => {
    const mine = reserved.get(address);
    if (!mine) return;
    const which = reservation ?? mine.values().next().value;
    if (which !== undefined) mine.delete(which);
    if (mine.size === 0) reserved.delete(address);
  };

  /** The connection no longer counts as pending (authenticated, timed out or closed). */
  const settle = (entry: Entry) => {
    clearTimeout(entry.timer);
    if (!entry.pending) return;
    entry.pending = false;
    entry.c.pending--;
  };

  return {
    /** May `req`'s address open one more connection? Counts it (for this turn) when it may. */
    admit(req: IncomingMessage): boolean {
      const address = req.socket.remoteAddress ?? '';
      const c = counts.get(address);
      const r = reserved.get(address)?.size ?? 0;
      if ((c?.total ?? 0) + r >= opts.maxConnections || (c?.pending ?? 0) + r >= opts.maxPending) return false;
      const reservation = {};
      let mine = reserved.get(address);
      if (!mine) reserved.set(address, (mine = new Set()));
      mine.add(reservation);
      setImmediate(() => unreserve(address, reservation));
      return true;
    },
    /** An engine.io connection was opened (engine 'connection'). */
    opened(conn: EngineConn) {
      const address = conn.remoteAddress;
      unreserve(address);
      const c = countsOf(address);
      c.total++;
      c.pending++;
      const entry: Entry = { c, pending: true, timer: undefined };
      entry.timer = setTimeout(() => {
        if (!entry.pending) return;
        // Its place comes back now, whatever the transport does; the connection itself still
        // counts in `total` until it has closed.
        settle(entry);
        conn.close(true);
      }, opts.pendingTimeoutMs);
      entry.timer.unref();
      live.set(conn, entry);
      conn.once('close', () => {
        live.delete(conn);
        c.total--;
        settle(entry);
        forget(address, c);
      });
    },
    /** The connection passed the socket.io handshake: it no longer counts as pending. */
    authenticated(conn: EngineConn) {
      const entry = live.get(conn);
      if (entry) settle(entry);
    },
    /** For tests and logs: the counts of one address. */
    of: (address: string): Counts => ({ ...(counts.get(address) ?? { total: 0, pending: 0 }) }),
  };
}
export type AddressCaps = ReturnType<typeof createAddressCaps>;
