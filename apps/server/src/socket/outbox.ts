/**
 * What the server holds for one connection and has not yet handed to the operating system, and
 * a cap on it (issue 11: a TV that stopped reading but kept sending queue:sync grew the server by
 * about 70 MB per 300 requests: every answer, a full snapshot, waited in memory for a reader that
 * never came).
 *
 * engine.io keeps packets that the transport cannot take yet in `conn.writeBuffer`; the
 * WebSocket transport hands a batch to `ws`, which keeps what the TCP socket has not accepted
 * (`bufferedAmount`). The transport emits 'drain' each time a batch has been written (to the TCP
 * socket, or as a long-polling response); a 'drain' with an empty writeBuffer means everything
 * queued so far has left the process.
 */

/** The parts of engine.io's Socket (the `socket.conn` of socket.io) used here. */
export interface EngineConnection {
  readonly readyState: string;
  readonly remoteAddress: string;
  readonly writeBuffer: readonly unknown[];
  readonly transport: EngineTransport;
  on(event: 'packetCreate', listener: () => void): unknown;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  close(discard?: boolean): unknown;
}
interface EngineTransport {
  readonly name: string;
  /** The `ws` WebSocket, for the WebSocket transport. */
  readonly socket?: { bufferedAmount?: number; terminate?: () => void };
  on(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

export interface OutboxLimits {
  /** Packets waiting for the transport (events, acks). */
  maxPackets: number;
  /** Bytes handed to the WebSocket and not yet taken by the TCP socket. */
  maxBytes: number;
}

/** Defaults: a TV misses at most this much before it is dropped (it reconnects and takes a snapshot). */
export const OUTBOX_LIMITS: OutboxLimits = { maxPackets: 1000, maxBytes: 4 * 1024 * 1024 };

export interface Outbox {
  /** Calls `fn` once everything queued for this connection until now has been written out. */
  whenWritten(fn: () => void): void;
  /** Packets and bytes waiting (for logs and tests). */
  backlog(): { packets: number; bytes: number };
}

/**
 * Watches one connection: `whenWritten` for pacing, and a drop once the backlog passes the
 * limits. A dropped connection is closed at once, its buffers released (not after a close
 * handshake the reader would never answer); the client sees a lost transport and reconnects.
 */
export function watchOutbox(conn: EngineConnection, limits: OutboxLimits, onDrop: (backlog: { packets: number; bytes: number }) => void): Outbox {
  let waiters: (() => void)[] = [];
  let dropping = false;
  const backlog = () => ({ packets: conn.writeBuffer.length, bytes: conn.transport.socket?.bufferedAmount ?? 0 });

  const onDrain = () => {
    if (conn.writeBuffer.length > 0 || waiters.length === 0) return;
    const ready = waiters;
    waiters = [];
    for (const fn of ready) fn();
  };
  let transport = conn.transport;
  transport.on('drain', onDrain);
  conn.on('upgrade', (next) => {
    transport.off('drain', onDrain);
    transport = next;
    transport.on('drain', onDrain);
  });
  conn.once('close', () => {
    transport.off('drain', onDrain);
    waiters = [];
  });

  conn.on('packetCreate', () => {
    if (dropping) return;
    const b = backlog();
    if (b.packets < limits.maxPackets && b.bytes < limits.maxBytes) return;
    dropping = true;
    // Not from inside the send that is running (a broadcast may be looping over sockets).
    setImmediate(() => {
      if (conn.readyState === 'closed') return;
      onDrop(backlog());
      // Closed for engine.io at once (discard: no waiting for the buffer to drain), and the
      // WebSocket's own buffer released without a close handshake.
      conn.close(true);
      conn.transport.socket?.terminate?.();
    });
  });

  return {
    whenWritten(fn) {
      if (conn.readyState === 'closed') return;
      waiters.push(fn);
    },
    backlog,
  };
}
