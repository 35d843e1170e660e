import { PREFIX_PATTERN, parseClock } from '@luot/domain';
import { z } from 'zod';
import { Id, LocalizedName, TicketId, UserRole } from './schemas.js';

/** Admin-only shapes: configuration, users, devices, ratings and reports. */

const Clock = z.string().refine((s) => parseClock(s) !== null, 'HH:MM');
export const OpeningHours = z.strictObject({
  opensAt: Clock,
  closesAt: Clock,
  days: z.array(z.number().int().min(0).max(6)).max(7),
});

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const CenterSettings = z.object({
  centerName: z.string().trim().min(1).max(120),
  timeZone: z.string().max(64).refine(isTimeZone, 'not a time zone'),
  /** Priority calls in a row at a counter while normal tickets wait. */
  maxPriorityInRow: z.number().int().min(0).max(10),
  /** A no-show can be called back for this long. */
  noShowCallBackMinutes: z.number().int().min(0).max(480),
  /** What happens to a ticket the kiosk could not print: cancel it, or keep it and show it on screen. */
  printFailure: z.enum(['cancel', 'show']),
  /** How many recent services the wait estimate looks at. */
  waitSampleSize: z.number().int().min(1).max(200),
  /** The news line on the waiting-room TV. */
  tickerText: z.string().max(500),
  /** The last line printed on every ticket. */
  ticketFooter: z.string().max(200),
  /** The TV drops a call announcement that would start this long after the call (seconds). */
  announceMaxLagSeconds: z.number().int().min(3).max(120),
  /** The TV reads each call twice. */
  announceRepeat: z.boolean(),
  /** Citizens may check in with their ID card's QR at the kiosk (docs/privacy.md). */
  checkInEnabled: z.boolean(),
  /** A checked-in citizen at or above this age gets a priority ticket by itself. */
  priorityAge: z.number().int().min(50).max(100),
  /** Days the name and year of birth are kept after the business day (0: deleted at its end). */
  checkInNameDays: z.number().int().min(0).max(30),
  /** Days the keyed hash of an ID number is kept, for the returning-visitor count. */
  returningVisitorDays: z.number().int().min(1).max(365),
});
export type CenterSettings = z.infer<typeof CenterSettings>;
/**
 * The citizen rating settings (Decision 766/QĐ-TTg measures "tỷ lệ hài lòng"): how many levels the
 * rating tablet and the phone page offer. Stored with the center settings and changed through the
 * same PATCH /admin/settings, but kept out of the `CenterSettings` type so the center form, which
 * lists every key of that type, does not have to show it (the reports tab has its own control).
 */
export const RatingSettings = z.object({
  /** 3 (the default, as provincial rating devices), 4 (Luot before issue 15) or 5 levels. */
  ratingScale: z.union([z.literal(3), z.literal(4), z.literal(5)]),
});
export type RatingSettings = z.infer<typeof RatingSettings>;
export const CenterSettingsPatch = CenterSettings.extend(RatingSettings.shape).partial().strict();

