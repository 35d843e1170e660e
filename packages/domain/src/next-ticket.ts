/**
 * Who a counter calls next. Priority tickets (elderly, disabled, pregnant, people with
 * meritorious services) go first, but never starve the rest: after `maxPriorityInRow` priority
 * calls in a row at a counter while normal tickets wait, the next call is a normal one. Within a
 * class, the counter's own service order decides, then the oldest ticket.
 *
 * The database hands in only the head of each queue (oldest waiting priority and normal ticket per
 * service, by indexed query), so this costs the same however long the day has been.
 */
export interface QueueHead {
  ticketId: string;
  serviceId: number;
  priority: boolean;
  /** When it joined this service's queue (issue time, or transfer time). */
  queuedAt: number;
}

export interface NextTicketInput {
  /** The counter's services, first = served first. */
  serviceOrder: readonly number[];
  heads: readonly QueueHead[];
  /** Priority calls this counter made in a row while normal tickets were waiting. */
  priorityStreak: number;
  /** At most this many priority calls in a row while normal tickets wait; 0 disables priority. */
  maxPriorityInRow: number;
}

export interface NextTicketChoice {
  head: QueueHead;
  priorityStreak: number;
}

export function chooseNextTicket(input: NextTicketInput): NextTicketChoice | null {
  const rank = new Map(input.serviceOrder.map((id, i) => [id, i] as const));
  const mine = input.heads.filter((h) => rank.has(h.serviceId));
  const byOrder = (a: QueueHead, b: QueueHead) =>
    (rank.get(a.serviceId) ?? 0) - (rank.get(b.serviceId) ?? 0) || a.queuedAt - b.queuedAt || (a.ticketId < b.ticketId ? -1 : 1);
  const priority = mine.filter((h) => h.priority).sort(byOrder);
  const normal = mine.filter((h) => !h.priority).sort(byOrder);
  const firstPriority = priority[0];
  const firstNormal = normal[0];

  if (firstPriority && !firstNormal) return { head: firstPriority, priorityStreak: 0 };
  if (firstPriority && firstNormal && input.priorityStreak < input.maxPriorityInRow) {
    return { head: firstPriority, priorityStreak: input.priorityStreak + 1 };
  }
  if (firstNormal) return { head: firstNormal, priorityStreak: 0 };
  return null;
}
