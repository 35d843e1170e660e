import type { Ack, ApiErrorBody, ClientToServerEvents, QueueEvent, ServerToClientEvents, Snapshot, SocketAction, SocketAnswer, SocketPayload } from '@luot/protocol';
import { SOCKET_ACTION_NAMES, SOCKET_ACTIONS, TicketId } from '@luot/protocol';
import type { Server as HttpServer } from 'node:http';
import { Server, type BroadcastOperator, type Socket } from 'socket.io';
import type { AppContext } from '../context.js';
import { AppError, storageErrorOf } from '../errors.js';
import type { Session } from '../auth/tokens.js';
import { createPresence } from '../presence.js';
import type { Actor } from '../queue/actor.js';
import { parseAs } from '../validate.js';
import { createAddressCaps, type EngineConn } from './address-caps.js';
import { OUTBOX_LIMITS, watchOutbox, type EngineConnection, type OutboxLimits } from './outbox.js';
import { audienceOf, publicCounter, publicSnapshot, QUEUE_ROOM, snapshotFor } from './role-views.js';
import type { TicketWatch } from './ticket-watch.js';

interface SocketData {
  /**
   * A signed-in person or device as of the handshake; null for a citizen's phone watching one
   * ticket. Actions never trust it: they re-read the session by `tokenHash` each time.
   */
  actor: Actor | null;
  /** The token's hash (never the token), re-checked before every action; null for a phone. */
  tokenHash: string | null;
  /** When the token expires (null: a device token, until revoked; or a phone). */
  expiresAt: number | null;
  watchTicket: string | null;
  address: string;
}
export type LuotIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LuotSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Every event a client may send (ClientToServerEvents): `queue:sync` and the counter actions of
 * the protocol's SOCKET_ACTIONS, each with a handler below (the security matrix checks them all).
 */
export const CLIENT_EVENTS: readonly (keyof ClientToServerEvents)[] = ['queue:sync', ...SOCKET_ACTION_NAMES];

/**
 * socket.io's heartbeat. A link that dies without a word (a TV's cable pulled, Wi-Fi gone, a
 * switch reset) is noticed when no ping or pong arrives for interval + timeout, on both sides: the
 * screen then shows itself offline and reconnects, and the server frees the socket and starts
 * the device's offline gap. socket.io's defaults (25 s + 20 s) leave a TV showing a stale board
 * for 45 s; 10 s + 10 s notice within 20 s, for a ping every 10 s per screen (500 screens: 50
 * small packets a second).
 */
export const HEARTBEAT = { intervalMs: 10_000, timeoutMs: 10_000 };

export interface SocketOptions {
  /** Connections allowed from one address at once (a citizen's phone must not exhaust the server). */
  maxConnectionsPerAddress: number;
  /**
   * Connections from one address that have not passed the handshake yet (default 10): checked
   * before any token is read, so nobody can hold hundreds of idle connections unauthenticated.
   */
  maxPendingPerAddress?: number;
  /** A connection that has not passed the handshake in this time is closed (default 5 s). */
  connectTimeoutMs?: number;
  /** What may wait to be written to one connection before it is dropped (default OUTBOX_LIMITS). */
  outboxLimits?: OutboxLimits;
  /** socket.io's ping interval and timeout (default HEARTBEAT). */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  /** A kiosk or TV without a connection this long raises a staff alert (default 60 s). */
  deviceOfflineAfterMs?: number;
  /** True while the server stops: new connections are refused (the client retries later). */
  isClosing?: () => boolean;
}

/**
 * A read for a screen (the snapshot, a phone's ticket) failed: the reason is logged, and the
 * screen is told the server's storage is in trouble (STORAGE_ERROR, or STORAGE_FULL for a full
 * disk) rather than left waiting or the process ended by an exception out of a socket handler.
 */
function readFailed(ctx: AppContext, err: unknown, what: string): AppError {
  ctx.logger.error({ err, what }, 'socket read failed');
  if (err instanceof AppError) return err;
  return storageErrorOf(err) ?? new AppError('STORAGE_ERROR');
}

