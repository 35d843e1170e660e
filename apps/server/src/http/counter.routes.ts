import { CallTicketBody, CounterActionBody, IdParam, TransferBody } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../validate.js';
import type { AppContext } from '../context.js';
import type { Actor } from '../queue/actor.js';
import { audienceOf, publicCounter } from '../socket/role-views.js';
import { requireRole } from './guard.js';

/**
 * Counter actions: an officer acts on the counter they opened, an admin on any. The actions on a
 * citizen take an optional body `{ expectTicketId }` (the ticket the page believes the counter is
 * serving, null for none); a stale one is refused with 409 STALE_REQUEST.
 */
export function counterRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;

  app.get('/counters', async (req) => {
    const actor = requireRole(req, 'admin', 'officer', 'kiosk', 'display');
    // A kiosk or TV is told no officer's name (socket/role-views.ts).
    const counters = q.counters();
    return audienceOf(actor) === 'staff' ? counters : counters.map(publicCounter);
  });

  const stateChanges = { open: q.openCounter, pause: q.pauseCounter, close: q.closeCounter } as const;
  for (const [action, run] of Object.entries(stateChanges)) {
    app.post(`/counters/:id/${action}`, async (req) => {
      const actor = requireRole(req, 'admin', 'officer');
      const { id } = parseInput(IdParam, req.params);
      return run(actor, id);
    });
  }

  const ticketActions: Record<string, (actor: Actor, counterId: number, expectTicketId?: string | null) => unknown> = {
    'call-next': q.callNext,
    recall: q.recall,
    complete: q.complete,
    'no-show': q.noShow,
  };
  for (const [action, run] of Object.entries(ticketActions)) {
    app.post(`/counters/:id/${action}`, async (req) => {
      const actor = requireRole(req, 'admin', 'officer');
      const { id } = parseInput(IdParam, req.params);
      // No body at all is allowed (scripts, old clients): no expectation.
      const body = parseInput(CounterActionBody, req.body ?? {});
      return run(actor, id, body.expectTicketId);
    });
  }

  app.post('/counters/:id/transfer', async (req) => {
    const actor = requireRole(req, 'admin', 'officer');
    const { id } = parseInput(IdParam, req.params);
    const body = parseInput(TransferBody, req.body);
    return q.transfer(actor, id, body.serviceId, body.expectTicketId);
  });

  app.post('/counters/:id/call', async (req) => {
    const actor = requireRole(req, 'admin', 'officer');
    const { id } = parseInput(IdParam, req.params);
    const body = parseInput(CallTicketBody, req.body);
    return q.callTicket(actor, id, body.ticketId, body.expectTicketId);
  });
}
