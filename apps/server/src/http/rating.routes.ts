import {
  DossierCodeBody,
  IdParam,
  PhoneRatingBody,
  PhoneReasonBody,
  RatingAnswerBody,
  RatingBody,
  RatingReasonBody,
  TicketIdParam,
  type DissatisfiedRating,
  type PhoneRatingState,
  type RatingForm,
  type RatingRecorded,
  type TicketDossier,
} from '@luot/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { createRatings } from '../queue/ratings.js';
import { parseInput } from '../validate.js';
import { requireRole } from './guard.js';

/** Set on the instance once the routes are there: see `ratingRoutes`. */
const REGISTERED = 'luotRatingRoutes';

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
 *
 * Registered once per server whoever calls it first (report.routes.ts calls it too, so the routes
 * are live before server.ts lists this module). The legacy POST /ratings is taken over only once
 * nothing else declares it: until queue.ts `rate` and its route in admin-config.routes.ts are
 * removed, that route answers it, with the same rules.
 */
export function ratingRoutes(app: FastifyInstance, ctx: AppContext) {
  if (app.hasDecorator(REGISTERED)) return;
  app.decorate(REGISTERED, true);
  const ratings = createRatings({ db: ctx.db, repos: ctx.repos, clock: ctx.clock, alerts: ctx.alerts });

  // ---- the tablet at the counter ----
  app.get('/ratings/form', async (req): Promise<RatingForm> => {
    requireRole(req, 'display', 'admin');
    return ratings.form();
  });
  app.post('/ratings/answer', async (req, reply) => {
    const actor = requireRole(req, 'display', 'admin');
    const body = parseInput(RatingAnswerBody, req.body);
    const out: RatingRecorded = ratings.rateAtCounter(actor, body);
    return reply.status(201).send(out);
  });
  app.post('/ratings/reason', async (req): Promise<RatingRecorded> => {
    const actor = requireRole(req, 'display', 'admin');
    const body = parseInput(RatingReasonBody, req.body);
    return ratings.reasonAtCounter(actor, body.ticketId, body.reason);
  });
  if (!app.hasRoute({ method: 'POST', url: `${app.prefix}/ratings` })) {
    app.post('/ratings', async (req, reply) => {
      const actor = requireRole(req, 'display', 'admin');
      const body = parseInput(RatingBody, req.body);
      return reply.status(201).send(ratings.rateLegacy(actor, body.ticketId, body.score));
    });
  }

  // ---- the citizen's phone page: the ticket id is the authority, as for GET /tickets/:id ----
  app.get('/tickets/:id/rating', async (req): Promise<PhoneRatingState> => {
    const { id } = parseInput(TicketIdParam, req.params);
    return ratings.phoneState(id);
  });
  app.post('/tickets/:id/rating', async (req, reply) => {
    const { id } = parseInput(TicketIdParam, req.params);
    const body = parseInput(PhoneRatingBody, req.body);
    const out: RatingRecorded = ratings.rateFromPhone(id, body);
    return reply.status(201).send(out);
  });
  app.post('/tickets/:id/rating/reason', async (req): Promise<RatingRecorded> => {
    const { id } = parseInput(TicketIdParam, req.params);
    const body = parseInput(PhoneReasonBody, req.body);
    return ratings.reasonFromPhone(id, body.reason);
  });

  // ---- the dossier code, at the counter ----
  app.get('/tickets/:id/dossier-code', async (req): Promise<TicketDossier> => {
    const actor = requireRole(req, 'officer', 'admin');
    const { id } = parseInput(TicketIdParam, req.params);
    return ratings.dossier(actor, id);
  });
  app.put('/tickets/:id/dossier-code', async (req): Promise<TicketDossier> => {
    const actor = requireRole(req, 'officer', 'admin');
    const { id } = parseInput(TicketIdParam, req.params);
    const body = parseInput(DossierCodeBody, req.body);
    return ratings.setDossierCode(actor, id, body.dossierCode);
  });

  // ---- the director ----
  app.get('/admin/ratings/unseen', async (req): Promise<DissatisfiedRating[]> => {
    requireRole(req, 'admin');
    return ratings.unseenDissatisfied();
  });
  app.post('/admin/ratings/:id/seen', async (req): Promise<DissatisfiedRating> => {
    const actor = requireRole(req, 'admin');
    const { id } = parseInput(IdParam, req.params);
    return ratings.markSeen(actor, id);
  });
}
