import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { createDeviceAdmin } from './admin/devices.js';
import { createUserAdmin } from './admin/users.js';
import { createAlerts } from './alerts.js';
import type { BackupStatus } from '@luot/protocol';
import { createLoginThrottle } from './auth/login-throttle.js';
import { createTokenService } from './auth/tokens.js';
import { systemClock, type Clock } from './clock.js';
import type { AppContext } from './context.js';
import type { Db } from './db/open.js';
import { createRepos } from './db/repos.js';
import { adminConfigRoutes } from './http/admin-config.routes.js';
import { adminRoutes } from './http/admin.routes.js';
import { backupRoutes } from './http/backup.routes.js';
import { counterRoutes } from './http/counter.routes.js';
import { citizenRoutes } from './http/citizen.routes.js';
import { AppError } from './errors.js';
import { clientErrorHandler, frameworkErrors, installErrorHandler } from './http/error-handler.js';
import { bearerToken } from './http/guard.js';
import { registerPages, type WebRoots } from './http/pages.js';
import { publicRoutes } from './http/public.routes.js';
import { ratingRoutes } from './http/rating.routes.js';
import { reportRoutes } from './http/report.routes.js';
import { ticketRoutes } from './http/ticket.routes.js';
import { voiceRoutes } from './http/voice.routes.js';
import { printRoutes, type PrintRoutesOptions } from './printing/print.routes.js';
import { provinceRoutes } from './http/province.routes.js';
import type { ProvinceConfig } from './province/config.js';
import { createShipper, type Shipper } from './province/shipper.js';
import { createQueue } from './queue/queue.js';
import { createRatings } from './queue/ratings.js';
import { createReports } from './reports/report.js';
import { businessDayOf } from '@luot/domain';
import { attachSocket, broadcastQueueEvent, broadcastSnapshot, type LuotIo } from './socket/socket.js';
import { createPhoneUpdates, createTicketWatch } from './socket/ticket-watch.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// src/ and dist/src/ sit at different depths: find the package root by its package.json.
const packageRoot = [here('..'), here('../..')].find((d) => {
  try {
    return JSON.parse(readFileSync(`${d}/package.json`, 'utf8')).name === '@luot/server';
  } catch {
    return false;
  }
}) as string;
const VERSION = (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;

export const DEFAULT_WEB_ROOTS: WebRoots = {
  app: `${packageRoot}/../counter-display/dist`,
  kiosk: `${packageRoot}/../kiosk/dist/renderer`,
};

/** helmet's options: plain HTTP on a LAN (no HSTS, no upgrade-insecure-requests, which would break every page). */
const HELMET_OPTIONS = {
  hsts: false,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
};

/**
 * The headers helmet sets with HELMET_OPTIONS, read once from a throwaway instance: @fastify/helmet
 * rebuilds them (the CSP string among them) on every request, about a tenth of an issue's CPU
 * (issue 14). Every answer gets the same headers as before, set by one hook.
 */
async function securityHeaders(): Promise<Record<string, string>> {
  const headersOf = async (withHelmet: boolean) => {
    const probe = Fastify();
    if (withHelmet) await probe.register(helmet, HELMET_OPTIONS);
    probe.get('/', async () => 'x');
    const res = await probe.inject('/');
    await probe.close();
    return res.headers;
  };
  const plain = await headersOf(false);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(await headersOf(true))) if (!(name in plain) && value !== undefined) out[name] = String(value);
  return out;
}

