/**
 * The queue order, written once. Everything that orders waiting tickets follows this file: the
 * counter's next call (next-ticket.ts), the position a citizen is told ("ahead"), and the
 * snapshot's waiting list. The server's two SQL queries (the heads of each queue, the "ahead"
 * count in apps/server/src/db/ticket.repo.ts) mirror it, and a property test
 * (apps/server/test/queue-order.property.test.ts) compares their choices with this file's on
 * random queues.
 *
 * Arrival is a stored sequence, never the wall clock: the server hands out `queueSeq` from one
 * strictly increasing counter when a ticket is issued and again when it is transferred to another
 * service, in the same transaction. A clock set back an hour therefore cannot put a later ticket
 * in front of an earlier one. A transferred ticket joins the end of its new service's queue
 * (within its class: a priority ticket stays ahead of normal ones), as it did when the order was
 * the transfer time.
 */

/** How a counter treats priority tickets (Decree 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP). */
export type PriorityMode = 'normal' | 'first' | 'only';

/** A waiting ticket as the queue order sees it. */
export interface QueuedTicket {
  ticketId: string;
  serviceId: number;
  /** Elderly, persons with disabilities, pregnant women, people with meritorious services. */
  priority: boolean;
  /** Its place in arrival order: unique, taken when it was issued or transferred in. */
  queueSeq: number;
}

/** Arrival order, across services: the order of the snapshot's waiting list. */
export function byArrival(a: QueuedTicket, b: QueuedTicket): number {
  return a.queueSeq - b.queueSeq;
}

/** The order within one service's queue: priority tickets first, then by arrival. */
export function byQueueOrder(a: QueuedTicket, b: QueuedTicket): number {
  return Number(b.priority) - Number(a.priority) || byArrival(a, b);
}

/**
 * How many tickets wait before each one in its own service's queue: what the citizen is told.
 * It is the queue order, not a promise of the call order, which also depends on the counters
 * (their service order, the priority streak, a priority counter).
 */
export function aheadCounts(waiting: readonly QueuedTicket[]): Map<string, number> {
  const seen = new Map<number, number>();
  const out = new Map<string, number>();
  for (const t of [...waiting].sort(byQueueOrder)) {
    const n = seen.get(t.serviceId) ?? 0;
    out.set(t.ticketId, n);
    seen.set(t.serviceId, n + 1);
  }
  return out;
}

/** The tickets waiting before `ticket` in its service (the rule `aheadCounts` applies to all). */
export function isAhead(other: QueuedTicket, ticket: QueuedTicket): boolean {
  return other.serviceId === ticket.serviceId && other.ticketId !== ticket.ticketId && byQueueOrder(other, ticket) < 0;
}

/**
 * The head of each queue: the first waiting priority ticket and the first normal one of each
 * service (of `serviceIds` if given). The database hands in only these, by indexed query, so a
 * call costs the same however long the day has been.
 */
export function queueHeads(waiting: readonly QueuedTicket[], serviceIds?: readonly number[]): QueuedTicket[] {
  const wanted = serviceIds ? new Set(serviceIds) : null;
  const heads = new Map<string, QueuedTicket>();
  for (const t of waiting) {
    if (wanted && !wanted.has(t.serviceId)) continue;
    const key = `${t.serviceId}:${t.priority ? 1 : 0}`;
    const cur = heads.get(key);
    if (!cur || byArrival(t, cur) < 0) heads.set(key, t);
  }
  return [...heads.values()];
}
