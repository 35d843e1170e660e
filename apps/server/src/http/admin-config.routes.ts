import {
  CenterSettingsPatch,
  CounterCreateBody,
  CounterPatchBody,
  IdParam,
  ServiceCreateBody,
  ServicePatchBody,
  UserPatchBody,
  type CounterConfig,
  type DeviceInfo,
  type UserInfo,
} from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../auth/passwords.js';
import type { SessionEndReason } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { parseInput } from '../validate.js';
import { requireRole } from './guard.js';

/**
 * The admin pages' API under /api/v1/admin: configuration (each change audited and announced
 * live to kiosks, counters and TVs), users and devices. Admin only. Reports and the audit log
 * are in report.routes.ts.
 */
export function adminConfigRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;
  const views = q.views;
  const iso = (ms: number) => views.iso(ms);

  app.get('/admin/settings', async (req) => {
    requireRole(req, 'admin');
    return ctx.repos.settings.center();
  });
  app.patch('/admin/settings', async (req) => {
    const actor = requireRole(req, 'admin');
    return q.updateCenter(actor, parseInput(CenterSettingsPatch, req.body));
  });

  app.get('/admin/services', async (req) => {
    requireRole(req, 'admin');
    return ctx.repos.services.list().map(views.serviceConfig);
  });
  app.post('/admin/services', async (req, reply) => {
    const actor = requireRole(req, 'admin');
    return reply.status(201).send(q.saveService(actor, null, parseInput(ServiceCreateBody, req.body)));
  });
  app.patch('/admin/services/:id', async (req) => {
    const actor = requireRole(req, 'admin');
    const { id } = parseInput(IdParam, req.params);
    return q.saveService(actor, id, parseInput(ServicePatchBody, req.body));
  });

  app.get('/admin/counters', async (req): Promise<CounterConfig[]> => {
    requireRole(req, 'admin');
    return q.counterConfigs();
  });
  app.post('/admin/counters', async (req, reply) => {
    const actor = requireRole(req, 'admin');
    return reply.status(201).send(q.saveCounter(actor, null, parseInput(CounterCreateBody, req.body)));
  });
  app.patch('/admin/counters/:id', async (req) => {
    const actor = requireRole(req, 'admin');
    const { id } = parseInput(IdParam, req.params);
    return q.saveCounter(actor, id, parseInput(CounterPatchBody, req.body));
  });

  app.get('/admin/users', async (req): Promise<UserInfo[]> => {
    requireRole(req, 'admin');
    return ctx.repos.users.list().map((u) => ({ id: u.id, username: u.username, role: u.role, disabled: u.disabled }));
  });
  app.patch('/admin/users/:id', async (req): Promise<UserInfo> => {
    const actor = requireRole(req, 'admin');
    const { id } = parseInput(IdParam, req.params);
    const body = parseInput(UserPatchBody, req.body);
    const user = ctx.repos.users.get(id);
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    const hash = body.password ? await hashPassword(body.password) : null;
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      // Never lock the center out: the last active admin stays an active admin.
      const demoting = user.role === 'admin' && (body.role === 'officer' || body.disabled === true);
      const otherAdmins = ctx.repos.users.list().filter((u) => u.role === 'admin' && !u.disabled && u.id !== id).length;
      if (demoting && otherAdmins === 0) throw new AppError('INVALID_INPUT', 'The last admin cannot be demoted or disabled.');
      if (body.role) ctx.repos.users.setRole(id, body.role);
      if (hash) ctx.repos.users.setPassword(id, hash);
      if (body.disabled !== undefined) ctx.repos.users.setDisabled(id, body.disabled ? now : null);
      const { password: _secret, ...detail } = body;
      ctx.repos.audit.add(now, actor.kind === 'user' ? actor.userId : null, 'user.update', `user:${id}`, { ...detail, passwordChanged: !!hash });
    })();
    // The session epoch already stops the old tokens on every request; this also revokes their
    // rows and cuts the user's live sockets at once (after the commit: nothing may act on a
    // change that could still roll back).
    const reason: SessionEndReason | null =
      body.disabled === true ? 'disabled' : hash ? 'password-changed' : user.role === 'admin' && body.role === 'officer' ? 'demoted' : null;
    if (reason) ctx.tokens.revokeAllForUser(id, now, reason);
    const u = ctx.repos.users.get(id)!;
    return { id: u.id, username: u.username, role: u.role, disabled: u.disabled };
  });

  app.get('/admin/devices', async (req): Promise<DeviceInfo[]> => {
    requireRole(req, 'admin');
    return ctx.repos.devices.list().map((d) => ({
      id: d.id,
      kind: d.kind,
      name: d.name,
      createdAt: iso(d.createdAt),
      lastSeenAt: d.lastSeenAt === null ? null : iso(d.lastSeenAt),
      revoked: d.revoked,
    }));
  });
}
