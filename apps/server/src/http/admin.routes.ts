import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../auth/passwords.js';
import { AppError } from '../errors.js';
import type { AppContext } from '../context.js';
import type { Actor } from '../queue/actor.js';
import { route } from './route.js';

const actorId = (a: Actor | null) => (a?.kind === 'user' ? a.userId : null);

export function adminRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, ROUTES.createDevice, ({ actor, body, req, reply }) => {
    // The device's token is in the answer: no cache may keep it.
    reply.header('cache-control', 'no-store');
    const now = ctx.clock.now();
    const { id, token } = ctx.db.transaction(() => {
      const deviceId = ctx.repos.devices.create(body.kind, body.name, now);
      ctx.repos.audit.add(now, actorId(actor), 'device.create', `device:${deviceId}`, body);
      return { id: deviceId, token: ctx.tokens.issue({ deviceId }, now) };
    })();
    req.log.info({ deviceId: id, kind: body.kind }, 'device registered');
    return { id, kind: body.kind, name: body.name, token };
  });

  route(app, ROUTES.revokeDevice, ({ actor, params: { id } }) => {
    const now = ctx.clock.now();
    if (!ctx.repos.devices.get(id)) throw new AppError('DEVICE_NOT_FOUND');
    ctx.db.transaction(() => {
      ctx.repos.devices.revoke(id, now);
      ctx.repos.tokens.revokeForDevice(id, now);
      ctx.repos.audit.add(now, actorId(actor), 'device.revoke', `device:${id}`, {});
    })();
    ctx.disconnectDevice(id);
    // Its alerts are over with it; staff screens drop them.
    ctx.alerts.clearDevice(id);
    return { id, revoked: true };
  });

  route(app, ROUTES.createUser, async ({ actor, body }) => {
    refuseClash(ctx, body.username);
    const hash = await hashPassword(body.password);
    const now = ctx.clock.now();
    const id = ctx.db.transaction(() => {
      // Checked again after the await, in the transaction: another request may have taken the
      // name (or a look-alike of it) meanwhile.
      refuseClash(ctx, body.username);
      const userId = ctx.repos.users.create(body.username, hash, body.role, now);
      ctx.repos.audit.add(now, actorId(actor), 'user.create', `user:${userId}`, { username: body.username, role: body.role });
      return userId;
    })();
    const created = ctx.repos.users.get(id)!;
    return { id, username: created.username, role: created.role };
  });

  /**
   * Signs a user out everywhere without touching the password (a tablet left signed in was lost
   * or stolen): every token revoked, every live connection of theirs cut.
   */
  route(app, ROUTES.revokeSessions, ({ actor, params: { id } }) => {
    if (!ctx.repos.users.get(id)) throw new AppError('NOT_FOUND', 'No such user.');
    const now = ctx.clock.now();
    const revoked = ctx.tokens.revokeAllForUser(id, now, 'revoked');
    ctx.repos.audit.add(now, actorId(actor), 'user.sessions-revoke', `user:${id}`, { tokens: revoked });
    return { id, revoked };
  });
}

/** USERNAME_TAKEN for the same name in any case or normal form, USERNAME_CONFUSABLE for a look-alike. */
function refuseClash(ctx: AppContext, username: string) {
  const clash = ctx.repos.users.clash(username);
  if (clash?.kind === 'taken') throw new AppError('USERNAME_TAKEN');
  if (clash?.kind === 'confusable') throw new AppError('USERNAME_CONFUSABLE', `It looks like "${clash.existing}".`);
}
