import { QUEUE_EVENT_TYPES, type QueueEvent } from './events.js';
import type { Call, Service, Snapshot, Ticket } from './schemas.js';

/** How many calls the snapshot and the TV keep. */
export const RECENT_CALLS_LIMIT = 10;

export type ApplyResult = { ok: true; state: Snapshot } | { ok: false; reason: 'gap' | 'stale' };

/**
 * The client side of the seq rule, shared by every screen: apply one event to the last state.
 * An event older than the state is ignored ('stale'); one that skips a number means events were
 * missed ('gap'), and the client must ask for a snapshot with `queue:sync`.
 */
export function applyQueueEvent(state: Snapshot, event: QueueEvent): ApplyResult {
  const seq = event.payload.seq;
  if (seq <= state.seq) return { ok: false, reason: 'stale' };
  if (seq !== state.seq + 1) return { ok: false, reason: 'gap' };
  const next: Snapshot = { ...state, seq };
  switch (event.type) {
    case 'ticket:issued':
      next.waiting = upsertWaiting(state.waiting, event.payload.ticket);
      next.services = mergeServices(state.services, event.payload.services);
      break;
    case 'ticket:called': {
      const { ticket, counter, recall } = event.payload;
      next.waiting = state.waiting.filter((t) => t.id !== ticket.id);
      next.services = mergeServices(state.services, event.payload.services);
      const call: Call = { ticketId: ticket.id, number: ticket.number, serviceId: ticket.serviceId, counter, calledAt: ticket.calledAt ?? '', recall };
      next.recentCalls = [call, ...state.recentCalls].slice(0, RECENT_CALLS_LIMIT);
      next.counters = state.counters.map((c) => (c.id === counter.id ? { ...c, currentTicket: ticket } : c));
      break;
    }
    case 'ticket:updated': {
      const { ticket } = event.payload;
      next.waiting = ticket.status === 'waiting' ? upsertWaiting(state.waiting, ticket) : state.waiting.filter((t) => t.id !== ticket.id);
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
      next.counters = known ? state.counters.map((c) => (c.id === counter.id ? counter : c)) : [...state.counters, counter];
      break;
    }
    case 'service:updated': {
      const { service } = event.payload;
      const others = state.services.filter((s) => s.id !== service.id);
      next.services = service.active === false ? others : state.services.some((s) => s.id === service.id) ? state.services.map((s) => (s.id === service.id ? service : s)) : [...others, service];
      break;
    }
    case 'center:updated':
      next.center = event.payload.center;
      break;
  }
  return { ok: true, state: next };
}

function upsertWaiting(waiting: Ticket[], ticket: Ticket): Ticket[] {
  return [...waiting.filter((t) => t.id !== ticket.id), ticket];
}

function mergeServices(services: Service[], changed: Service[] | undefined): Service[] {
  if (!changed?.length) return services;
  const byId = new Map(changed.map((s) => [s.id, s]));
  return services.map((s) => byId.get(s.id) ?? s);
}

/**
 * Subscribes to every seq-carrying event at once, so no screen forgets one (a forgotten event
 * type would look like a gap on every admin change). Works with any socket.io client socket.
 */
export function onQueueEvents(socket: { on(event: string, listener: (payload: never) => void): unknown }, apply: (event: QueueEvent) => void): void {
  for (const type of QUEUE_EVENT_TYPES) socket.on(type, (payload) => apply({ type, payload } as QueueEvent));
}
