import type { ApplyResult, Call, QueueEvent, Snapshot } from '@luot/protocol';
import { applyQueueEvent } from '@luot/protocol';

/**
 * The shared seq/gap reducer, plus one rule it leaves out: when the ticket a counter is serving
 * ends (done, no-show, transferred back to waiting), that counter no longer serves it. The server
 * may also send `counter:updated`; this keeps screens right if it does not, and is idempotent
 * if it does.
 */
export function reduceQueue(state: Snapshot, event: QueueEvent): ApplyResult {
  const result = applyQueueEvent(state, event);
  if (!result.ok || event.type !== 'ticket:updated') return result;
  const ticket = event.payload.ticket;
  if (ticket.status === 'called') return result;
  const counters = result.state.counters.map((c) => {
    if (c.currentTicket?.id !== ticket.id) return c;
    const { currentTicket: _gone, ...rest } = c;
    return rest;
  });
  return { ok: true, state: { ...result.state, counters } };
}

/** Identifies one call (a recall is a call of its own). */
export function callKey(c: Call): string {
  return `${c.ticketId}|${c.counter.id}|${c.calledAt}|${c.recall ? 'r' : 'c'}`;
}

/**
 * Calls present in a fresh snapshot that the screen never saw, newest last, within `maxAgeMs`
 * of `now`: after a gap the TV still announces a call it missed a moment ago, but a TV that was
 * off for an hour does not read out an hour of old calls.
 */
export function missedCalls(prev: Snapshot | null, next: Snapshot, now: number, maxAgeMs = 60_000): Call[] {
  if (!prev) return [];
  const seen = new Set(prev.recentCalls.map(callKey));
  return next.recentCalls
    .filter((c) => !seen.has(callKey(c)))
    .filter((c) => {
      const t = Date.parse(c.calledAt);
      return Number.isFinite(t) && now - t <= maxAgeMs;
    })
    .reverse();
}
