import { z } from 'zod';
import type { ApiErrorBody } from './errors.js';
import { CenterInfo, Counter, CounterRef, PublicTicket, Service, Snapshot, Ticket } from './schemas.js';

/**
 * The socket.io contract from the server (socket.io's typed events): each event's payload is a
 * zod schema here, and `ServerToClientEvents` is derived from them, so the map a client listens
 * with and the shapes the server builds are one definition. The other direction (the actions a
 * client sends) is derived from the route table: socket-actions.ts.
 *
 * Every queue event carries `seq`, one higher each time: a client that sees a gap, or
 * reconnects, asks for a new snapshot with `queue:sync`.
 */
const Seq = z.number().int().nonnegative();

/**
 * `services` (an addition to api-v1) carries the fresh waiting count and wait estimate of the
 * services the change touched, so kiosks and TVs never refetch after an event.
 */
export const TicketIssuedEvent = z.object({ seq: Seq, ticket: Ticket, services: z.array(Service).optional() });
export type TicketIssuedEvent = z.infer<typeof TicketIssuedEvent>;
/**
 * `calledAt`: the time of this call, a recall's own (the ticket's `calledAt` stays the first
 * call's: the counter's timer counts from it). The snapshot's recentCalls entry for this call has
 * the same time. Always sent by this server; optional only for older servers.
 */
export const TicketCalledEvent = z.object({
  seq: Seq,
  ticket: Ticket,
  counter: CounterRef,
  recall: z.boolean(),
  calledAt: z.string().optional(),
  services: z.array(Service).optional(),
});
export type TicketCalledEvent = z.infer<typeof TicketCalledEvent>;
export const TicketUpdatedEvent = z.object({ seq: Seq, ticket: Ticket, services: z.array(Service).optional() });
export type TicketUpdatedEvent = z.infer<typeof TicketUpdatedEvent>;
/**
 * `services`: fresh figures (waiting, wait estimate) of the services the counter serves or served
 * before the change: opening, pausing, closing or re-assigning a counter moves their estimates.
 */
export const CounterUpdatedEvent = z.object({ seq: Seq, counter: Counter, services: z.array(Service).optional() });
export type CounterUpdatedEvent = z.infer<typeof CounterUpdatedEvent>;
/** Added: an admin changed a service (name, hours, on/off) or the center (name, TV news line). */
export const ServiceUpdatedEvent = z.object({ seq: Seq, service: Service });
export type ServiceUpdatedEvent = z.infer<typeof ServiceUpdatedEvent>;
export const CenterUpdatedEvent = z.object({ seq: Seq, center: CenterInfo });
export type CenterUpdatedEvent = z.infer<typeof CenterUpdatedEvent>;

/**
 * A device reporting trouble (a kiosk's printer out of paper, offline): shown to staff on the
 * counter and admin pages. Not part of the queue state, so it carries no seq.
 */
export const DeviceAlert = z.object({
  /** 0: the server itself (a clock jump, a full disk). */
  deviceId: z.number().int().nonnegative(),
  deviceName: z.string(),
  code: z.string(),
  message: z.string(),
  messageVi: z.string(),
  at: z.string(),
  /** false when the device reports the problem is gone (paper refilled). */
  active: z.boolean(),
});
export type DeviceAlert = z.infer<typeof DeviceAlert>;

/** Every event the server sends, with its payload's schema. */
export const SERVER_EVENTS = {
  'queue:snapshot': Snapshot,
  'ticket:issued': TicketIssuedEvent,
  'ticket:called': TicketCalledEvent,
  'ticket:updated': TicketUpdatedEvent,
  'counter:updated': CounterUpdatedEvent,
  'service:updated': ServiceUpdatedEvent,
  'center:updated': CenterUpdatedEvent,
  /**
   * Only to a citizen's phone, connected with `auth: { ticketId }`: that one ticket's public
   * status, sent on connect and whenever its position, service or state changes.
   */
  'ticket:status': PublicTicket,
  /** Only to admin and officer sockets. */
  'device:alert': DeviceAlert,
} as const;

/** The socket.io map of what the server emits, derived from SERVER_EVENTS. */
export type ServerToClientEvents = { [E in keyof typeof SERVER_EVENTS]: (payload: z.infer<(typeof SERVER_EVENTS)[E]>) => void };

/** A socket action's answer: its data, or the error body an HTTP route would answer. */
export type Ack<T> = (result: { ok: true; data: T } | { ok: false; error: ApiErrorBody }) => void;

/** Any server event that changes state (all but the snapshot). */
export type QueueEvent =
  | { type: 'ticket:issued'; payload: TicketIssuedEvent }
  | { type: 'ticket:called'; payload: TicketCalledEvent }
  | { type: 'ticket:updated'; payload: TicketUpdatedEvent }
  | { type: 'counter:updated'; payload: CounterUpdatedEvent }
  | { type: 'service:updated'; payload: ServiceUpdatedEvent }
  | { type: 'center:updated'; payload: CenterUpdatedEvent };

/** Every seq-carrying event name, for clients that subscribe to them all. */
export const QUEUE_EVENT_TYPES = ['ticket:issued', 'ticket:called', 'ticket:updated', 'counter:updated', 'service:updated', 'center:updated'] as const satisfies readonly QueueEvent['type'][];

