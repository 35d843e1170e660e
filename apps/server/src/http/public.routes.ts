import { LoginBody, TicketIdParam } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../auth/passwords.js';
import { AppError } from '../errors.js';
import { parseInput } from '../validate.js';
import type { AppContext } from '../context.js';

/** The only routes open without a token: health, services, one ticket by its id, and login. */
export function publicRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/health', async () => ({ status: 'ok', version: ctx.version }));

  app.get('/services', async () => ctx.queue.services());

  app.get('/tickets/:id', async (req) => {
    const { id } = parseInput(TicketIdParam, req.params);
    return ctx.queue.publicTicket(id);
  });

  app.post('/auth/login', async (req) => {
    const body = parseInput(LoginBody, req.body);
    const now = ctx.clock.now();
    if (ctx.throttle.isBlocked(body.username, req.ip, now)) throw new AppError('TOO_MANY_REQUESTS');
    const user = ctx.repos.users.byUsername(body.username);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.disabled) {
      ctx.throttle.fail(body.username, req.ip, now);
      throw new AppError('INVALID_CREDENTIALS');
    }
    ctx.throttle.succeed(body.username);
    const token = ctx.tokens.issue({ userId: user.id }, now);
    req.log.info({ userId: user.id }, 'signed in');
    return { token, user: { id: user.id, username: user.username, role: user.role } };
  });
}
