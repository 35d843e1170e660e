import { byArrival, queueHeads, type PriorityMode, type QueuedTicket } from './queue-order.js';

/**
 * Who a counter calls next. Priority tickets (elderly, disabled, pregnant, people with
 * meritorious services) go first, but at an ordinary counter never starve the rest: after
 * `maxPriorityInRow` priority calls in a row while normal tickets wait, the next call is a normal
 * one. Within a class, the counter's own service order decides, then arrival (queue-order.ts).
 *
 * A priority counter (Decree 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP lets a center keep one
 * for the elderly, pregnant women and persons with disabilities) changes the first rule:
 * - 'first' calls every waiting priority ticket of its services before any other, with no cap;
 * - 'only' calls priority tickets and nothing else: with none waiting it calls nobody, as with
 *   an empty queue.
 * The streak counts only at 'normal' counters; the others leave it at 0.
 *
 * The database hands in only the head of each queue (queueHeads), so this costs the same however
 * long the day has been.
 */
export type QueueHead = QueuedTicket;

export interface NextTicketInput {
  /** The counter's services, first = served first. */
  serviceOrder: readonly number[];
  heads: readonly QueueHead[];
  /** Priority calls this counter made in a row while normal tickets were waiting. */
  priorityStreak: number;
  /** At most this many priority calls in a row while normal tickets wait; 0 disables priority. */
  maxPriorityInRow: number;
  /** The counter's priority mode; absent means 'normal'. */
  priorityMode?: PriorityMode | undefined;
}

export interface NextTicketChoice {
  head: QueueHead;
  priorityStreak: number;
}

export function chooseNextTicket(input: NextTicketInput): NextTicketChoice | null {
  const rank = new Map(input.serviceOrder.map((id, i) => [id, i] as const));
  const mine = input.heads.filter((h) => rank.has(h.serviceId));
  const byOrder = (a: QueueHead, b: QueueHead) => (rank.get(a.serviceId) ?? 0) - (rank.get(b.serviceId) ?? 0) || byArrival(a, b);
  const priority = mine.filter((h) => h.priority).sort(byOrder);
  const normal = mine.filter((h) => !h.priority).sort(byOrder);
  const firstPriority = priority[0];
  const firstNormal = normal[0];
  const mode = input.priorityMode ?? 'normal';

  if (mode === 'only') return firstPriority ? { head: firstPriority, priorityStreak: 0 } : null;
  if (mode === 'first') {
    const head = firstPriority ?? firstNormal;
    return head ? { head, priorityStreak: 0 } : null;
  }
  if (firstPriority && !firstNormal) return { head: firstPriority, priorityStreak: 0 };
  if (firstPriority && firstNormal && input.priorityStreak < input.maxPriorityInRow) {
    return { head: firstPriority, priorityStreak: input.priorityStreak + 1 };
  }
  if (firstNormal) return { head: firstNormal, priorityStreak: 0 };
  return null;
}

/**
 * The same choice made from every waiting ticket rather than from the heads: what the property
 * tests compare the database's choice with.
 */
export function chooseFromQueue(waiting: readonly QueuedTicket[], counter: Omit<NextTicketInput, 'heads'>): NextTicketChoice | null {
  return chooseNextTicket({ ...counter, heads: queueHeads(waiting, counter.serviceOrder) });
}
