import { z } from 'zod';
import { defineErrors, type ErrorBodyOf } from './errors.js';

/**
 * The province roll-up's wire (docs/province.md, "Ingest"): what a center's shipper POSTs to
 * {province}/api/v1/ingest, what the province answers, and the errors it refuses with. One
 * definition for both sides: the center (apps/server/src/province) builds batches of these types,
 * the province (apps/province/src/ingest) validates them with these schemas.
 *
 * Strict objects: an unknown field (a name, an ID number) is refused rather than silently stored,
 * so no personal data can slip in by a later change on the center side. Tickets carry ids,
 * numbers, services, counters, times and the officer's numeric id only.
 */

/** At most this many events, and this many ratings, in one batch. */
export const PROVINCE_MAX_EVENTS = 500;
export const PROVINCE_MAX_RATINGS = 500;
/** A batch's body is at most 1 MiB. */
export const PROVINCE_MAX_BODY_BYTES = 1024 * 1024;

const iso = z.iso.datetime({ offset: true });
const day = z.iso.date();
const id = z.number().int().min(0).max(2 ** 31 - 1);
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const ticketId = z.string().min(1).max(64);
const shortText = (max: number) => z.string().max(max);

/** A ticket's state after an event (the center reads it when it builds the batch: at or after). */
export const ProvinceTicketFact = z.strictObject({
  id: ticketId,
  number: shortText(20).min(1),
  serviceId: id,
  /** Where the ticket was taken (a transfer moves serviceId, never this): "issued" counts here. */
  issueServiceId: id.optional(),
  priority: z.boolean(),
  status: z.enum(['waiting', 'called', 'done', 'no_show', 'cancelled']),
  businessDay: day,
  issuedAt: iso,
  /** The first call. */
  calledAt: iso.nullable(),
  completedAt: iso.nullable(),
  counterId: id.nullable(),
  /** The officer's numeric user id (pseudonymous): never a name or a username. */
  officerId: id.nullable(),
  transferredFromServiceId: id.nullable().optional(),
});
export type ProvinceTicketFact = z.infer<typeof ProvinceTicketFact>;

export const ProvinceRatingFact = z
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
export type ProvinceRatingFact = z.infer<typeof ProvinceRatingFact>;

/** One row of the center's `ticket_events` log. */
export const ProvinceEvent = z.strictObject({
  seq,
  at: iso,
  type: shortText(60).min(1),
  action: shortText(60).min(1),
  /** The event's ticket, also when the center no longer holds the ticket's row (retention). */
  ticketId: ticketId.nullable().optional(),
  ticket: ProvinceTicketFact.optional(),
  rating: ProvinceRatingFact.optional(),
});
export type ProvinceEvent = z.infer<typeof ProvinceEvent>;

export const ProvinceService = z.strictObject({
  id,
  code: shortText(40).min(1),
  nameVi: shortText(200),
  nameEn: shortText(200),
  targetWaitMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .nullable(),
});
export type ProvinceService = z.infer<typeof ProvinceService>;

export const ProvinceCounter = z.strictObject({ id, number: z.number().int(), name: shortText(200) });
export type ProvinceCounter = z.infer<typeof ProvinceCounter>;

/** The center as it is when the batch is sent: what the province's "now" columns show. */
export const ProvinceNow = z.strictObject({
  at: iso,
  businessDay: day,
  timeZone: shortText(64).min(1),
  waiting: z.number().int().min(0),
  openCounters: z.number().int().min(0),
  longestWaitSeconds: z.number().int().min(0).nullable(),
  lastSeq: z.number().int().min(0),
});
export type ProvinceNow = z.infer<typeof ProvinceNow>;

