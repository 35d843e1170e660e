import { IdParam, type CounterCitizen } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { parseInput } from '../validate.js';
import { requireRole } from './guard.js';

/**
 * The counter's own channel for the checked-in citizen (issue 16, docs/privacy.md): the counter
 * page fetches it over HTTP when its counter calls a ticket, so a name never travels in an event,
 * a snapshot or any socket message. Only the officer holding that counter (403 NOT_YOUR_COUNTER
 * for anyone else) or an admin; answered with Cache-Control: no-store like every /api answer.
 */
export function citizenRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/counters/:id/citizen', async (req): Promise<CounterCitizen> => {
    const actor = requireRole(req, 'officer', 'admin');
    const { id } = parseInput(IdParam, req.params);
    return ctx.queue.citizenAt(actor, id);
  });
}