/**
 * Ends a connection the way a network loss would (no socket.io DISCONNECT packet), so the client
 * retries with its backoff and gets a snapshot once the server can read its data again.
 */
function dropTransport(socket: LuotSocket) {
  socket.conn.close();
}

type Room = BroadcastOperator<ServerToClientEvents, SocketData>;

/** One queue event to a room, each type with its own payload (the switch lets the compiler check each). */
function emitQueueEvent(room: Room, e: QueueEvent): void {
  switch (e.type) {
    case 'ticket:issued':
      return void room.emit(e.type, e.payload);
    case 'ticket:called':
      return void room.emit(e.type, e.payload);
    case 'ticket:updated':
      return void room.emit(e.type, e.payload);
    case 'counter:updated':
      return void room.emit(e.type, e.payload);
    case 'service:updated':
      return void room.emit(e.type, e.payload);
    case 'center:updated':
      return void room.emit(e.type, e.payload);
    default:
      e satisfies never;
  }
}

/** An event as public screens get it: only counter:updated carries a person (its officer), who is left out. */
function publicEvent(e: QueueEvent): QueueEvent {
  return e.type === 'counter:updated' ? { type: e.type, payload: { ...e.payload, counter: publicCounter(e.payload.counter) } } : e;
}

/** A queue event to every screen, each audience its own view, each encoded once for its room. */
export function broadcastQueueEvent(io: LuotIo, e: QueueEvent) {
  emitQueueEvent(io.to(QUEUE_ROOM.staff), e);
  emitQueueEvent(io.to(QUEUE_ROOM.public), publicEvent(e));
}

/** A snapshot pushed to every screen (a new business day), each audience its own view. */
export function broadcastSnapshot(io: LuotIo, snapshot: Snapshot) {
  io.to(QUEUE_ROOM.staff).emit('queue:snapshot', snapshot);
  io.to(QUEUE_ROOM.public).emit('queue:snapshot', publicSnapshot(snapshot));
}

/**
 * socket.io on the HTTP server's port. A connection must present a valid token before it
 * receives anything; it then gets the day's snapshot and every later event with its seq.
 */
export interface SocketLayer {
  io: LuotIo;
  checkSessions(): void;
}