export interface ServerOptions {
  db: Db;
  clock?: Clock;
  logger?: Logger;
  webRoots?: WebRoots;
  maxSocketsPerAddress?: number;
  /** Handshakes in progress from one address (default 10); the bench's clients all share 127.0.0.1. */
  maxPendingSocketsPerAddress?: number;
  /** Province roll-up (LUOT_PROVINCE_URL, LUOT_PROVINCE_KEY); absent = off. */
  province?: ProvinceConfig;
  /** A kiosk or TV disconnected this long raises a staff alert (default 60 s). */
  deviceOfflineAfterMs?: number;
  /** socket.io's ping interval and timeout (default HEARTBEAT in socket/socket.ts: 10 s + 10 s). */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  /** Tickets per kiosk (default 5 at once, 20 a minute); null turns the limit off. */
  kioskRateLimit?: { burst: number; perMinute: number } | null;
  /** A center's own voice clips, served at /voice/ (default: none). */
  voiceDir?: string;
  /** Server-side printing for plain-browser kiosks (main.ts passes LUOT_KIOSK_PRINTER's table from config.ts; default: no printer). */
  print?: PrintRoutesOptions;
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

export interface LuotServer {
  app: FastifyInstance;
  /** Every HTTP route (method and URL pattern, HEAD included), as registered. */
  routes: readonly RegisteredRoute[];
  io: LuotIo;
  ctx: AppContext;
  listen(port: number, host?: string): Promise<string>;
  /** What the minute timer does (tests call it with a manual clock): day rollover, opening hours. */
  tick(): void;
  /** Where GET /admin/backups reads the nightly backup's state: main.ts gives the operations' view once they run. */
  useBackupStatus(read: () => Promise<BackupStatus>): void;
  close(): Promise<void>;
}

/**
 * Builds the whole server around an open database: HTTP API under /api/v1, the pages, and
 * socket.io on the same port. A factory, not a singleton: tests start it on port 0 and close it.
 */
export async function createServer(opts: ServerOptions): Promise<LuotServer> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? pino({ level: 'silent' });
  // Set when close() starts: new requests and socket handshakes are refused as SERVER_RESTARTING.
  let closing = false;
  const repos = createRepos(opts.db);
  let io: LuotIo | null = null;
  let province: Shipper | null = null;
  // The operations (ops/) start after listen, in main.ts; until then the backups route says "not set".
  let backupStatus: (() => Promise<BackupStatus>) | null = null;
  const watch = createTicketWatch();
  // Citizens' phones get their own ticket's new position, never the queue itself: computed for
  // all of them at once after the action has answered (ticket-watch.ts).
  const phones = createPhoneUpdates({
    watch,
    compute: (ids) => queue.publicTickets(ids),
    send: (ticketId, status) => io?.to(`ticket:${ticketId}`).emit('ticket:status', status),
    onError: (err) => logger.error({ err }, 'ticket status for phones failed'),
  });

  const queue = createQueue({
    db: opts.db,
    repos,
    clock,
    publish: (events) => {
      // The province link ships on its own timer; a new event only wakes it (never waits on it).
      province?.kick();
      if (!io) return;
      // Screens first, in seq order (a call's ticket:called leads), then the log lines.
      for (const e of events) broadcastQueueEvent(io, e);
      for (const e of events) {
        logger.info({ seq: e.payload.seq, event: e.type, ticket: 'ticket' in e.payload ? e.payload.ticket.number : undefined }, 'queue event');
      }
      phones.published(events);
    },
    // After midnight every connected screen gets the new day whole, without reconnecting: no event
    // removes yesterday's recent calls, and the day's date itself changed.
    newDay: (buildSnapshot) => {
      if (!io) return;
      try {
        const snapshot = buildSnapshot();
        broadcastSnapshot(io, snapshot);
        logger.info({ businessDay: snapshot.businessDay, seq: snapshot.seq }, 'new business day: snapshot sent to every screen');
      } catch (err) {
        // Screens still get the day's events; the next sync or reconnect brings the new date.
        logger.error({ err }, 'new day snapshot failed');
      }
    },
  });
  const tokens = createTokenService(repos);
  const alerts = createAlerts(clock, () => repos.settings.center().timeZone, (a) => io?.to('staff').emit('device:alert', a));
  const disconnectDevice = (deviceId: number) => io?.in(`device:${deviceId}`).disconnectSockets(true);
  const ctx: AppContext = {
    version: VERSION,
    db: opts.db,
    repos,
    clock,
    queue,
    users: createUserAdmin({ db: opts.db, repos, clock, tokens }),
    devices: createDeviceAdmin({ db: opts.db, repos, clock, tokens, alerts, disconnectDevice, iso: queue.views.iso }),
    // Built at start: it raises the director's alert again if dissatisfied answers are still unseen.
    ratings: createRatings({ db: opts.db, repos, clock, alerts }),
    buildReport: createReports(opts.db, repos, clock),
    tokens,
    throttle: createLoginThrottle({ maxFailures: 5, windowMs: 15 * 60_000 }, { maxFailures: 30, windowMs: 15 * 60_000 }),
    alerts,
    logger,
    disconnectDevice,
  };
  province = opts.province ? createShipper({ db: opts.db, clock, logger, ...opts.province }) : null;

