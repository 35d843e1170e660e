import type { ClientToServerEvents, ServerToClientEvents } from '@luot/protocol';
import { Id, TicketId } from '@luot/protocol';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError, storageErrorOf } from '../errors.js';
import type { Actor } from '../queue/actor.js';
import { parseInput } from '../validate.js';
import type { TicketWatch } from './ticket-watch.js';

interface SocketData {
  /** A signed-in person or device; null for a citizen's phone watching one ticket. */
  actor: Actor | null;
  watchTicket: string | null;
  address: string;
}
export type LuotIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LuotSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const CounterPayload = z.strictObject({ counterId: Id });
/** expectTicketId: the ticket the page believes the counter serves (null: none); stale -> STALE_REQUEST. */
const ExpectTicketId = TicketId.nullable().optional();
const CounterActionPayload = z.strictObject({ counterId: Id, expectTicketId: ExpectTicketId });
const TransferPayload = z.strictObject({ counterId: Id, serviceId: Id, expectTicketId: ExpectTicketId });
const CallPayload = z.strictObject({ counterId: Id, ticketId: TicketId, expectTicketId: ExpectTicketId });

export interface SocketOptions {
  /** Connections allowed from one address at once (a citizen's phone must not exhaust the server). */
  maxConnectionsPerAddress: number;
  /** A kiosk or TV without a connection this long raises a staff alert (default 60 s). */
  deviceOfflineAfterMs?: number;
  /** True while the server stops: new connections are refused (the client retries later). */
  isClosing?: () => boolean;
}

const OFFLINE_TEXT = {
  kiosk: { message: 'The ticket kiosk is offline.', messageVi: 'Máy lấy số mất kết nối.' },
  display: { message: 'The waiting-room display is offline.', messageVi: 'Màn hình phòng chờ mất kết nối.' },
};

/**
 * Staff learn that a kiosk or TV went away: a device that cannot reach the server cannot say so
 * itself. A short gap (Wi-Fi roaming, a page reload) raises nothing.
 */