/** POST /api/v1/ingest: every event row of [fromSeq, toSeq], in seq order. */
export const ProvinceBatch = z
  .strictObject({
    centerUid: z.uuid(),
    epoch: z.number().int().min(1).max(1_000_000),
    fromSeq: seq,
    toSeq: seq,
    sentAt: iso,
    events: z.array(ProvinceEvent).max(PROVINCE_MAX_EVENTS),
    /**
     * Ratings recorded at the center since its last accepted batch. Ratings are not rows of the
     * center's event log (the rating tablet writes none), so they travel beside the events.
     */
    ratings: z.array(ProvinceRatingFact).max(PROVINCE_MAX_RATINGS).optional(),
    services: z.array(ProvinceService).max(500),
    counters: z.array(ProvinceCounter).max(500),
    now: ProvinceNow,
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
export type ProvinceBatch = z.infer<typeof ProvinceBatch>;

/**
 * The province's answer to a batch (200) and to GET /api/v1/ingest/state: the highest seq of
 * this (centerUid, epoch) it holds contiguously from 1. centerUid is null (and epoch and ackSeq
 * 0) while no batch of this key's center was accepted yet.
 */
export const ProvinceStreamState = z.object({
  centerUid: z.string().nullable(),
  epoch: z.number().int().min(0),
  ackSeq: z.number().int().min(0),
});
export type ProvinceStreamState = z.infer<typeof ProvinceStreamState>;

/**
 * The province's error catalogue. Every refusal is `{ error: ProvinceErrorBody }` (the center's
 * error shape, docs/api.md), plus fields a client acts on (SEQ_GAP's ackSeq).
 */
export const PROVINCE_ERRORS = defineErrors({
  UNAUTHORIZED: { status: 401, en: 'Unknown or revoked key.', vi: 'Khóa không hợp lệ hoặc đã bị thu hồi.' },
  FORBIDDEN: { status: 403, en: 'Not allowed.', vi: 'Không có quyền.' },
  INVALID_INPUT: { status: 400, en: 'Invalid input.', vi: 'Dữ liệu không hợp lệ.' },
  NOT_FOUND: { status: 404, en: 'Not found.', vi: 'Không tìm thấy.' },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'Batch too large (at most 500 events and 1 MiB).', vi: 'Lô dữ liệu quá lớn (tối đa 500 sự kiện và 1 MiB).' },
  SEQ_GAP: { status: 409, en: 'Events missing before this batch: resend from ackSeq + 1.', vi: 'Thiếu sự kiện trước lô này: gửi lại từ ackSeq + 1.' },
  CENTER_MISMATCH: {
    status: 409,
    en: 'This key belongs to another center database (centerUid differs); a province admin must re-bind it.',
    vi: 'Khóa này thuộc về cơ sở dữ liệu của trung tâm khác (centerUid khác); quản trị tỉnh cần gắn lại.',
  },
  CENTER_CODE_TAKEN: { status: 409, en: 'A center with this code already exists.', vi: 'Đã có trung tâm với mã này.' },
  ADMIN_NOT_CONFIGURED: {
    status: 503,
    en: 'The province admin API is off: set PROVINCE_ADMIN_TOKEN.',
    vi: 'API quản trị tỉnh chưa bật: đặt PROVINCE_ADMIN_TOKEN.',
  },
  DATABASE_UNAVAILABLE: { status: 503, en: 'The province database is unavailable; try again later.', vi: 'Cơ sở dữ liệu của tỉnh đang không truy cập được; thử lại sau.' },
  INTERNAL: { status: 500, en: 'Internal error.', vi: 'Lỗi hệ thống.' },
});
export type ProvinceErrorCode = keyof typeof PROVINCE_ERRORS;

/** A refusal's `error` object: the common shape, and what some codes add. */
export interface ProvinceErrorBody extends ErrorBodyOf<ProvinceErrorCode> {
  /** SEQ_GAP: resend from ackSeq + 1 (of `epoch`). */
  ackSeq?: number;
  epoch?: number;
  /** INVALID_INPUT: which fields were wrong. */
  issues?: { path: string; message: string }[];
}
