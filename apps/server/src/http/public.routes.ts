import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../auth/passwords.js';
import { createSignInAudit, type FailureReason } from '../auth/sign-in-audit.js';
import { AppError } from '../errors.js';
import type { AppContext } from '../context.js';
import { bearerToken } from './guard.js';
import { route } from './route.js';

/**
 * The only routes open without a token: health, services, one ticket by its id, and sign-in;
 * and sign-out, which needs the token it ends.
 */
export function publicRoutes(app: FastifyInstance, ctx: AppContext) {
  const signIns = createSignInAudit(ctx.repos.audit);
  // Coalesced throttled attempts are written when their minute is over, even if nothing else
  // happens; and all of them on close, while the database is still open.
  const flushTimer = setInterval(() => signIns.flush(ctx.clock.now()), 60_000);
  flushTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(flushTimer);
    signIns.flush(ctx.clock.now(), true);
  });

  route(app, ROUTES.health, () => ({ status: 'ok', version: ctx.version }));

  route(app, ROUTES.services, () => ctx.queue.services());

  route(app, ROUTES.ticket, ({ params }) => ctx.queue.publicTicket(params.id));

  route(app, ROUTES.login, async ({ body, req, reply }) => {
    // A token travels in the answer: no cache may keep it (also set on every answer by the
    // server-wide hook of issue 12's second wave; here so that sign-in never depends on it).
    reply.header('cache-control', 'no-store');
    const now = ctx.clock.now();
    // Counted before the password is checked: see auth/login-throttle.ts.
    const admission = ctx.throttle.begin(body.username, req.ip, now);
    if (!admission.ok) {
      signIns.throttled(now, body.username, req.ip, admission.reason, admission.retryAfterMs);
      reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)));
      throw new AppError('TOO_MANY_REQUESTS');
    }
    const { attempt } = admission;
    let failure: FailureReason | null = 'wrong-password';
    const user = ctx.repos.users.byUsername(body.username);
    try {
      const ok = await verifyPassword(body.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      // Read again after the await: a password change or a disable during the check wins.
      const fresh = user && ctx.repos.users.get(user.id);
      failure = !user || !fresh ? 'unknown-user' : !ok || fresh.passwordHash !== user.passwordHash ? 'wrong-password' : fresh.disabled ? 'disabled' : null;
    } finally {
      if (failure !== null) attempt.failed();
    }
    const done = ctx.clock.now();
    if (failure !== null || !user) {
      signIns.failed(done, body.username, req.ip, failure ?? 'unknown-user', user?.id ?? null);
      throw new AppError('INVALID_CREDENTIALS');
    }
    attempt.succeeded(done);
    const token = ctx.tokens.issue({ userId: user.id }, done);
    signIns.signedIn(done, user.id, req.ip);
    req.log.info({ userId: user.id }, 'signed in');
    return { token, user: { id: user.id, username: user.username, role: user.role } };
  });

  /** Ends the presenting token's session (a person's, by the route's roles; devices are revoked by an admin). */
  route(app, ROUTES.logout, ({ actor, req, reply }) => {
    reply.header('cache-control', 'no-store');
    const token = bearerToken(req.headers.authorization);
    if (!token || actor.kind !== 'user') throw new AppError('UNAUTHORIZED');
    const now = ctx.clock.now();
    ctx.tokens.revoke(token, now);
    signIns.signedOut(now, actor.userId, req.ip);
    req.log.info({ userId: actor.userId }, 'signed out');
  });
}