function createPresence(ctx: AppContext, offlineAfterMs: number) {
  const online = new Map<number, number>();
  const timers = new Map<number, NodeJS.Timeout>();
  const alerted = new Set<number>();
  return {
    connected(actor: Extract<Actor, { kind: 'device' }>) {
      online.set(actor.deviceId, (online.get(actor.deviceId) ?? 0) + 1);
      clearTimeout(timers.get(actor.deviceId));
      timers.delete(actor.deviceId);
      if (alerted.delete(actor.deviceId)) {
        ctx.alerts.report({ deviceId: actor.deviceId, deviceName: actor.name, code: 'device_offline', ...OFFLINE_TEXT[actor.role], active: false });
      }
    },
    disconnected(actor: Extract<Actor, { kind: 'device' }>) {
      const n = (online.get(actor.deviceId) ?? 1) - 1;
      if (n > 0) return void online.set(actor.deviceId, n);
      online.delete(actor.deviceId);
      const t = setTimeout(() => {
        timers.delete(actor.deviceId);
        try {
          if (online.has(actor.deviceId) || ctx.repos.devices.get(actor.deviceId)?.revoked) return;
          alerted.add(actor.deviceId);
          ctx.alerts.report({ deviceId: actor.deviceId, deviceName: actor.name, code: 'device_offline', ...OFFLINE_TEXT[actor.role], active: true });
        } catch (err) {
          // A timer's exception would end the process: an unreadable database must not.
          ctx.logger.error({ err, deviceId: actor.deviceId }, 'device offline check failed');
        }
      }, offlineAfterMs);
      t.unref();
      timers.set(actor.deviceId, t);
    },
  };
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

/**
 * socket.io on the HTTP server's port. A connection must present a valid token before it
 * receives anything; it then gets the day's snapshot and every later event with its seq.
 */
export function attachSocket(httpServer: HttpServer, ctx: AppContext, opts: SocketOptions, watch: TicketWatch): LuotIo {
  const io: LuotIo = new Server(httpServer, {
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    // Same origin only: pages are served by this server.
    cors: { origin: false },
    // A handshake while stopping would be cut a moment later: refuse it, the client backs off and
    // connects to the restarted server.
    allowRequest: (_req, callback) => (opts.isClosing?.() ? callback('SERVER_RESTARTING', false) : callback(null, true)),
  });
  const perAddress = new Map<string, number>();
  const presence = createPresence(ctx, opts.deviceOfflineAfterMs ?? 60_000);

  io.use((socket, next) => {
    let actor: Actor | null;
    let watchTicket: string | null;
    try {
      const token: unknown = socket.handshake.auth?.token;
      actor = typeof token === 'string' ? ctx.tokens.resolve(token, ctx.clock.now()) : null;
      // A citizen's phone presents only its ticket's unguessable id, and will see only that ticket.
      const ticketId: unknown = socket.handshake.auth?.ticketId;
      watchTicket = !actor && TicketId.safeParse(ticketId).success && ctx.repos.tickets.get(ticketId as string) ? (ticketId as string) : null;
    } catch (err) {
      // The token or ticket could not be read: not a refusal (the client would stop), a lost
      // connection it retries.
      readFailed(ctx, err, 'handshake');
      return dropTransport(socket);
    }
    if (!actor && !watchTicket) return next(Object.assign(new Error('UNAUTHORIZED'), { data: new AppError('UNAUTHORIZED').toBody() }));
    const address = socket.handshake.address;
    const n = perAddress.get(address) ?? 0;
    if (n >= opts.maxConnectionsPerAddress) {
      return next(Object.assign(new Error('TOO_MANY_REQUESTS'), { data: new AppError('TOO_MANY_REQUESTS').toBody() }));
    }
    perAddress.set(address, n + 1);
    socket.data.actor = actor;
    socket.data.watchTicket = watchTicket;
    socket.data.address = address;
    next();
  });

  io.on('connection', (socket: LuotSocket) => {
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
      watch.add(watchTicket, status.serviceId);
      watching = true;
      void socket.join(`ticket:${watchTicket}`);
      socket.emit('ticket:status', status);
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
    void socket.join('queue');
    if (actor.kind === 'device') {
      void socket.join(`device:${actor.deviceId}`);
      presence.connected(actor);
      socket.on('disconnect', () => presence.disconnected(actor));
    }
    if (actor.role === 'admin' || actor.role === 'officer') void socket.join('staff');
    socket.emit('queue:snapshot', snapshot);

    socket.on('queue:sync', (ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack({ ok: true, data: ctx.queue.snapshot() });
      } catch (err) {
        ack({ ok: false, error: readFailed(ctx, err, 'queue:sync').toBody() });
      }
    });

    // Counter actions: the same use cases and rules as the HTTP routes.
    const handle = <S extends z.ZodType, R>(event: keyof ClientToServerEvents, schema: S, run: (p: z.infer<S>) => R) => {
      socket.on(event, ((payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        try {
          if (actor.role !== 'admin' && actor.role !== 'officer') throw new AppError('FORBIDDEN');
          ack({ ok: true, data: run(parseInput(schema, payload)) });
        } catch (err) {
          if (err instanceof AppError) return ack({ ok: false, error: err.toBody() });
          ctx.logger.error({ err, event }, 'socket handler failed');
          ack({ ok: false, error: (storageErrorOf(err) ?? new AppError('INTERNAL')).toBody() });
        }
      }) as never);
    };
    const q = ctx.queue;
    handle('counter:open', CounterPayload, (p) => q.openCounter(actor, p.counterId));
    handle('counter:pause', CounterPayload, (p) => q.pauseCounter(actor, p.counterId));
    handle('counter:close', CounterPayload, (p) => q.closeCounter(actor, p.counterId));
    handle('counter:call-next', CounterActionPayload, (p) => q.callNext(actor, p.counterId, p.expectTicketId));
    handle('counter:recall', CounterActionPayload, (p) => q.recall(actor, p.counterId, p.expectTicketId));
    handle('counter:complete', CounterActionPayload, (p) => q.complete(actor, p.counterId, p.expectTicketId));
    handle('counter:no-show', CounterActionPayload, (p) => q.noShow(actor, p.counterId, p.expectTicketId));
    handle('counter:transfer', TransferPayload, (p) => q.transfer(actor, p.counterId, p.serviceId, p.expectTicketId));
    handle('counter:call', CallPayload, (p) => q.callTicket(actor, p.counterId, p.ticketId, p.expectTicketId));
  });

  return io;
}
