import type { Call, Snapshot } from '@luot/protocol';

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
