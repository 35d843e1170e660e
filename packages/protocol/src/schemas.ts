import { z } from 'zod';
import { TICKET_STATUSES } from '@luot/domain';

/**
 * Wire shapes of api-v1 (../shared/api-v1.md). Request schemas are strict and bounded: anyone on
 * the center's Wi-Fi can send anything, so every string has a maximum length and unknown keys are
 * refused.
 */
export const Id = z.number().int().positive().max(2 ** 31);
export const TicketId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a ticket id');
// NFC first: a decomposed "Đức" (as some keyboards type it) has combining marks, which are not \p{L}.
export const Username = z.string().trim().normalize('NFC').min(1).max(64).regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, . _ - only');
export const Password = z.string().min(1).max(256);
export const Role = z.enum(['admin', 'officer', 'kiosk', 'display']);
export type Role = z.infer<typeof Role>;
export const UserRole = z.enum(['admin', 'officer']);
export const DeviceKind = z.enum(['kiosk', 'display']);
export const TicketStatus = z.enum(TICKET_STATUSES);

export const LocalizedName = z.object({ vi: z.string().min(1).max(120), en: z.string().min(1).max(120) });
export type LocalizedName = z.infer<typeof LocalizedName>;

// ---- requests ----
export const LoginBody = z.strictObject({ username: Username, password: Password });
export const CreateDeviceBody = z.strictObject({ kind: DeviceKind, name: z.string().trim().min(1).max(80) });
export const CreateUserBody = z.strictObject({ username: Username, password: z.string().min(4).max(256), role: UserRole });
/**
 * A citizen's check-in with the QR of their ID card (issue 16, docs/privacy.md): the four fields
 * the kiosk sends (packages/domain cccd.ts toCccdCheckIn), never the raw scan or the address.
 * Bounded here; the server checks them again with the domain's rules (validateCccdCheckIn) and
 * answers a bad one with the refusal's code only, never the values.
 */
export const CccdCheckInBody = z.strictObject({
  idNumber: z.string().max(16),
  fullName: z.string().max(200),
  /** yyyy-mm-dd */
  dateOfBirth: z.string().max(10),
  sex: z.enum(['male', 'female']),
});
export type CccdCheckInBody = z.infer<typeof CccdCheckInBody>;
export const IssueTicketBody = z.strictObject({ serviceId: Id, priority: z.boolean().optional(), checkIn: CccdCheckInBody.optional() });
/**
 * What a counter page believes is current at the counter when it acts: the ticket it is serving,
 * or null for none. The server refuses the action with 409 STALE_REQUEST when that no longer holds
 * (a second press, another open tab, a retried request), so no action is ever applied twice or to
 * the wrong ticket. Optional for scripts and old clients; every page sends it.
 */
export const ExpectTicket = z.object({ expectTicketId: TicketId.nullable().optional() });
export const CounterActionBody = z.strictObject({ expectTicketId: TicketId.nullable().optional() });
export const TransferBody = z.strictObject({ serviceId: Id, expectTicketId: TicketId.nullable().optional() });
export const CallTicketBody = z.strictObject({ ticketId: TicketId, expectTicketId: TicketId.nullable().optional() });
export const CancelTicketBody = z.strictObject({ reason: z.enum(['not_printed', 'by_staff', 'by_citizen']).optional() });
/**
 * A numeric id in a path, in plain decimal digits only: "1", never "01", "1e0", "0x1", " 1" or
 * "1.0" (which Number() would all read as 1), so that one counter has one address.
 */
export const IdParam = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'a positive whole number in plain digits')
    .transform(Number)
    .pipe(Id),
});
export const TicketIdParam = z.strictObject({ id: TicketId });
/** POST /tickets/:id/print-failed: the kiosk's printer code (paper_end, offline...), for the log. */
export const PrintFailedBody = z.strictObject({ code: z.string().max(64).optional() });
/** POST /alerts: a device reports trouble (active) or that it is over (not active). */
export const AlertBody = z.strictObject({
  code: z.string().min(1).max(64),
  message: z.string().max(300),
  messageVi: z.string().max(300),
  active: z.boolean(),
});
/** The `Idempotency-Key` header of POST /tickets: one per tap, the same on every retry of it. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

// ---- responses ----
export const Service = z.object({
  id: Id,
  code: z.string(),
  name: LocalizedName,
  prefix: z.string(),
  open: z.boolean(),
  waiting: z.number().int().nonnegative(),
  estimatedWaitMinutes: z.number().int().nonnegative(),
  /** Added: the center's target wait, for amber/red on the dashboard. */
  targetWaitMinutes: z.number().int().optional(),
  /** Added: false when an admin turned the service off (kept in events so screens drop it). */
  active: z.boolean().optional(),
});
export type Service = z.infer<typeof Service>;

