import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { route } from './route.js';

/**
 * The counter's own channel for the checked-in citizen (issue 16, docs/privacy.md): the counter
 * page fetches it over HTTP when its counter calls a ticket, so a name never travels in an event,
 * a snapshot or any socket message. Only the officer holding that counter (403 NOT_YOUR_COUNTER
 * for anyone else, checked by the use case) or an admin; answered with Cache-Control: no-store
 * like every /api answer.
 */
export function citizenRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, ROUTES.counterCitizen, ({ actor, params }) => ctx.queue.citizenAt(actor, params.id));
}
