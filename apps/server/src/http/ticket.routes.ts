import { CancelTicketBody, IssueTicketBody, TicketIdParam } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../validate.js';
import type { AppContext } from '../context.js';
import { requireRole } from './guard.js';

const PrintFailedBody = z.strictObject({ code: z.string().max(64).optional() });
const AlertBody = z.strictObject({
  code: z.string().min(1).max(64),
  message: z.string().max(300),
  messageVi: z.string().max(300),
  active: z.boolean(),
});

export function ticketRoutes(app: FastifyInstance, ctx: AppContext) {
  app.post('/tickets', async (req, reply) => {
    const actor = requireRole(req, 'kiosk', 'admin');
    const body = parseInput(IssueTicketBody, req.body);
    const ticket = ctx.queue.issueTicket(actor, body);
    return reply.status(201).send(ticket);
  });

  /** The kiosk could not print this ticket (see docs/adr/0002-print-confirmation.md). */
  app.post('/tickets/:id/print-failed', async (req) => {
    const actor = requireRole(req, 'kiosk', 'admin');
    const { id } = parseInput(TicketIdParam, req.params);
    const body = parseInput(PrintFailedBody, req.body ?? {});
    req.log.warn({ ticketId: id, code: body.code }, 'ticket not printed');
    return ctx.queue.printFailed(actor, id);
  });

  app.post('/tickets/:id/cancel', async (req) => {
    const actor = requireRole(req, 'admin', 'officer');
    const { id } = parseInput(TicketIdParam, req.params);
    const body = parseInput(CancelTicketBody, req.body ?? {});
    return ctx.queue.cancelTicket(actor, id, body.reason ?? 'by_staff');
  });

  /** A device reports trouble (printer out of paper) or that it is over; staff see it live. */
  app.post('/alerts', async (req) => {
    const actor = requireRole(req, 'kiosk', 'display');
    const body = parseInput(AlertBody, req.body);
    if (actor.kind !== 'device') return { ok: true };
    return ctx.alerts.report({ deviceId: actor.deviceId, deviceName: actor.name, ...body });
  });

  app.get('/alerts', async (req) => {
    requireRole(req, 'admin', 'officer');
    return ctx.alerts.active();
  });
}
