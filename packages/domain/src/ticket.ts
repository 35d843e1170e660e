/** The states a ticket moves through. `called` covers both "being called" and "being served". */
export const TICKET_STATUSES = ['waiting', 'called', 'done', 'no_show', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export type CancelReason = 'day_ended' | 'not_printed' | 'by_staff' | 'by_citizen';

/** The actions that change a ticket, named as an officer or a kiosk would. */
export type TicketAction =
  | 'call' // waiting -> called (call next, or call a chosen ticket)
  | 'recall' // called -> called again (announce once more)
  | 'complete' // called -> done
  | 'no_show' // called -> no_show
  | 'call_back' // no_show -> called, within the center's window
  | 'transfer' // called -> waiting in another service, keeping its number
  | 'cancel'; // waiting -> cancelled

/**
 * From which states each action may start: the one table of allowed changes. The server's guarded
 * UPDATEs build their `WHERE status IN (...)` from it (db/ticket.repo.ts, `statusesFrom`), so the
 * database and the domain cannot disagree; ticket-guards.test.ts checks every pair.
 */
const allowed: Record<TicketAction, readonly TicketStatus[]> = {
  call: ['waiting'],
  recall: ['called'],
  complete: ['called'],
  no_show: ['called'],
  call_back: ['no_show'],
  transfer: ['called', 'waiting'],
  cancel: ['waiting', 'called'],
};

const resulting: Record<TicketAction, TicketStatus> = {
  call: 'called',
  recall: 'called',
  complete: 'done',
  no_show: 'no_show',
  call_back: 'called',
  transfer: 'waiting',
  cancel: 'cancelled',
};

/** The states from which any of `actions` may start, in TICKET_STATUSES order. */
export function statusesFrom(...actions: TicketAction[]): TicketStatus[] {
  return TICKET_STATUSES.filter((s) => actions.some((a) => allowed[a].includes(s)));
}

export type Transition = { ok: true; status: TicketStatus } | { ok: false; reason: 'INVALID_TRANSITION' };

/**
 * The ticket state machine. Done and cancelled are final: a served ticket can never be called
 * again (a trap peers fell into). A no-show can be called back only inside the window the
 * center configured, counted from the moment it was marked no-show.
 */
export function transition(
  from: TicketStatus,
  action: TicketAction,
  opts: { now?: number; noShowAt?: number | null; callBackWindowMs?: number } = {},
): Transition {
  if (!allowed[action].includes(from)) return { ok: false, reason: 'INVALID_TRANSITION' };
  if (action === 'call_back') {
    const { now, noShowAt, callBackWindowMs } = opts;
    if (now === undefined || noShowAt == null || callBackWindowMs === undefined) {
      return { ok: false, reason: 'INVALID_TRANSITION' };
    }
    if (now - noShowAt > callBackWindowMs) return { ok: false, reason: 'INVALID_TRANSITION' };
  }
  return { ok: true, status: resulting[action] };
}

export function isFinal(status: TicketStatus): boolean {
  return status === 'done' || status === 'cancelled';
}
