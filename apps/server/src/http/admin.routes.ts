import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { route } from './route.js';

/** Registering and revoking devices, creating users and signing them out (use cases in src/admin/). Admin only. */
export function adminRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, ROUTES.createDevice, ({ actor, body, req, reply }) => {
    // The device's token is in the answer: no cache may keep it.
    reply.header('cache-control', 'no-store');
    const device = ctx.devices.create(actor, body);
    req.log.info({ deviceId: device.id, kind: device.kind }, 'device registered');
    return device;
  });

  route(app, ROUTES.revokeDevice, ({ actor, params: { id } }) => ctx.devices.revoke(actor, id));

  route(app, ROUTES.createUser, ({ actor, body }) => ctx.users.create(actor, body));

  route(app, ROUTES.revokeSessions, ({ actor, params: { id } }) => ctx.users.revokeSessions(actor, id));
}
