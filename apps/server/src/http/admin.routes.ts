import { CreateDeviceBody, CreateUserBody, IdParam } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../auth/passwords.js';
import { AppError } from '../errors.js';
import { parseInput } from '../validate.js';
import type { AppContext } from '../context.js';
import type { Actor } from '../queue/actor.js';
import { requireRole } from './guard.js';

const actorId = (a: Actor | null) => (a?.kind === 'user' ? a.userId : null);

export function adminRoutes(app: FastifyInstance, ctx: AppContext) {
  app.post('/devices', async (req, reply) => {
    requireRole(req, 'admin');
    const body = parseInput(CreateDeviceBody, req.body);
    const now = ctx.clock.now();
    const { id, token } = ctx.db.transaction(() => {
      const deviceId = ctx.repos.devices.create(body.kind, body.name, now);
      ctx.repos.audit.add(now, actorId(req.actor), 'device.create', `device:${deviceId}`, body);
      return { id: deviceId, token: ctx.tokens.issue({ deviceId }, now) };
    })();
    req.log.info({ deviceId: id, kind: body.kind }, 'device registered');
    return reply.status(201).send({ id, kind: body.kind, name: body.name, token });
  });

  app.post('/devices/:id/revoke', async (req) => {
    requireRole(req, 'admin');
    const { id } = parseInput(IdParam, req.params);
    const now = ctx.clock.now();
    if (!ctx.repos.devices.get(id)) throw new AppError('DEVICE_NOT_FOUND');
    ctx.db.transaction(() => {
      ctx.repos.devices.revoke(id, now);
      ctx.repos.tokens.revokeForDevice(id, now);
      ctx.repos.audit.add(now, actorId(req.actor), 'device.revoke', `device:${id}`, {});
    })();
    ctx.disconnectDevice(id);
    return { id, revoked: true };
  });

  app.post('/users', async (req, reply) => {
    requireRole(req, 'admin');
    const body = parseInput(CreateUserBody, req.body);
    if (ctx.repos.users.byUsername(body.username)) throw new AppError('USERNAME_TAKEN');
    const hash = await hashPassword(body.password);
    // Checked again after the await: another request may have taken the name meanwhile.
    if (ctx.repos.users.byUsername(body.username)) throw new AppError('USERNAME_TAKEN');
    const now = ctx.clock.now();
    const id = ctx.db.transaction(() => {
      const userId = ctx.repos.users.create(body.username, hash, body.role, now);
      ctx.repos.audit.add(now, actorId(req.actor), 'user.create', `user:${userId}`, { username: body.username, role: body.role });
      return userId;
    })();
    return reply.status(201).send({ id, username: body.username, role: body.role });
  });
}
