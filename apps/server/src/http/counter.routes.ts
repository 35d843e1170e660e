import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { audienceOf, publicCounter } from '../socket/role-views.js';
import { route } from './route.js';

/**
 * Counter actions: an officer acts on the counter they opened, an admin on any. The actions on a
 * citizen take an optional body `{ expectTicketId }` (the ticket the page believes the counter is
 * serving, null for none); a stale one is refused with 409 STALE_REQUEST. No body at all is
 * allowed (scripts, old clients): no expectation.
 */
export function counterRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;

  route(app, ROUTES.counters, ({ actor }) => {
    // A kiosk or TV is told no officer's name (socket/role-views.ts).
    const counters = q.counters();
    return audienceOf(actor) === 'staff' ? counters : counters.map(publicCounter);
  });

  route(app, ROUTES.openCounter, ({ actor, params }) => q.openCounter(actor, params.id));
  route(app, ROUTES.pauseCounter, ({ actor, params }) => q.pauseCounter(actor, params.id));
  route(app, ROUTES.closeCounter, ({ actor, params }) => q.closeCounter(actor, params.id));

  route(app, ROUTES.callNext, ({ actor, params, body }) => q.callNext(actor, params.id, body.expectTicketId));
  route(app, ROUTES.recall, ({ actor, params, body }) => q.recall(actor, params.id, body.expectTicketId));
  route(app, ROUTES.complete, ({ actor, params, body }) => q.complete(actor, params.id, body.expectTicketId));
  route(app, ROUTES.noShow, ({ actor, params, body }) => q.noShow(actor, params.id, body.expectTicketId));
  route(app, ROUTES.transfer, ({ actor, params, body }) => q.transfer(actor, params.id, body.serviceId, body.expectTicketId));
  route(app, ROUTES.counterNoShows, ({ params }) => q.recentNoShows(params.id));
  route(app, ROUTES.callTicket, ({ actor, params, body }) => q.callTicket(actor, params.id, body.ticketId, body.expectTicketId));
}
