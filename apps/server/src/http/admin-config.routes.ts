import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { route } from './route.js';

/**
 * The admin pages' API under /api/v1/admin: configuration (each change audited and announced
 * live to kiosks, counters and TVs), users and devices (src/admin/). Admin only. Reports and the audit log
 * are in report.routes.ts.
 */
export function adminConfigRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;

  route(app, ROUTES.settings, () => q.centerSettings());
  route(app, ROUTES.updateSettings, ({ actor, body }) => q.updateCenter(actor, body));

  route(app, ROUTES.adminServices, () => q.serviceConfigs());
  route(app, ROUTES.createService, ({ actor, body }) => q.saveService(actor, null, body));
  route(app, ROUTES.updateService, ({ actor, params, body }) => q.saveService(actor, params.id, body));

  route(app, ROUTES.adminCounters, () => q.counterConfigs());
  route(app, ROUTES.createCounter, ({ actor, body }) => q.saveCounter(actor, null, body));
  route(app, ROUTES.updateCounter, ({ actor, params, body }) => q.saveCounter(actor, params.id, body));

  route(app, ROUTES.adminUsers, () => ctx.users.list());
  route(app, ROUTES.updateUser, ({ actor, params: { id }, body }) => ctx.users.update(actor, id, body));

  route(app, ROUTES.adminDevices, () => ctx.devices.list());
}
