import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { createSignIn, SignInThrottled } from '../auth/sign-in.js';
import type { AppContext } from '../context.js';
import { bearerToken } from './guard.js';
import { route } from './route.js';

/**
 * The only routes open without a token: health, services, one ticket by its id, and sign-in;
 * and sign-out, which needs the token it ends. Signing in and out is auth/sign-in.ts.
 */
export function publicRoutes(app: FastifyInstance, ctx: AppContext) {
  // The context itself: its throttle is read on each attempt.
  const signIn = createSignIn(ctx);
  // The coalesced throttled attempts are written on close, while the database is still open.
  app.addHook('onClose', async () => signIn.close());

  route(app, ROUTES.health, () => ({ status: 'ok', version: ctx.version }));

  route(app, ROUTES.services, () => ctx.queue.services());

  route(app, ROUTES.ticket, ({ params }) => ctx.queue.publicTicket(params.id));

  route(app, ROUTES.login, async ({ body, req, reply }) => {
    // A token travels in the answer: no cache may keep it (also set on every answer by the
    // server-wide hook of issue 12's second wave; here so that sign-in never depends on it).
    reply.header('cache-control', 'no-store');
    try {
      const result = await signIn.signIn(body.username, body.password, req.ip);
      req.log.info({ userId: result.user.id }, 'signed in');
      return result;
    } catch (err) {
      if (err instanceof SignInThrottled) reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      throw err;
    }
  });

  /** Ends the presenting token's session (a person's, by the route's roles; devices are revoked by an admin). */
  route(app, ROUTES.logout, ({ actor, req, reply }) => {
    reply.header('cache-control', 'no-store');
    signIn.signOut(actor, bearerToken(req.headers.authorization), req.ip);
    if (actor.kind === 'user') req.log.info({ userId: actor.userId }, 'signed out');
  });
}
