import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { adminRoutes } from './admin/routes.js';
import type { ProvinceContext } from './context.js';
import { registerDashboard } from './dashboard/index.js';
import { installErrorHandler } from './errors.js';
import { createFigures } from './figures.js';
import { ingestRoutes } from './ingest/routes.js';

export interface ProvinceServerOptions {
  /** A pool on the province's PostgreSQL, already migrated (db/migrate.ts). */
  pool: pg.Pool;
  /** Bearer token of the province admin API (PROVINCE_ADMIN_TOKEN); null/absent: admin API off. */
  adminToken?: string | null;
  /** The province clock (ms); tests pass their own. Figures never use it for a ticket's times. */
  now?: () => number;
  /** A pino logger, or true for Fastify's default one (stdout); false/absent: silent. */
  logger?: FastifyBaseLogger | boolean;
}

export interface ProvinceServer {
  app: FastifyInstance;
  ctx: ProvinceContext;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the province service around a migrated PostgreSQL pool: ingest from the centers, the
 * admin API for registering centers, and the dashboard (registerDashboard). A factory, not a
 * singleton: tests start it on port 0, stop it to cut the link, and start it again.
 */
export async function createProvinceServer(opts: ProvinceServerOptions): Promise<ProvinceServer> {
  const logger = opts.logger ?? false;
  // One line per request would drown the log with 65 centers shipping every second; refusals and
  // failures are logged by the error handler, registrations by the admin routes.
  const app: FastifyInstance =
    typeof logger === 'boolean' ? Fastify({ logger, disableRequestLogging: true }) : Fastify({ loggerInstance: logger, disableRequestLogging: true });
  const ctx: ProvinceContext = {
    pool: opts.pool,
    figures: createFigures(opts.pool),
    now: opts.now ?? Date.now,
    logger: app.log,
  };
  installErrorHandler(app);
  app.get('/api/v1/health', async () => {
    await ctx.pool.query('SELECT 1');
    return { status: 'ok' };
  });
  ingestRoutes(app, ctx);
  adminRoutes(app, ctx, opts.adminToken ?? null);
  await registerDashboard(app, ctx);
  await app.ready();
  return {
    app,
    ctx,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const addr = app.server.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      return `http://${shown.includes(':') ? `[${shown}]` : shown}:${addr.port}`;
    },
    close: () => app.close(),
  };
}