export const ServiceConfig = z.object({
  id: Id,
  code: z.string().regex(/^[a-z0-9-]{1,32}$/, 'lowercase letters, digits and -'),
  name: LocalizedName,
  prefix: z.string().regex(PREFIX_PATTERN, 'up to 3 capital letters or digits'),
  numberWidth: z.number().int().min(2).max(5),
  hours: OpeningHours.nullable(),
  dailyLimit: z.number().int().min(1).max(99999).nullable(),
  defaultServiceMinutes: z.number().int().min(1).max(240),
  targetWaitMinutes: z.number().int().min(1).max(600).nullable(),
  sortOrder: z.number().int().min(0).max(1000),
  active: z.boolean(),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;
export const ServiceCreateBody = ServiceConfig.omit({ id: true }).strict();
export const ServicePatchBody = ServiceConfig.omit({ id: true }).partial().strict();

export const CounterConfig = z.object({
  id: Id,
  number: z.number().int().min(1).max(999),
  name: z.string().trim().min(1).max(60),
  /** In the order the counter serves them. */
  serviceIds: z.array(Id).max(50).refine((a) => new Set(a).size === a.length, 'each service once'),
  active: z.boolean(),
  /**
   * Decree 61/2018 as amended by 107/2021 lets a center keep a counter for the elderly, pregnant
   * women and persons with disabilities: 'first' calls waiting priority tickets before any other,
   * 'only' calls nothing else. Absent means 'normal' (priority within the service's own rules).
   */
  priorityMode: z.enum(['normal', 'first', 'only']).optional(),
});
export type CounterConfig = z.infer<typeof CounterConfig>;
export const CounterCreateBody = CounterConfig.omit({ id: true }).strict();
export const CounterPatchBody = CounterConfig.omit({ id: true }).partial().strict();

export const UserInfo = z.object({ id: Id, username: z.string(), role: UserRole, disabled: z.boolean() });
export type UserInfo = z.infer<typeof UserInfo>;
export const UserPatchBody = z.strictObject({
  role: UserRole.optional(),
  password: z.string().min(4).max(256).optional(),
  disabled: z.boolean().optional(),
});

export const DeviceInfo = z.object({
  id: Id,
  kind: z.enum(['kiosk', 'display']),
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revoked: z.boolean(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

// ---- citizen ratings (Decision 766/QĐ-TTg: "tỷ lệ hài lòng") ----

export type RatingScale = RatingSettings['ratingScale'];
export const RatingScale = RatingSettings.shape.ratingScale;
export const RATING_SCALES: readonly RatingScale[] = [3, 4, 5];

/**
 * What a citizen answered, whatever the scale it was asked on. A rating is stored as (scale, score)
 * with score = scale for the best level down to 1 for the worst; its level follows from both.
 */
export const RatingLevel = z.enum(['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied']);
export type RatingLevel = z.infer<typeof RatingLevel>;
export const RATING_LEVELS: readonly RatingLevel[] = RatingLevel.options;

/** The words on the tablet, the phone page and in reports. */
export const RATING_LEVEL_TEXT: Readonly<Record<RatingLevel, { vi: string; en: string }>> = {
  very_satisfied: { vi: 'Rất hài lòng', en: 'Very satisfied' },
  satisfied: { vi: 'Hài lòng', en: 'Satisfied' },
  neutral: { vi: 'Bình thường', en: 'Neutral' },
  dissatisfied: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  very_dissatisfied: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
};

/**
 * The levels each scale offers, best first: 3 as provincial rating devices ask, 4 as Luot asked
 * before issue 15, 5 with both ends split.
 */
const LEVELS_OF: Readonly<Record<RatingScale, readonly RatingLevel[]>> = {
  3: ['very_satisfied', 'satisfied', 'dissatisfied'],
  4: ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied'],
  5: ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied'],
};
export const ratingLevels = (scale: RatingScale): readonly RatingLevel[] => LEVELS_OF[scale];

/** The level of a stored (scale, score); null when the score is not on the scale. */
export function ratingLevelOf(scale: RatingScale, score: number): RatingLevel | null {
  if (!Number.isInteger(score) || score < 1 || score > scale) return null;
  return LEVELS_OF[scale][scale - score] ?? null;
}

/** The score a level is stored as on a scale; null when the scale does not offer it. */
export function ratingScoreOf(scale: RatingScale, level: RatingLevel): number | null {
  const i = LEVELS_OF[scale].indexOf(level);
  return i < 0 ? null : scale - i;
}

/** "Satisfied" as Decision 766 counts it: the two top levels, Rất hài lòng and Hài lòng. */
export const isSatisfied = (level: RatingLevel): boolean => level === 'very_satisfied' || level === 'satisfied';
/** Không hài lòng and below: the citizen is asked why (one tap) and the director is alerted. */
export const isDissatisfied = (level: RatingLevel): boolean => level === 'dissatisfied' || level === 'very_dissatisfied';

/** Why a citizen was not satisfied, one tap. */
export const RatingReason = z.enum(['attitude', 'waiting_time', 'unclear_guidance', 'other']);
export type RatingReason = z.infer<typeof RatingReason>;
export const RATING_REASONS: readonly RatingReason[] = RatingReason.options;
export const RATING_REASON_TEXT: Readonly<Record<RatingReason, { vi: string; en: string }>> = {
  attitude: { vi: 'Thái độ phục vụ', en: 'Attitude' },
  waiting_time: { vi: 'Thời gian chờ', en: 'Waiting time' },
  unclear_guidance: { vi: 'Hướng dẫn chưa rõ', en: 'Unclear guidance' },
  other: { vi: 'Lý do khác', en: 'Other' },
};

/** Where a rating came from: the tablet at the counter, the citizen's phone page, or an admin. */
export type RatingSource = 'tablet' | 'phone' | 'admin';

/**
 * A tablet that still runs the page from before issue 15 sends a score on the 4-level scale
 * (4 Rất hài lòng, 3 Hài lòng, 2 Bình thường, 1 Không hài lòng): kept, stored on that scale.
 */
export const RatingBody = z.strictObject({ ticketId: TicketId, score: z.number().int().min(1).max(4) });

/** An answer on the scale the citizen was shown (sent with it, so a scale changed meanwhile does not misread it). */
const Answer = { scale: RatingScale, level: RatingLevel };
const onItsScale = (a: { scale: RatingScale; level: RatingLevel }) => ratingScoreOf(a.scale, a.level) !== null;
const NOT_ON_SCALE = { message: 'this level is not on that scale', path: ['level'] };
/** POST /ratings/answer: the tablet (a display device) or an admin. */
export const RatingAnswerBody = z.strictObject({ ticketId: TicketId, ...Answer }).refine(onItsScale, NOT_ON_SCALE);
/** POST /ratings/reason: the one-tap reason after Không hài lòng or below. */
export const RatingReasonBody = z.strictObject({ ticketId: TicketId, reason: RatingReason });
/** POST /tickets/:id/rating: the citizen's phone page; the ticket id in the path is the authority. */
export const PhoneRatingBody = z.strictObject(Answer).refine(onItsScale, NOT_ON_SCALE);
export const PhoneReasonBody = z.strictObject({ reason: RatingReason });

/** What to ask: the center's scale with its levels, best first, and the reasons. */
export interface RatingForm {
  scale: RatingScale;
  levels: { level: RatingLevel; vi: string; en: string; satisfied: boolean; asksReason: boolean }[];
  reasons: { reason: RatingReason; vi: string; en: string }[];
}
export function ratingForm(scale: RatingScale): RatingForm {
  return {
    scale,
    levels: ratingLevels(scale).map((level) => ({ level, ...RATING_LEVEL_TEXT[level], satisfied: isSatisfied(level), asksReason: isDissatisfied(level) })),
    reasons: RATING_REASONS.map((reason) => ({ reason, ...RATING_REASON_TEXT[reason] })),
  };
}

/** The answer to a recorded rating. `asksReason`: show the reasons now (one tap, optional). */
export interface RatingRecorded {
  ticketId: string;
  scale: RatingScale;
  level: RatingLevel;
  satisfied: boolean;
  asksReason: boolean;
  reason: RatingReason | null;
}

/**
 * GET /tickets/:id/rating, for the phone page: `open` (the form, until `closesAt`), `rated` (by
 * the tablet or this phone; `rating` says what), `closed` (the window passed), or `not_served`
 * (not done yet, or ended without being served).
 */
export interface PhoneRatingState {
  ticketId: string;
  state: 'not_served' | 'open' | 'rated' | 'closed';
  form?: RatingForm;
  closesAt?: string;
  rating?: RatingRecorded;
}

/**
 * The dossier code ("mã hồ sơ") an officer attaches to a ticket: typed, or scanned from the
 * receipt's barcode by a scanner that types it and Enter. National one-stop codes look like
 * 000.00.31.H29-241120-0001; letters are kept in capitals so a scan and a typed code agree.
 */
export const DossierCode = z
  .string()
  .trim()
  .toUpperCase()
  .min(1)
  .max(64)
  .regex(/^[A-Z0-9][A-Z0-9._/-]*$/, 'letters, digits and . _ / - only');
export const DossierCodeBody = z.strictObject({ dossierCode: DossierCode.nullable() });
export interface TicketDossier {
  ticketId: string;
  number: string;
  dossierCode: string | null;
}

/** A Không hài lòng (or worse) answer the director has not marked as seen: the dashboard's list. */
export interface DissatisfiedRating {
  id: number;
  at: string;
  businessDay: string;
  ticketNumber: string;
  service: { vi: string; en: string } | null;
  counter: { number: number; name: string } | null;
  officer: string | null;
  scale: RatingScale;
  level: RatingLevel;
  reason: RatingReason | null;
  dossierCode: string | null;
  source: RatingSource;
}

/** Is `ymd` (YYYY-MM-DD) a day of the calendar: not 2026-02-31, 2026-13-01 or 2026-04-00? */
const isCalendarDay = (ymd: string): boolean => {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine(isCalendarDay, 'no such day in the calendar (check the month and the day)');
const bothDays = (q: { from: string; to: string }) => Day.safeParse(q.from).success && Day.safeParse(q.to).success;
export const ReportQuery = z
  .strictObject({ from: Day, to: Day })
  // The range is judged only between real days (an impossible one is reported by its field alone).
  .refine((q) => !bothDays(q) || q.from <= q.to, 'from must not be after to')
  .refine((q) => !bothDays(q) || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, 'at most 366 days');
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface DurationStats {
  count: number;
  /** Minutes, one decimal; null without data. */
  avg: number | null;
  median: number | null;
  p90: number | null;
}
/** Satisfaction as Decision 766 counts it, for one scope. */
export interface SatisfactionFigures {
  /** Every answer, whatever scale it was given on. */
  answers: number;
  /** Rất hài lòng or Hài lòng. */
  satisfied: number;
  /** Không hài lòng or Rất không hài lòng (Bình thường is neither). */
  dissatisfied: number;
  /** "% hài lòng": satisfied / answers x 100, one decimal; null without answers. */
  percent: number | null;
}

/**
 * The share of citizens called within their service's target wait. A wait ends at the (last) call,
 * so it counts every called ticket, served or no-show, the same tickets as the wait figures;
 * services without a target are left out (and named in `Report.withinTarget.excluded`).
 */
export interface WithinTargetFigures {
  called: number;
  within: number;
  /** within / called x 100, one decimal; null when nothing counts. */
  percent: number | null;
}

export interface ReportRow {
  issued: number;
  served: number;
  noShow: number;
  cancelled: number;
  /** Issued but not finished (still waiting or being served). */
  open: number;
  /**
   * Priority tickets among `issued`. null when a day of the range was summed by a Luot before
   * issue 15 and its tickets are gone since (`Report.legacyDays`): the count is not known.
   */
  priority: number | null;
  wait: DurationStats;
  service: DurationStats;
  /**
   * @deprecated Kept for clients written before issue 15: `count` is every answer, `average` the
   * mean score of the answers given on the 4-level scale only (null without such answers). Use
   * `satisfaction`.
   */
  ratings: { count: number; average: number | null };
  satisfaction: SatisfactionFigures;
}

export interface ServiceReportRow extends ReportRow {
  serviceId: number;
  code: string;
  name: { vi: string; en: string };
  /** The service's target wait now (minutes); null: none set, so no within-target figure. */
  targetWaitMinutes: number | null;
  withinTarget: WithinTargetFigures | null;
  /**
   * Transfers, so a row balances: issued + transferredIn - transferredOut = served + noShow +
   * cancelled + open. `transferredOut`: taken for this service, ended in another; `transferredIn`:
   * taken for another, ended here (a ticket passed through a third service on the way counts in
   * neither). null for days summed before issue 15 whose tickets are gone.
   */
  transferredIn: number | null;
  transferredOut: number | null;
}

/** One business day of the range, for the trend chart (every day, zeros included). */
export interface DayReportRow {
  day: string;
  issued: number;
  served: number;
  noShow: number;
  cancelled: number;
  priority: number | null;
  /** Average wait, minutes with one decimal. */
  waitAvg: number | null;
  withinTarget: WithinTargetFigures;
  satisfaction: SatisfactionFigures;
}

export interface Report {
  from: string;
  to: string;
  timeZone: string;
  totals: ReportRow;
  byService: ServiceReportRow[];
  byCounter: (ReportRow & { counterId: number; number: number; name: string })[];
  byOfficer: (ReportRow & { officerId: number; username: string })[];
  byDay: DayReportRow[];
  /** Tickets issued per local hour of the day, 0-23. */
  arrivalsByHour: number[];
  /** Over every service with a target; `excluded`: services with tickets in the range but no target. */
  withinTarget: WithinTargetFigures & { excluded: { serviceId: number; code: string; name: { vi: string; en: string } }[] };
  /**
   * Whether every service row balances (see ServiceReportRow); when not, `note` says why in both
   * languages (days summed before issue 15 carry no transfer counts).
   */
  balance: { balanced: boolean; note: { vi: string; en: string } | null };
  satisfaction: {
    /** Every answer. */
    total: number;
    satisfied: number;
    dissatisfied: number;
    /** "% hài lòng", one decimal; null without answers. */
    percentSatisfied: number | null;
    /** Answers per level, over every scale. */
    levels: Record<RatingLevel, number>;
    /** Each level's share of all answers, one decimal, adding up to 100. */
    levelPercent: Record<RatingLevel, number>;
    /** The reason given after Không hài lòng or below (a citizen may give none). */
    reasons: Record<RatingReason, number>;
    /** Answers per scale they were given on. */
    byScale: Record<'3' | '4' | '5', number>;
    /**
     * @deprecated The 4-level view of before issue 15 (4 Rất hài lòng, 3 Hài lòng, 2 Bình thường,
     * 1 Không hài lòng or worse), for older clients. Use `levels`.
     */
    counts: Record<'4' | '3' | '2' | '1', number>;
    /** @deprecated See `counts`. */
    percent: Record<'4' | '3' | '2' | '1', number>;
  };
  /**
   * Days of the range summed by a Luot before issue 15 whose tickets were deleted since (ticket
   * retention): their priority, transfer and reason counts are unknown, so those figures are null.
   */
  legacyDays: string[];
}

/** One rating as exports list it (the per-rating sheet and CSV section), with its dossier code. */
export interface RatingExportRow {
  businessDay: string;
  at: string;
  ticketNumber: string;
  service: string;
  counter: string;
  officer: string;
  scale: RatingScale;
  level: RatingLevel;
  satisfied: boolean;
  reason: RatingReason | null;
  dossierCode: string | null;
  source: RatingSource;
}

/** Which audit entries to read: configuration changes, or sign-ins (auth.*). */
export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  kind: z.enum(['changes', 'sign-ins']).optional(),
});

export interface AuditEntry {
  id: number;
  at: string;
  username: string | null;
  action: string;
  target: string | null;
  detail: unknown;
  /** The entry as a sentence a director reads ("Sửa lĩnh vực Đất đai"), from the server. */
  summary: { vi: string; en: string };
  /** `detail` as labelled values (a setting's name and its new value), never a password. */
  details: { label: { vi: string; en: string }; value: { vi: string; en: string } }[];
}
