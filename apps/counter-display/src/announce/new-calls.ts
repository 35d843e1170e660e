import type { Call, CenterInfo, QueueEvent, Snapshot } from '@luot/protocol';
import type { QueueSettings } from './announcement-queue.js';
import { DEFAULT_QUEUE_SETTINGS } from './announcement-queue.js';
import type { HeardCalls, ServerClock } from './heard-calls.js';

/** What changed the TV's state: a live event, or a (re)synced snapshot. */
export type ChangeCause = { kind: 'snapshot' } | { kind: 'event'; event: QueueEvent };

/** A call for the TV to announce, with when it reached the TV (TV clock, ms). */
export interface HeardCall {
  call: Call;
  heardAt: number;
}

/**
 * The calls a state change brings that the TV has not heard before, oldest first.
 * - A live `ticket:called` is new (the seq reducer already dropped duplicates), heard now; its
 *   server time teaches the TV the clock offset.
 * - A snapshot (connect, reconnect, a seq gap) brings what was called while the TV was not
 *   listening; each is placed on the TV clock by its server time (see ServerClock), never later
 *   than now, so the queue's lag rule drops the ones that are too old to read.
 */
export function newCalls(state: Snapshot, cause: ChangeCause, heard: HeardCalls, clock: ServerClock, now: number): HeardCall[] {
  if (cause.kind === 'event') {
    if (cause.event.type !== 'ticket:called') return [];
    const { ticket, counter, recall } = cause.event.payload;
    // The call's own time (a recall's, which the snapshot lists too); older servers sent only
    // the ticket's, which for a recall is the first call's (HeardCalls copes with that).
    const calledAt = cause.event.payload.calledAt ?? ticket.calledAt ?? '';
    const call: Call = { ticketId: ticket.id, number: ticket.number, serviceId: ticket.serviceId, counter: { id: counter.id, number: counter.number, name: counter.name }, calledAt, recall };
    heard.add(call);
    clock.observe(Date.parse(call.calledAt), now);
    return [{ call, heardAt: now }];
  }
  return heard.takeSnapshot(state.recentCalls).map((call) => {
    const at = Date.parse(call.calledAt);
    return { call, heardAt: Number.isFinite(at) ? Math.min(now, clock.toTv(at)) : now };
  });
}

/** The center's announcement settings, with the defaults when absent (an older server). */
export function queueSettings(center: CenterInfo | undefined): QueueSettings {
  const lag = center?.announceMaxLagSeconds;
  return {
    maxLagMs: typeof lag === 'number' && Number.isFinite(lag) && lag > 0 ? lag * 1000 : DEFAULT_QUEUE_SETTINGS.maxLagMs,
    repeat: center?.announceRepeat === true,
  };
}