  // Typed as the default instance: route modules take a plain FastifyInstance.
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: 16 * 1024,
    // One line per request would drown the log on a busy morning; actions log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    // Our own 503 while stopping (below), in the API's error shape rather than Fastify's.
    return503OnClosing: false,
    // Requests refused before any route (a path part over 100 characters, a bad %-escape, headers
    // over 16 KiB) answer in the API's error shape too (http/error-handler.ts).
    frameworkErrors,
    clientErrorHandler,
  });
  // The route table, for the security tests' role matrix: every route registered from here on,
  // whichever module adds it, is listed (and so must have a line in the matrix).
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method: String(method), url: r.url });
  });
  // No cache (the browser's, a proxy's) may keep an API answer: they carry tokens, personal data
  // and live state. A route that sets its own Cache-Control keeps it.
  // (Hooks on every request are callback-style: an async hook costs a promise per request.)
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  // helmet's security headers, computed once (securityHeaders below) and set by one hook.
  const security = await securityHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.headers(security);
    done();
  });
  installErrorHandler(app);
  // While stopping, a request on a connection that is still open (keep-alive, pipelined) is not
  // run: it gets 503 SERVER_RESTARTING, a body every client already knows how to read, and the
  // connection is closed so the client's retry opens a new one to the restarted server.
  app.addHook('onRequest', (_req, reply, done) => {
    if (!closing) return done();
    void reply.code(503).header('connection', 'close').header('retry-after', '2').send({ error: new AppError('SERVER_RESTARTING').toBody() });
  });
  app.decorateRequest('actor', null);
  app.addHook('onRequest', (req, _reply, done) => {
    try {
      req.actor = ctx.tokens.resolve(bearerToken(req.headers.authorization), clock.now());
    } catch (err) {
      return done(err as Error);
    }
    done();
  });

  await app.register(
    async (api) => {
      publicRoutes(api, ctx);
      adminRoutes(api, ctx);
      adminConfigRoutes(api, ctx);
      reportRoutes(api, ctx);
      ratingRoutes(api, ctx);
      ticketRoutes(api, ctx, { kioskRateLimit: opts.kioskRateLimit === undefined ? { burst: 5, perMinute: 20 } : opts.kioskRateLimit });
      counterRoutes(api, ctx);
      citizenRoutes(api, ctx);
      printRoutes(api, ctx, opts.print ?? {});
      provinceRoutes(api, ctx, province);
      backupRoutes(api, ctx, () => backupStatus);
      if (opts.voiceDir) voiceRoutes(api, ctx, { voiceDir: opts.voiceDir });
    },
    { prefix: '/api/v1' },
  );
  await registerPages(app, { ...(opts.webRoots ?? DEFAULT_WEB_ROOTS), ...(opts.voiceDir ? { voice: opts.voiceDir } : {}) });
  await app.ready();
  province?.start();
  const sockets = attachSocket(
    app.server,
    ctx,
    {
      maxConnectionsPerAddress: opts.maxSocketsPerAddress ?? 50,
      ...(opts.maxPendingSocketsPerAddress !== undefined ? { maxPendingPerAddress: opts.maxPendingSocketsPerAddress } : {}),
      isClosing: () => closing,
      ...(opts.deviceOfflineAfterMs !== undefined ? { deviceOfflineAfterMs: opts.deviceOfflineAfterMs } : {}),
      ...(opts.heartbeat ? { heartbeat: opts.heartbeat } : {}),
    },
    watch,
  );
  io = sockets.io;

  // Midnight passes with nobody pressing anything: check once a minute so the TVs clear the
  // day's queue on their own. It broadcasts only if the day really changed.
  let lastDay = businessDayOf(clock.now(), repos.settings.center().timeZone);
  let lastTickAt = clock.now();
  const tick = () => {
    // Sockets of sessions that expired (or ended unannounced) are cut, whatever else fails.
    sockets.checkSessions();
    try {
      const now = clock.now();
      queue.minuteTick(lastTickAt);
      lastTickAt = now;
      const today = businessDayOf(clock.now(), repos.settings.center().timeZone);
      if (today !== lastDay) {
        // Sum the day that just ended now, so the director's next report need not.
        ctx.buildReport({ from: lastDay, to: lastDay });
        lastDay = today;
      }
    } catch (err) {
      logger.error({ err }, 'day rollover failed');
    }
  };
  const dayTimer = setInterval(tick, 60_000);
  dayTimer.unref();

  return {
    app,
    routes,
    io,
    ctx,
    tick,
    useBackupStatus(read) {
      backupStatus = read;
    },
    async listen(port, host = '0.0.0.0') {
      await app.listen({ port, host });
      const addr = app.server.address() as AddressInfo;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
    },
    async close() {
      closing = true;
      await province?.stop();
      clearInterval(dayTimer);
      // Every screen must come back by itself after a restart, so the sockets are not
      // disconnected the socket.io way (io.disconnectSockets sends a DISCONNECT packet, which
      // socket.io-client takes as "io server disconnect" and never retries): only the engine.io
      // connections are closed, which any client sees as a lost transport ("transport close")
      // and reconnects with its backoff until the server is back. Not io.close() either: it would
      // wait on the HTTP server's keep-alive connections (Fastify keeps them 72 s). Then Fastify
      // closes idle connections and finishes the requests in flight.
      io?.engine.close();
      // Requests in flight get two seconds to finish; then whatever is still open (a stuck
      // long-polling request, a slow client) is cut, so a stop never hangs.
      const force = setTimeout(() => app.server.closeAllConnections(), 2000);
      force.unref();
      await app.close();
      clearTimeout(force);
    },
  };
}
