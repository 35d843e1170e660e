import { ROUTES } from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { route } from './route.js';

/**
 * Citizen ratings and the dossier code (issue 15), over queue/ratings.ts:
 *
 * - the rating tablet at a counter (a display device) or an admin: GET /ratings/form, POST
 *   /ratings/answer {ticketId, scale, level}, POST /ratings/reason {ticketId, reason}, and the
 *   legacy POST /ratings {ticketId, score 1-4} of tablet pages from before issue 15;
 * - the citizen's phone page, authorized by the ticket's unguessable id alone: GET, POST
 *   /tickets/:id/rating and POST /tickets/:id/rating/reason;
 * - the officer who served a ticket (or an admin): GET, PUT /tickets/:id/dossier-code;
 * - the director: GET /admin/ratings/unseen, POST /admin/ratings/:id/seen.
 */
export function ratingRoutes(app: FastifyInstance, ctx: AppContext) {
  const ratings = ctx.ratings;

  // ---- the tablet at the counter ----
  route(app, ROUTES.ratingForm, () => ratings.form());
  route(app, ROUTES.rateAnswer, ({ actor, body }) => ratings.rateAtCounter(actor, body));
  route(app, ROUTES.rateReason, ({ actor, body }) => ratings.reasonAtCounter(actor, body.ticketId, body.reason));
  route(app, ROUTES.rateLegacy, ({ actor, body }) => ratings.rateLegacy(actor, body.ticketId, body.score));

  // ---- the citizen's phone page: the ticket id is the authority, as for GET /tickets/:id ----
  route(app, ROUTES.phoneRatingState, ({ params }) => ratings.phoneState(params.id));
  route(app, ROUTES.phoneRate, ({ params, body }) => ratings.rateFromPhone(params.id, body));
  route(app, ROUTES.phoneReason, ({ params, body }) => ratings.reasonFromPhone(params.id, body.reason));

  // ---- the dossier code, at the counter ----
  route(app, ROUTES.dossierCode, ({ actor, params }) => ratings.dossier(actor, params.id));
  route(app, ROUTES.setDossierCode, ({ actor, params, body }) => ratings.setDossierCode(actor, params.id, body.dossierCode));

  // ---- the director ----
  route(app, ROUTES.unseenRatings, () => ratings.unseenDissatisfied());
  route(app, ROUTES.markRatingSeen, ({ actor, params }) => ratings.markSeen(actor, params.id));
}