export function attachSocket(httpServer: HttpServer, ctx: AppContext, opts: SocketOptions, watch: TicketWatch): SocketLayer {
  const perAddress = new Map<string, number>();
  // Engine-level caps: every connection, before authentication. A signed-in address may hold
  // up to maxConnectionsPerAddress sockets plus a few handshakes in progress; the socket-level
  // check below answers a clear TOO_MANY_REQUESTS first to a screen that gets that far.
  const maxPending = opts.maxPendingPerAddress ?? 10;
  const connectTimeout = opts.connectTimeoutMs ?? 5000;
  const caps = createAddressCaps({ maxConnections: opts.maxConnectionsPerAddress + maxPending, maxPending, pendingTimeoutMs: connectTimeout });
  // One line per address and minute: a flood of refusals must not flood the log.
  const refusalLogged = new Map<string, number>();
  const refusedFrom = (address: string) => {
    const now = Date.now();
    if (now - (refusalLogged.get(address) ?? 0) < 60_000) return;
    if (refusalLogged.size > 1000) refusalLogged.clear();
    refusalLogged.set(address, now);
    ctx.logger.warn({ address, ...caps.of(address) }, 'connections refused: too many from one address');
  };
  const io: LuotIo = new Server(httpServer, {
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    // Same origin only: pages are served by this server.
    cors: { origin: false },
    // A connection that says nothing gives its place back soon (socket.io's default is 45 s): a
    // real screen passes the handshake within milliseconds on a LAN.
    // The caps close such a connection at the same time, discarding a long-polling transport that
    // socket.io's close would leave waiting for the client's next poll.
    connectTimeout,
    pingInterval: (opts.heartbeat ?? HEARTBEAT).intervalMs,
    pingTimeout: (opts.heartbeat ?? HEARTBEAT).timeoutMs,
    allowRequest: (req, callback) => {
      // A handshake while stopping would be cut a moment later: refuse it, the client backs off
      // and connects to the restarted server.
      if (opts.isClosing?.()) return callback('SERVER_RESTARTING', false);
      if (!caps.admit(req)) {
        refusedFrom(req.socket.remoteAddress ?? '');
        return callback('TOO_MANY_CONNECTIONS', false);
      }
      callback(null, true);
    },
  });
  io.engine.on('connection', (conn: EngineConn) => caps.opened(conn));
  const presence = createPresence({ alerts: ctx.alerts, devices: ctx.repos.devices, logger: ctx.logger, offlineAfterMs: opts.deviceOfflineAfterMs ?? 60_000 });

  // Sessions that end (sign-out, revoke-sessions, a password change, a disable, a demotion) cut
  // their live sockets at once: the client's retry is refused (UNAUTHORIZED) and the page signs
  // out. Device revocation has its own path (ctx.disconnectDevice).
  const offSessionsEnded = ctx.tokens.onSessionsEnded((e) => {
    try {
      io.in(e.tokenHash ? `session:${e.tokenHash}` : `user:${e.userId}`).disconnectSockets(true);
    } catch (err) {
      ctx.logger.error({ err, userId: e.userId }, 'cutting the sockets of ended sessions failed');
    }
  });
  httpServer.once('close', offSessionsEnded);

  io.use((socket, next) => {
    let session: Session | null;
    let watchTicket: string | null;
    try {
      const token: unknown = socket.handshake.auth?.token;
      session = typeof token === 'string' ? ctx.tokens.session(token, ctx.clock.now()) : null;
      const actor = session?.actor ?? null;
      // A citizen's phone presents only its ticket's unguessable id, and will see only that ticket.
      const ticketId: unknown = socket.handshake.auth?.ticketId;
      watchTicket = !actor && TicketId.safeParse(ticketId).success && ctx.repos.tickets.get(ticketId as string) ? (ticketId as string) : null;
    } catch (err) {
      // The token or ticket could not be read: not a refusal (the client would stop), a lost
      // connection it retries.
      readFailed(ctx, err, 'handshake');
      return dropTransport(socket);
    }
    const actor = session?.actor ?? null;
    if (!actor && !watchTicket) return next(Object.assign(new Error('UNAUTHORIZED'), { data: new AppError('UNAUTHORIZED').toBody() }));
    const address = socket.handshake.address;
    const n = perAddress.get(address) ?? 0;
    if (n >= opts.maxConnectionsPerAddress) {
      return next(Object.assign(new Error('TOO_MANY_REQUESTS'), { data: new AppError('TOO_MANY_REQUESTS').toBody() }));
    }
    perAddress.set(address, n + 1);
    socket.data.actor = actor;
    socket.data.tokenHash = session?.tokenHash ?? null;
    socket.data.expiresAt = session?.expiresAt ?? null;
    socket.data.watchTicket = watchTicket;
    socket.data.address = address;
    next();
  });

  /**
   * The actor for one action, read afresh from the token: revoked, expired, user disabled or
   * demoted, password changed, device revoked all give null. The handshake's actor is never
   * trusted for an action: a socket may have been open for hours.
   */
  const liveActor = (socket: LuotSocket): Actor | null => {
    const { tokenHash } = socket.data;
    return tokenHash ? (ctx.tokens.sessionByHash(tokenHash, ctx.clock.now())?.actor ?? null) : null;
  };
  /** Answers UNAUTHORIZED and cuts the socket: its retry is refused and the page signs out. */
  const sessionOver = (socket: LuotSocket, ack: (r: { ok: false; error: ApiErrorBody }) => void) => {
    ack({ ok: false, error: new AppError('UNAUTHORIZED').toBody() });
    // The ack goes out first: disconnect(true) closes the connection once its buffer is written.
    socket.disconnect(true);
  };

  /**
   * A user's socket is cut when its token expires, even if it never acts again: by a timer at
   * the expiry (real clock) and by `checkSessions` (the minute tick), which also catches a clock
   * moved forward.
   */
  const watchExpiry = (socket: LuotSocket) => {
    const { expiresAt } = socket.data;
    if (expiresAt === null) return;
    let timer: NodeJS.Timeout | undefined;
    const arm = (at: number) => {
      timer = setTimeout(check, Math.min(Math.max(0, at - ctx.clock.now()) + 50, 2 ** 31 - 1));
      timer.unref();
    };
    const check = () => {
      try {
        const s = socket.data.tokenHash ? ctx.tokens.sessionByHash(socket.data.tokenHash, ctx.clock.now()) : null;
        if (!s) return void socket.disconnect(true);
        if (s.expiresAt !== null) arm(s.expiresAt);
      } catch (err) {
        ctx.logger.error({ err }, 'session expiry check failed');
        arm(ctx.clock.now() + 60_000);
      }
    };
    arm(expiresAt);
    socket.on('disconnect', () => clearTimeout(timer));
  };

  io.on('connection', (socket: LuotSocket) => {
    caps.authenticated(socket.conn as unknown as EngineConn);
    // What waits to be written to this screen is capped: one that stops reading is dropped
    // (it reconnects and takes a snapshot) before it can grow the server.
    const outbox = watchOutbox(socket.conn as unknown as EngineConnection, opts.outboxLimits ?? OUTBOX_LIMITS, (backlog) =>
      ctx.logger.warn({ address: socket.data.address, ...backlog }, 'socket dropped: it does not read what it is sent'),
    );
    const { actor, watchTicket } = socket.data;
    let watching = false;
    socket.on('disconnect', () => {
      const n = (perAddress.get(socket.data.address) ?? 1) - 1;
      if (n <= 0) perAddress.delete(socket.data.address);
      else perAddress.set(socket.data.address, n);
      if (watching && watchTicket) watch.remove(watchTicket);
    });
    if (!actor) {
      if (!watchTicket) return void socket.disconnect(true);
      let status;
      try {
        status = ctx.queue.publicTicket(watchTicket);
      } catch (err) {
        readFailed(ctx, err, 'ticket status');
        return dropTransport(socket);
      }
      watch.add(watchTicket, status.serviceId, status);
      watching = true;
      void socket.join(`ticket:${watchTicket}`);
      socket.emit('ticket:status', status);
      // A phone may ask nothing: no handler is registered, so no request of its is ever run.
      return;
    }
    // Read first: a screen that cannot have the day's state gets nothing, and retries.
    let snapshot;
    try {
      snapshot = ctx.queue.snapshot();
    } catch (err) {
      readFailed(ctx, err, 'snapshot on connect');
      return dropTransport(socket);
    }
    // Staff and public screens are in separate rooms and get their own view of the queue.
    const audience = audienceOf(actor);
    void socket.join(QUEUE_ROOM[audience]);
    if (actor.kind === 'device') {
      void socket.join(`device:${actor.deviceId}`);
      presence.connected(actor);
      socket.on('disconnect', () => presence.disconnected(actor));
    } else {
      // Rooms by which ended sessions are cut: one token (sign-out) or all of a user's.
      void socket.join(`user:${actor.userId}`);
      void socket.join(`session:${socket.data.tokenHash}`);
      watchExpiry(socket);
    }
    if (actor.role === 'admin' || actor.role === 'officer') void socket.join('staff');
    // At most one snapshot on its way to a screen at a time (issue 11): a queue:sync is answered
    // once the previous snapshot (the one sent on connect, or the last answer) has been written
    // out; one more may wait meanwhile, and any further one is refused at once (TOO_MANY_REQUESTS,
    // a few bytes). A screen asks once and waits, so it never meets either; a client that asks
    // without reading holds at most two snapshots' worth of the server's memory.
    type SyncAck = Parameters<ClientToServerEvents['queue:sync']>[0];
    let syncBusy = false;
    let heldSync: SyncAck | null = null;
    const syncWritten = () => {
      syncBusy = false;
      const next = heldSync;
      heldSync = null;
      if (next) answerSync(next);
    };
    const answerSync = (ack: SyncAck) => {
      try {
        if (!liveActor(socket)) return sessionOver(socket, ack);
        ack({ ok: true, data: snapshotFor(audience, ctx.queue.snapshot()) });
      } catch (err) {
        return ack({ ok: false, error: readFailed(ctx, err, 'queue:sync').toBody() });
      }
      syncBusy = true;
      outbox.whenWritten(syncWritten);
    };
    socket.emit('queue:snapshot', snapshotFor(audience, snapshot));
    syncBusy = true;
    outbox.whenWritten(syncWritten);

    socket.on('queue:sync', (ack) => {
      if (typeof ack !== 'function') return;
      if (!syncBusy) return answerSync(ack);
      if (!heldSync) return void (heldSync = ack);
      ack({ ok: false, error: new AppError('TOO_MANY_REQUESTS', 'A snapshot is already on its way to this screen; wait for it.').toBody() });
    });

    // Counter actions (the protocol's SOCKET_ACTIONS): each the twin of an HTTP route, with the
    // same use case, roles and answer, run by the actor as it is now.
    const action =
      <E extends SocketAction>(event: E, run: (a: Actor, p: SocketPayload<E>) => SocketAnswer<E>) =>
      (payload: unknown, ack: Ack<SocketAnswer<E>>) => {
        if (typeof ack !== 'function') return;
        try {
          const now = liveActor(socket);
          if (!now) return sessionOver(socket, ack);
          const roles: readonly string[] = SOCKET_ACTIONS[event].route.roles;
          if (!roles.includes(now.role)) throw new AppError('FORBIDDEN');
          ack({ ok: true, data: run(now, parseAs<SocketPayload<E>>(SOCKET_ACTIONS[event].payload, payload)) });
        } catch (err) {
          if (err instanceof AppError) return ack({ ok: false, error: err.toBody() });
          ctx.logger.error({ err, event }, 'socket handler failed');
          ack({ ok: false, error: (storageErrorOf(err) ?? new AppError('INTERNAL')).toBody() });
        }
      };
    const q = ctx.queue;
    socket.on('counter:open', action('counter:open', (a, p) => q.openCounter(a, p.counterId)));
    socket.on('counter:pause', action('counter:pause', (a, p) => q.pauseCounter(a, p.counterId)));
    socket.on('counter:close', action('counter:close', (a, p) => q.closeCounter(a, p.counterId)));
    socket.on('counter:call-next', action('counter:call-next', (a, p) => q.callNext(a, p.counterId, p.expectTicketId)));
    socket.on('counter:recall', action('counter:recall', (a, p) => q.recall(a, p.counterId, p.expectTicketId)));
    socket.on('counter:complete', action('counter:complete', (a, p) => q.complete(a, p.counterId, p.expectTicketId)));
    socket.on('counter:no-show', action('counter:no-show', (a, p) => q.noShow(a, p.counterId, p.expectTicketId)));
    socket.on('counter:transfer', action('counter:transfer', (a, p) => q.transfer(a, p.counterId, p.serviceId, p.expectTicketId)));
    socket.on('counter:call', action('counter:call', (a, p) => q.callTicket(a, p.counterId, p.ticketId, p.expectTicketId)));
  });

  return {
    io,
    /**
     * Re-checks every signed-in person's socket (the minute tick): an expired token, or one that
     * ended by a path that told nobody, is cut. Devices are cut when revoked (disconnectDevice).
     */
    checkSessions() {
      const now = ctx.clock.now();
      for (const socket of io.of('/').sockets.values()) {
        const { actor, tokenHash } = socket.data;
        if (actor?.kind !== 'user' || !tokenHash) continue;
        try {
          if (!ctx.tokens.sessionByHash(tokenHash, now)) socket.disconnect(true);
        } catch (err) {
          ctx.logger.error({ err }, 'session check failed');
          return;
        }
      }
    },
  };
}
