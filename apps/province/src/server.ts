import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { ProvinceContext } from './context.js';
import { registerDashboard } from './dashboard/index.js';
import { createFigures } from './figures.js';

export interface ProvinceServerOptions {
  pool: pg.Pool;
  /** Bearer token for the province admin API (PROVINCE_ADMIN_TOKEN); null/absent: admin API off. */
  adminToken?: string | null;
  /** The province clock (ms); tests pass their own. */
  now?: () => number;
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
 * admin API for registering centers, and the dashboard. A factory: tests start it on port 0.
 */
export async function createProvinceServer(opts: ProvinceServerOptions): Promise<ProvinceServer> {
  const app = Fastify({ logger: opts.logger ?? false });
  const ctx: ProvinceContext = {
    pool: opts.pool,
    figures: createFigures(opts.pool),
    now: opts.now ?? Date.now,
    logger: app.log,
  };
  await registerDashboard(app, ctx);
  return {
    app,
    ctx,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const addr = app.server.address() as AddressInfo;
      return `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    },
    close: () => app.close(),
  };
}