export const Ticket = z.object({
  id: TicketId,
  number: z.string(),
  serviceId: Id,
  priority: z.boolean(),
  status: TicketStatus,
  issuedAt: z.string(),
  calledAt: z.string().optional(),
  completedAt: z.string().optional(),
  counterId: Id.optional(),
  ahead: z.number().int().nonnegative().optional(),
  estimatedWaitMinutes: z.number().int().nonnegative().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const CounterState = z.enum(['closed', 'open', 'paused']);
export type CounterState = z.infer<typeof CounterState>;

export const Counter = z.object({
  id: Id,
  number: z.number().int(),
  name: z.string(),
  serviceIds: z.array(Id),
  state: CounterState,
  /** Added: false for a counter an admin retired. */
  active: z.boolean().optional(),
  officer: z.object({ id: Id, username: z.string() }).optional(),
  currentTicket: Ticket.optional(),
});
export type Counter = z.infer<typeof Counter>;

export const CounterRef = z.object({ id: Id, number: z.number().int(), name: z.string() });
export type CounterRef = z.infer<typeof CounterRef>;

/** One call shown on the waiting-room TV: numbers only, never a person. */
export const Call = z.object({
  ticketId: TicketId,
  number: z.string(),
  serviceId: Id,
  counter: CounterRef,
  calledAt: z.string(),
  recall: z.boolean(),
});
export type Call = z.infer<typeof Call>;

/** What every screen (and every printed ticket) shows of the center, set on the admin pages. */
export const CenterInfo = z.object({
  name: z.string(),
  tickerText: z.string(),
  ticketFooter: z.string().optional(),
  timeZone: z.string().optional(),
  /** The TV drops an announcement that would start later than this after its call (default 10 s). */
  announceMaxLagSeconds: z.number().int().min(3).max(120).optional(),
  /** The TV reads each call twice (default false). */
  announceRepeat: z.boolean().optional(),
  /**
   * Added (issue 16): whether the kiosk takes ID-card check-ins, and the figures its privacy
   * notice states. Settings only, never a person.
   */
  checkIn: z
    .object({
      enabled: z.boolean(),
      /** Age from which a checked-in citizen gets a priority ticket (the server decides). */
      priorityAge: z.number().int(),
      /** Days a name is kept after its business day (0: until the end of the day). */
      nameDays: z.number().int(),
      /** Days the keyed hash of an ID number is kept. */
      visitorDays: z.number().int(),
    })
    .optional(),
});
export type CenterInfo = z.infer<typeof CenterInfo>;

export const Snapshot = z.object({
  seq: z.number().int().nonnegative(),
  businessDay: z.string(),
  /** Added: the center's name and the TV's news line. */
  center: CenterInfo.optional(),
  services: z.array(Service),
  counters: z.array(Counter),
  waiting: z.array(Ticket),
  recentCalls: z.array(Call),
  /**
   * Added (issue 14): set in the snapshot of a screen facing the public (TV, rating tablet,
   * kiosk), whose `waiting` is then empty: those screens show the per-service counts of
   * `services`, not the list, and applyQueueEvent keeps their list empty.
   */
  waitingOmitted: z.literal(true).optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const User = z.object({ id: Id, username: z.string(), role: Role });
export type User = z.infer<typeof User>;
export const LoginResult = z.object({ token: z.string(), user: User });
export type LoginResult = z.infer<typeof LoginResult>;
export const Device = z.object({ id: Id, kind: DeviceKind, name: z.string(), token: z.string() });
export type Device = z.infer<typeof Device>;

export const PublicTicket = z.object({
  id: TicketId,
  number: z.string(),
  serviceId: Id,
  status: TicketStatus,
  ahead: z.number().int().nonnegative(),
  counterNumber: z.number().int().optional(),
  estimatedWaitMinutes: z.number().int().nonnegative().optional(),
  /** Added to api-v1: the number last called in this ticket's service today, for the phone page. */
  nowServing: z.string().optional(),
  /** Added: how many times it was called (a recall adds one), so the phone buzzes again. */
  calls: z.number().int().nonnegative().optional(),
  /** Added: the service name, so the phone page needs no second request. */
  serviceName: LocalizedName.optional(),
});
export type PublicTicket = z.infer<typeof PublicTicket>;

/**
 * Staff only (GET /counters/:id/citizen): the checked-in citizen of the ticket a counter is
 * serving, for the officer of that counter or an admin. Never in an event, a snapshot or any
 * socket message; gone with the name at the end of the business day.
 */
export const CitizenView = z.object({
  ticketId: TicketId,
  number: z.string(),
  fullName: z.string(),
  yearOfBirth: z.number().int(),
  sex: z.enum(['male', 'female']),
  /** Tickets this citizen took for the same service in the last `visitDays` days, this one included. */
  visits: z.number().int().positive(),
  visitDays: z.number().int().positive(),
});
export type CitizenView = z.infer<typeof CitizenView>;
/** The answer of GET /counters/:id/citizen: null when nobody checked in for the ticket (or none is served). */
export const CounterCitizen = z.object({ citizen: CitizenView.nullable() });
export type CounterCitizen = z.infer<typeof CounterCitizen>;

/** GET /health. */
export interface Health {
  status: 'ok';
  version: string;
}
/** What the counter actions on a citizen answer: the ticket acted on (call-next: null when none waits). */
export interface TicketResult {
  ticket: Ticket;
}
export interface CallNextResult {
  ticket: Ticket | null;
}
/** POST /tickets/:id/print-failed: the ticket, cancelled unless the center keeps unprinted tickets (`kept`). */
export interface PrintFailedResult {
  ticket: Ticket;
  kept: boolean;
}
/** POST /devices/:id/revoke. */
export interface DeviceRevoked {
  id: number;
  revoked: true;
}
/** POST /users/:id/revoke-sessions: how many live tokens ended. */
export interface SessionsRevoked {
  id: number;
  revoked: number;
}

export type IssueTicketBody = z.infer<typeof IssueTicketBody>;
export type TransferBody = z.infer<typeof TransferBody>;
export type CallTicketBody = z.infer<typeof CallTicketBody>;
export type CounterActionBody = z.infer<typeof CounterActionBody>;
export type LoginBody = z.infer<typeof LoginBody>;
