import type { ApiErrorBody } from './errors.js';
import type { Call, CenterInfo, Counter, CounterRef, PublicTicket, Service, Snapshot, Ticket } from './schemas.js';

/**
 * The socket.io contract, one map each way (socket.io's typed events). Every server event
 * carries `seq`, one higher each time: a client that sees a gap, or reconnects, asks for a new
 * snapshot with `queue:sync`.
 */
/**
 * `services` (an addition to api-v1) carries the fresh waiting count and wait estimate of the
 * services the change touched, so kiosks and TVs never refetch after an event.
 */
export interface TicketIssuedEvent { seq: number; ticket: Ticket; services?: Service[] }
/**
 * `calledAt`: the time of this call, a recall's own (the ticket's `calledAt` stays the first
 * call's: the counter's timer counts from it). The snapshot's recentCalls entry for this call has
 * the same time. Always sent by this server; optional only for older servers.
 */
export interface TicketCalledEvent { seq: number; ticket: Ticket; counter: CounterRef; recall: boolean; calledAt?: string; services?: Service[] }
export interface TicketUpdatedEvent { seq: number; ticket: Ticket; services?: Service[] }
/**
 * `services`: fresh figures (waiting, wait estimate) of the services the counter serves or served
 * before the change: opening, pausing, closing or re-assigning a counter moves their estimates.
 */
export interface CounterUpdatedEvent { seq: number; counter: Counter; services?: Service[] }
/** Added: an admin changed a service (name, hours, on/off) or the center (name, TV news line). */
export interface ServiceUpdatedEvent { seq: number; service: Service }
export interface CenterUpdatedEvent { seq: number; center: CenterInfo }

export interface ServerToClientEvents {
  'queue:snapshot': (snapshot: Snapshot) => void;
  'ticket:issued': (e: TicketIssuedEvent) => void;
  'ticket:called': (e: TicketCalledEvent) => void;
  'ticket:updated': (e: TicketUpdatedEvent) => void;
  'counter:updated': (e: CounterUpdatedEvent) => void;
  'service:updated': (e: ServiceUpdatedEvent) => void;
  'center:updated': (e: CenterUpdatedEvent) => void;
  /**
   * Only to a citizen's phone, connected with `auth: { ticketId }`: that one ticket's public
   * status, sent on connect and whenever its position, service or state changes.
   */
  'ticket:status': (t: PublicTicket) => void;
  /** Only to admin and officer sockets. */
  'device:alert': (e: DeviceAlert) => void;
}

export type Ack<T> = (result: { ok: true; data: T } | { ok: false; error: ApiErrorBody }) => void;

/**
 * A counter action on a citizen: `expectTicketId` is the ticket the page believes the counter is
 * serving (null: none). If that no longer holds when the action is applied, the ack is
 * `{ ok: false, error: { code: 'STALE_REQUEST' } }` and nothing changes. Omitted: no check.
 */
export interface CounterActionPayload { counterId: number; expectTicketId?: string | null }

/** Counter actions over the socket: same rules and same answers as the HTTP routes. */
export interface ClientToServerEvents {
  'queue:sync': (ack: Ack<Snapshot>) => void;
  'counter:open': (p: { counterId: number }, ack: Ack<Counter>) => void;
  'counter:pause': (p: { counterId: number }, ack: Ack<Counter>) => void;
  'counter:close': (p: { counterId: number }, ack: Ack<Counter>) => void;
  'counter:call-next': (p: CounterActionPayload, ack: Ack<{ ticket: Ticket | null }>) => void;
  'counter:recall': (p: CounterActionPayload, ack: Ack<{ ticket: Ticket }>) => void;
  'counter:complete': (p: CounterActionPayload, ack: Ack<{ ticket: Ticket }>) => void;
  'counter:no-show': (p: CounterActionPayload, ack: Ack<{ ticket: Ticket }>) => void;
  'counter:transfer': (p: CounterActionPayload & { serviceId: number }, ack: Ack<{ ticket: Ticket }>) => void;
  'counter:call': (p: CounterActionPayload & { ticketId: string }, ack: Ack<{ ticket: Ticket }>) => void;
}

/** Any server event that changes state (all but the snapshot). */
export type QueueEvent =
  | { type: 'ticket:issued'; payload: TicketIssuedEvent }
  | { type: 'ticket:called'; payload: TicketCalledEvent }
  | { type: 'ticket:updated'; payload: TicketUpdatedEvent }
  | { type: 'counter:updated'; payload: CounterUpdatedEvent }
  | { type: 'service:updated'; payload: ServiceUpdatedEvent }
  | { type: 'center:updated'; payload: CenterUpdatedEvent };

/** Every seq-carrying event name, for clients that subscribe to them all. */
export const QUEUE_EVENT_TYPES = ['ticket:issued', 'ticket:called', 'ticket:updated', 'counter:updated', 'service:updated', 'center:updated'] as const;

export type { Call };

/**
 * A device reporting trouble (a kiosk's printer out of paper, offline): shown to staff on the
 * counter and admin pages. Not part of the queue state, so it carries no seq.
 */
export interface DeviceAlert {
  deviceId: number;
  deviceName: string;
  code: string;
  message: string;
  messageVi: string;
  at: string;
  /** false when the device reports the problem is gone (paper refilled). */
  active: boolean;
}
