import Fastify, { type FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { AppContext } from '../context.js';
import { installErrorHandler } from '../http/error-handler.js';
import { bearerToken } from '../http/guard.js';
import { printRoutes, type PrintRoutesOptions } from './print.routes.js';

/**
 * For tests only: the print route on its own Fastify instance sharing a running server's context
 * (same database, same tokens), with the same actor hook and error handler as server.ts, so a
 * test can vary the plugin's options (printer table, rate limit) without restarting the server.
 */
export async function printTestApp(ctx: AppContext, clock: Clock, opts: PrintRoutesOptions): Promise<FastifyInstance> {
  const a = Fastify();
  installErrorHandler(a);
  a.decorateRequest('actor', null);
  a.addHook('onRequest', async (req) => {
    req.actor = ctx.tokens.resolve(bearerToken(req.headers.authorization), clock.now());
  });
  await a.register(async (api) => printRoutes(api, ctx, opts), { prefix: '/api/v1' });
  await a.ready();
  return a;
}
