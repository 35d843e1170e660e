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
  maxPriorityInRow: z.number().int().min(0).max(10),
  noShowCallBackMinutes: z.number().int().min(0).max(480),
  printFailure: z.enum(['cancel', 'show']),
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
export const CenterSettingsPatch = CenterSettings.partial().strict();

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

/** 4 Rất hài lòng, 3 Hài lòng, 2 Bình thường, 1 Không hài lòng. */
export const RATING_SCORES = [4, 3, 2, 1] as const;
export const RatingBody = z.strictObject({ ticketId: TicketId, score: z.number().int().min(1).max(4) });

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const ReportQuery = z
  .strictObject({ from: Day, to: Day })
  .refine((q) => q.from <= q.to, 'from must not be after to')
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, 'at most 366 days');
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface DurationStats {
  count: number;
  /** Minutes, one decimal; null without data. */
  avg: number | null;
  median: number | null;
  p90: number | null;
}
export interface ReportRow {
  issued: number;
  served: number;
  noShow: number;
  cancelled: number;
  /** Issued but not finished (still waiting or being served). */
  open: number;
  wait: DurationStats;
  service: DurationStats;
  ratings: { count: number; average: number | null };
}
export interface Report {
  from: string;
  to: string;
  timeZone: string;
  totals: ReportRow;
  byService: (ReportRow & { serviceId: number; code: string; name: { vi: string; en: string } })[];
  byCounter: (ReportRow & { counterId: number; number: number; name: string })[];
  byOfficer: (ReportRow & { officerId: number; username: string })[];
  /** Tickets issued per local hour of the day, 0-23. */
  arrivalsByHour: number[];
  satisfaction: { total: number; counts: Record<'4' | '3' | '2' | '1', number>; percent: Record<'4' | '3' | '2' | '1', number> };
}

export interface AuditEntry {
  id: number;
  at: string;
  username: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}
