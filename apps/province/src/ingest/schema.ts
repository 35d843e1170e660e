import { z } from 'zod';

/**
 * The ingest batch a center POSTs to /api/v1/ingest (contract: /work/team/province-contract.md;
 * docs/province.md). Strict objects: an unknown field (a name, an ID number) is refused rather
 * than silently stored, so no personal data can slip in by a later change on the center side.
 */
export const MAX_EVENTS = 500;
export const MAX_RATINGS = 500;
export const MAX_BODY_BYTES = 1024 * 1024;

const iso = z.iso.datetime({ offset: true });
const day = z.iso.date();
const id = z.number().int().min(0).max(2 ** 31 - 1);
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const ticketId = z.string().min(1).max(64);
const shortText = (max: number) => z.string().max(max);

export const ticketFactSchema = z.strictObject({
  id: ticketId,
  number: shortText(20).min(1),
  serviceId: id,
  /** Where the ticket was taken (a transfer moves serviceId, never this): "issued" counts here. */
  issueServiceId: id.optional(),
  priority: z.boolean(),
  status: z.enum(['waiting', 'called', 'done', 'no_show', 'cancelled']),
  businessDay: day,
  issuedAt: iso,
  calledAt: iso.nullable(),
  completedAt: iso.nullable(),
  counterId: id.nullable(),
  officerId: id.nullable(),
  transferredFromServiceId: id.nullable().optional(),
});
export type TicketFact = z.infer<typeof ticketFactSchema>;

export const ratingFactSchema = z
  .strictObject({
    ticketId,
    score: z.number().int().min(1).max(5),
    scale: z.union([z.literal(3), z.literal(4), z.literal(5)]),
    satisfied: z.boolean(),
    reason: shortText(500).optional(),
    dossierCode: shortText(60).optional(),
    /** When it was given (center clock). */
    at: iso.optional(),
  })
  .refine((r) => r.score <= r.scale, { path: ['score'], message: 'score must be <= scale' });
export type RatingFact = z.infer<typeof ratingFactSchema>;

export const eventSchema = z.strictObject({
  seq,
  at: iso,
  type: shortText(60).min(1),
  action: shortText(60).min(1),
  /** The event's ticket, also when the center no longer holds the ticket's row (retention). */
  ticketId: ticketId.nullable().optional(),
  ticket: ticketFactSchema.optional(),
  rating: ratingFactSchema.optional(),
});

export const batchSchema = z
  .strictObject({
    centerUid: z.uuid(),
    epoch: z.number().int().min(1).max(1_000_000),
    fromSeq: seq,
    toSeq: seq,
    sentAt: iso,
    events: z.array(eventSchema).max(MAX_EVENTS),
    /**
     * Ratings recorded at the center since its last accepted batch. Ratings are not rows of the
     * center's event log (the rating tablet writes none), so they travel beside the events.
     */
    ratings: z.array(ratingFactSchema).max(MAX_RATINGS).optional(),
    services: z
      .array(z.strictObject({ id, code: shortText(40).min(1), nameVi: shortText(200), nameEn: shortText(200), targetWaitMinutes: z.number().int().min(0).max(24 * 60).nullable() }))
      .max(500),
    counters: z.array(z.strictObject({ id, number: z.number().int(), name: shortText(200) })).max(500),
    now: z.strictObject({
      at: iso,
      businessDay: day,
      timeZone: shortText(64).min(1),
      waiting: z.number().int().min(0),
      openCounters: z.number().int().min(0),
      longestWaitSeconds: z.number().int().min(0).nullable(),
      lastSeq: z.number().int().min(0),
    }),
  })
  .superRefine((b, ctx) => {
    if (b.toSeq < b.fromSeq) ctx.addIssue({ code: 'custom', path: ['toSeq'], message: 'toSeq must be >= fromSeq' });
    let prev = b.fromSeq - 1;
    b.events.forEach((e, i) => {
      if (e.seq <= prev || e.seq > b.toSeq) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'seq'], message: 'events must be in increasing seq order within [fromSeq, toSeq]' });
      }
      prev = Math.max(prev, e.seq);
      if (e.ticket && e.ticketId != null && e.ticket.id !== e.ticketId) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'ticket', 'id'], message: 'ticket.id differs from ticketId' });
      }
      if (e.rating && e.ticket && e.rating.ticketId !== e.ticket.id) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'rating', 'ticketId'], message: 'rating.ticketId differs from ticket.id' });
      }
    });
  });
export type Batch = z.infer<typeof batchSchema>;

/** zod's issues as the API reports them: where, and what is wrong. */
export const issuesOf = (err: z.ZodError) => err.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
