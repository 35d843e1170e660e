import { CallTicketBody, IdParam, TransferBody } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../validate.js';
import type { AppContext } from '../context.js';
import { requireRole } from './guard.js';

/** Counter actions: an officer acts on the counter they opened, an admin on any. */
export function counterRoutes(app: FastifyInstance, ctx: AppContext) {
  const q = ctx.queue;

  app.get('/counters', async (req) => {
    requireRole(req, 'admin', 'officer', 'kiosk', 'display');
    return q.counters();
  });

  const simple = {
    open: q.openCounter,
    pause: q.pauseCounter,
    close: q.closeCounter,
    'call-next': q.callNext,
    recall: q.recall,
    complete: q.complete,
    'no-show': q.noShow,
  } as const;

  for (const [action, run] of Object.entries(simple)) {
    app.post(`/counters/:id/${action}`, async (req) => {
      const actor = requireRole(req, 'admin', 'officer');
      const { id } = parseInput(IdParam, req.params);
      return run(actor, id);
    });
  }

  app.post('/counters/:id/transfer', async (req) => {
    const actor = requireRole(req, 'admin', 'officer');
    const { id } = parseInput(IdParam, req.params);
    const body = parseInput(TransferBody, req.body);
    return q.transfer(actor, id, body.serviceId);
  });

  app.post('/counters/:id/call', async (req) => {
    const actor = requireRole(req, 'admin', 'officer');
    const { id } = parseInput(IdParam, req.params);
    const body = parseInput(CallTicketBody, req.body);
    return q.callTicket(actor, id, body.ticketId);
  });
}
