import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../auth/passwords.js';
import type { SessionEndReason } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { route } from './route.js';

/**
 * The admin pages' API under /api/v1/admin: configuration (each change audited and announced
 * live to kiosks, counters and TVs), users and devices. Admin only. Reports and the audit log
 * are in report.routes.ts.
 */
export function adminConfigRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;
  const views = q.views;
  const iso = (ms: number) => views.iso(ms);

  route(app, ROUTES.settings, () => ctx.repos.settings.center());
  route(app, ROUTES.updateSettings, ({ actor, body }) => q.updateCenter(actor, body));

  route(app, ROUTES.adminServices, () => ctx.repos.services.list().map(views.serviceConfig));
  route(app, ROUTES.createService, ({ actor, body }) => q.saveService(actor, null, body));
  route(app, ROUTES.updateService, ({ actor, params, body }) => q.saveService(actor, params.id, body));

  route(app, ROUTES.adminCounters, () => q.counterConfigs());
  route(app, ROUTES.createCounter, ({ actor, body }) => q.saveCounter(actor, null, body));
  route(app, ROUTES.updateCounter, ({ actor, params, body }) => q.saveCounter(actor, params.id, body));

  route(app, ROUTES.adminUsers, () => ctx.repos.users.list().map((u) => ({ id: u.id, username: u.username, role: u.role, disabled: u.disabled })));
  route(app, ROUTES.updateUser, async ({ actor, params: { id }, body }) => {
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

  route(app, ROUTES.adminDevices, () =>
    ctx.repos.devices.list().map((d) => ({
      id: d.id,
      kind: d.kind,
      name: d.name,
      createdAt: iso(d.createdAt),
      lastSeenAt: d.lastSeenAt === null ? null : iso(d.lastSeenAt),
      revoked: d.revoked,
    })),
  );
}
