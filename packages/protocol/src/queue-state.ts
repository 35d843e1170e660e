import type { QueueEvent, TicketCalledEvent } from './events.js';
import type { Call, Counter, Service, Snapshot, Ticket } from './schemas.js';

/** How many calls the snapshot and the TV keep. */
export const RECENT_CALLS_LIMIT = 10;

export type ApplyResult = { ok: true; state: Snapshot } | { ok: false; reason: 'gap' | 'stale' };

/**
 * The client side of the seq rule, shared by every screen: apply one event to the last state.
 * An event older than the state is ignored ('stale'); one that skips a number means events were
 * missed ('gap'), and the client must ask for a snapshot with `queue:sync`.
 *
 * The state it builds equals the snapshot the server would send at the same seq
 * (apps/server/src/queue/queue.ts `buildSnapshot`), field for field, so a resync never shows a
 * screen something new that is not (a TV would read a call out twice): waiting tickets in queue
 * order with `ahead` recounted and no per-ticket estimate, counters by number, and each recent
 * call as it was announced (its own time, a recall's rather than the first call's; the service
 * and the counter's name as they were then). The randomized test in queue-state.test.ts checks
 * this against a model of the server.
 */
export function applyQueueEvent(state: Snapshot, event: QueueEvent): ApplyResult {
  const seq = event.payload.seq;
  if (seq <= state.seq) return { ok: false, reason: 'stale' };
  if (seq !== state.seq + 1) return { ok: false, reason: 'gap' };
  const next: Snapshot = { ...state, seq };
  // A public screen's snapshot has no waiting list (waitingOmitted): its state keeps none.
  const keepsWaiting = state.waitingOmitted !== true;
  switch (event.type) {
    case 'ticket:issued':
      if (keepsWaiting) next.waiting = withPositions(upsertWaiting(state.waiting, event.payload.ticket));
      next.services = mergeServices(state.services, event.payload.services);
      break;
    case 'ticket:called': {
      const { ticket, counter, recall } = event.payload;
      const inWaiting = state.waiting.some((t) => t.id === ticket.id);
      if (inWaiting) next.waiting = withPositions(state.waiting.filter((t) => t.id !== ticket.id));
      next.services = mergeServices(state.services, event.payload.services);
      const call: Call = { ticketId: ticket.id, number: ticket.number, serviceId: ticket.serviceId, counter: { id: counter.id, number: counter.number, name: counter.name }, calledAt: callTime(event.payload), recall };
      next.recentCalls = [call, ...state.recentCalls].slice(0, RECENT_CALLS_LIMIT);
      next.counters = state.counters.map((c) => (c.id === counter.id ? { ...c, currentTicket: ticket } : c));
      break;
    }
    case 'ticket:updated': {
      const { ticket } = event.payload;
      const inWaiting = state.waiting.some((t) => t.id === ticket.id);
      if (ticket.status === 'waiting') {
        if (keepsWaiting) next.waiting = withPositions(upsertWaiting(state.waiting, ticket));
      } else if (inWaiting) next.waiting = withPositions(state.waiting.filter((t) => t.id !== ticket.id));
      next.services = mergeServices(state.services, event.payload.services);
      // A ticket that is no longer being called (done, no-show, transferred, cancelled) frees its
      // counter: the server sends no separate counter:updated for that, to halve the messages.
      if (ticket.status !== 'called' && state.counters.some((c) => c.currentTicket?.id === ticket.id)) {
        next.counters = state.counters.map((c) => {
          if (c.currentTicket?.id !== ticket.id) return c;
          const { currentTicket: _gone, ...rest } = c;
          return rest;
        });
      }
      break;
    }
    case 'counter:updated': {
      const { counter } = event.payload;
      const known = state.counters.some((c) => c.id === counter.id);
      next.counters = byNumber(known ? state.counters.map((c) => (c.id === counter.id ? counter : c)) : [...state.counters, counter]);
      // A counter opening or closing changes its services' wait estimates: the server sends them.
      next.services = mergeServices(state.services, event.payload.services);
      break;
    }
    case 'service:updated': {
      const { service } = event.payload;
      const others = state.services.filter((s) => s.id !== service.id);
      if (service.active === false) next.services = others;
      else if (others.length < state.services.length) next.services = state.services.map((s) => (s.id === service.id ? service : s));
      else {
        // New, or on again: where the snapshot lists it (by sort order then id; the wire has no
        // sort order, so by id).
        const at = others.findIndex((s) => s.id > service.id);
        next.services = at < 0 ? [...others, service] : [...others.slice(0, at), service, ...others.slice(at)];
      }
      break;
    }
    case 'center:updated':
      next.center = event.payload.center;
      break;
  }
  return { ok: true, state: next };
}

/**
 * When this call was made: a recall's own time. The server sends it as the event's `calledAt`
 * (the ticket's `calledAt` stays the first call's, which is what the counter's timer counts
 * from); an older server only has the ticket's.
 */
function callTime(payload: TicketCalledEvent): string {
  return payload.calledAt ?? payload.ticket.calledAt ?? '';
}

/** Arrival order: a ticket issued or transferred in joins the end of the list, as its queue time is the newest. */
function upsertWaiting(waiting: Ticket[], ticket: Ticket): Ticket[] {
  return [...waiting.filter((t) => t.id !== ticket.id), ticket];
}

/**
 * Each waiting ticket's `ahead` as the snapshot counts it: in its service, priority tickets
 * first, then by arrival. Events carry only the new ticket's position, and every call moves all
 * the others. The per-ticket wait estimate is left out, as in the snapshot (the services carry
 * the estimates).
 */
function withPositions(waiting: Ticket[]): Ticket[] {
  const priorityPerService = new Map<number, number>();
  for (const t of waiting) if (t.priority) priorityPerService.set(t.serviceId, (priorityPerService.get(t.serviceId) ?? 0) + 1);
  const seenPriority = new Map<number, number>();
  const seenOther = new Map<number, number>();
  return waiting.map((t) => {
    let ahead: number;
    if (t.priority) {
      ahead = seenPriority.get(t.serviceId) ?? 0;
      seenPriority.set(t.serviceId, ahead + 1);
    } else {
      const before = seenOther.get(t.serviceId) ?? 0;
      ahead = (priorityPerService.get(t.serviceId) ?? 0) + before;
      seenOther.set(t.serviceId, before + 1);
    }
    const { estimatedWaitMinutes: _perTicket, ...rest } = t;
    return t.ahead === ahead && _perTicket === undefined ? t : { ...rest, ahead };
  });
}

function byNumber(counters: Counter[]): Counter[] {
  return [...counters].sort((a, b) => a.number - b.number);
}

function mergeServices(services: Service[], changed: Service[] | undefined): Service[] {
  if (!changed?.length) return services;
  const byId = new Map(changed.map((s) => [s.id, s]));
  return services.map((s) => byId.get(s.id) ?? s);
}
