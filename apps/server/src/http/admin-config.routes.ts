import {
  CenterSettingsPatch,
  CounterCreateBody,
  CounterPatchBody,
  IdParam,
  RatingBody,
  ReportQuery,
  ServiceCreateBody,
  ServicePatchBody,
  UserPatchBody,
  type AuditEntry,
  type CounterConfig,
  type DeviceInfo,
  type UserInfo,
} from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { reportCsv, reportXlsx } from '../reports/export.js';
import { parseInput } from '../validate.js';
import { requireRole } from './guard.js';

const AuditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional() });

/**
 * The admin pages' API under /api/v1/admin: configuration (each change audited and announced
 * live to kiosks, counters and TVs), users and devices, the audit log, and reports. Admin only.
 */
export function adminConfigRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;
  const { buildReport } = ctx;
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
    return ctx.repos.counters.list().map((c) => ({ id: c.id, number: c.number, name: c.name, serviceIds: c.serviceIds, active: c.active }));
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

  app.get('/admin/audit', async (req): Promise<AuditEntry[]> => {
    requireRole(req, 'admin');
    const { limit } = parseInput(AuditQuery, req.query);
    return ctx.repos.audit.recent(limit ?? 200).map((a) => ({ id: a.id, at: iso(a.at), username: a.username, action: a.action, target: a.target, detail: a.detail }));
  });

  app.get('/admin/reports', async (req) => {
    requireRole(req, 'admin');
    return buildReport(parseInput(ReportQuery, req.query));
  });
  app.get('/admin/reports.csv', async (req, reply) => {
    requireRole(req, 'admin');
    const query = parseInput(ReportQuery, req.query);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="luot-bao-cao-${query.from}-${query.to}.csv"`)
      .send(reportCsv(buildReport(query)));
  });
  app.get('/admin/reports.xlsx', async (req, reply) => {
    requireRole(req, 'admin');
    const query = parseInput(ReportQuery, req.query);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="luot-bao-cao-${query.from}-${query.to}.xlsx"`)
      .send(await reportXlsx(buildReport(query)));
  });

  /** The counter-facing rating tablet (a display device) or an admin records one tap. */
  app.post('/ratings', async (req, reply) => {
    const actor = requireRole(req, 'display', 'admin');
    const body = parseInput(RatingBody, req.body);
    return reply.status(201).send(q.rate(actor, body.ticketId, body.score));
  });
}
