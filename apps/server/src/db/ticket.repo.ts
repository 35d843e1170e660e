import { isFinal, statusesFrom, TICKET_STATUSES, type CancelReason, type QueuedTicket, type TicketAction, type TicketStatus } from '@luot/domain';
import type { Db } from './open.js';

export interface TicketRow {
  id: string;
  businessDay: string;
  serviceId: number;
  number: string;
  priority: boolean;
  status: TicketStatus;
  issuedAt: number;
  /** Joined its current service's queue (issue or transfer), by the wall clock: shown, never used to order. */
  queuedAt: number;
  /** Its place in arrival order (queue-order.ts): what the queue is ordered by. */
  queueSeq: number;
  calledAt: number | null;
  completedAt: number | null;
  noShowAt: number | null;
  cancelReason: string | null;
  counterId: number | null;
  officerId: number | null;
  issuedByDevice: number | null;
  /** Calls and recalls so far. */
  callCount: number;
  rowid: number;
}

/**
 * `status IN (...)` for the states the domain lets `actions` start from (packages/domain
 * ticket.ts): the guarded UPDATEs below take their guard from the one table of allowed changes.
 * The statuses are the domain's own constants, never input, so they are written into the SQL.
 */
function fromStatusesOf(...actions: TicketAction[]): string {
  return `status IN (${statusesFrom(...actions).map((s) => `'${s}'`).join(', ')})`;
}

interface RawTicket {
  rowid: number;
  id: string;
  business_day: string;
  service_id: number;
  number: string;
  priority: number;
  status: TicketStatus;
  issued_at: number;
  queued_at: number;
  queue_seq: number;
  called_at: number | null;
  completed_at: number | null;
  no_show_at: number | null;
  cancel_reason: string | null;
  counter_id: number | null;
  officer_id: number | null;
  issued_by_device: number | null;
  call_count: number;
}

const toRow = (r: RawTicket): TicketRow => ({
  rowid: r.rowid,
  id: r.id,
  businessDay: r.business_day,
  serviceId: r.service_id,
  number: r.number,
  priority: r.priority === 1,
  status: r.status,
  issuedAt: r.issued_at,
  queuedAt: r.queued_at,
  queueSeq: r.queue_seq,
  calledAt: r.called_at,
  completedAt: r.completed_at,
  noShowAt: r.no_show_at,
  cancelReason: r.cancel_reason,
  counterId: r.counter_id,
  officerId: r.officer_id,
  issuedByDevice: r.issued_by_device,
  callCount: r.call_count,
});

const COLS = 'rowid, id, business_day, service_id, number, priority, status, issued_at, queued_at, queue_seq, called_at, completed_at, no_show_at, cancel_reason, counter_id, officer_id, issued_by_device, call_count';

export interface RecentCallRow {
  ticket_id: string;
  counter_id: number;
  at: number;
  recall: number;
  /** NULL in calls recorded before schema 4. */
  service_id: number | null;
  counter_number: number | null;
  counter_name: string | null;
}

/** A waiting ticket as a phone's status needs it (TicketRow's fields of the same names). */
export interface WaitingTicket {
  id: string;
  number: string;
  businessDay: string;
  serviceId: number;
  priority: boolean;
  queueSeq: number;
  callCount: number;
}

export interface NewTicket {
  id: string;
  businessDay: string;
  serviceId: number;
  seq: number;
  number: string;
  priority: boolean;
  issuedAt: number;
  deviceId: number | null;
}

export function createTicketRepo(db: Db) {
  // The day's sequence: one row per (day, service), taken in the issuing transaction.
  const nextSeqStmt = db.prepare<[string, number], { last_seq: number }>(
    `INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES (?, ?, 1)
     ON CONFLICT (business_day, service_id) DO UPDATE SET last_seq = last_seq + 1
     RETURNING last_seq`,
  );
  const lastSeqStmt = db.prepare<[string, number], { last_seq: number }>(
    'SELECT last_seq FROM day_sequences WHERE business_day = ? AND service_id = ?',
  );
  // Arrival order (queue-order.ts): one counter for the whole center, taken in the issuing or
  // transferring transaction, so places are unique and only ever grow, whatever the clock says.
  const nextQueueSeqStmt = db.prepare<[], { last: number }>('UPDATE queue_sequence SET last = last + 1 WHERE id = 1 RETURNING last');
  const nextQueueSeq = (): number => {
    const r = nextQueueSeqStmt.get();
    if (!r) throw new Error('queue_sequence has no row (schema 7)');
    return r.last;
  };
  const insertStmt = db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, queue_seq, issued_by_device)
     VALUES (@id, @businessDay, @serviceId, @serviceId, @seq, @number, @priority, 'waiting', @issuedAt, @issuedAt, @queueSeq, @deviceId)`,
  );
  const byId = db.prepare<[string], RawTicket>(`SELECT ${COLS} FROM tickets WHERE id = ?`);
  const waitingCount = db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting' AND service_id = ?`);
  // The queue order is the domain's (packages/domain/src/queue-order.ts): within a service,
  // priority first, then arrival (queue_seq). These two queries mirror it for speed (index
  // tickets_waiting); queue-order.property.test.ts checks they choose as the domain does.
  // Heads of the queue: the first waiting priority and normal ticket of one service.
  const headStmt = db.prepare<[number, number], { id: string; queue_seq: number }>(
    `SELECT id, queue_seq FROM tickets WHERE status = 'waiting' AND service_id = ? AND priority = ? ORDER BY queue_seq LIMIT 1`,
  );
  // How many wait before a ticket in its service: byQueueOrder(other, ticket) < 0.
  const aheadStmt = db.prepare<{ serviceId: number; priority: number; queueSeq: number }, { n: number }>(
    `SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting' AND service_id = @serviceId AND (
       priority > @priority OR (priority = @priority AND queue_seq < @queueSeq))`,
  );
  // Arrival order across services (byArrival): the snapshot's waiting list.
  const waitingAll = db.prepare<[], RawTicket>(`SELECT ${COLS} FROM tickets WHERE status = 'waiting' ORDER BY queue_seq`);
  // One service's waiting tickets with what a phone's status shows of each (index tickets_waiting):
  // the positions of all of a service's phones from one read (issue 14).
  const waitingInStmt = db.prepare<[number], { id: string; number: string; business_day: string; priority: number; queue_seq: number; call_count: number }>(
    `SELECT id, number, business_day, priority, queue_seq, call_count FROM tickets WHERE status = 'waiting' AND service_id = ?`,
  );
  const recentDurations = db.prepare<[number, number], { d: number }>(
    `SELECT completed_at - called_at AS d FROM tickets WHERE status = 'done' AND service_id = ? ORDER BY completed_at DESC LIMIT ?`,
  );
  // A ticket's own times never run backwards (called >= queued >= issued, a call back >= its
  // no-show, done or no-show >= called): if the wall clock was set back between two steps, the
  // later step is stored at the earlier one's time, so every wait or service time computed from
  // them is 0 or more, never negative. The clock jump itself is logged and audited (clock.ts).
  const setCalled = db.prepare(
    `UPDATE tickets SET status = 'called', counter_id = @counterId, officer_id = @officerId, called_at = MAX(@now, issued_at, queued_at, COALESCE(no_show_at, 0)),
       call_count = call_count + 1
     WHERE id = @id AND ${fromStatusesOf('call', 'call_back')} RETURNING id`,
  );
  const recallStmt = db.prepare(`UPDATE tickets SET call_count = call_count + 1 WHERE id = @id AND ${fromStatusesOf('recall')}`);
  const finishStmt = db.prepare(
    `UPDATE tickets SET status = @status, completed_at = CASE WHEN @status = 'done' THEN MAX(@now, called_at) ELSE completed_at END,
       no_show_at = CASE WHEN @status = 'no_show' THEN MAX(@now, called_at) ELSE no_show_at END
     WHERE id = @id AND ${fromStatusesOf('complete', 'no_show')}`,
  );
  // A transfer joins the end of its new service's queue: a new place in arrival order.
  const requeueStmt = db.prepare(
    `UPDATE tickets SET status = 'waiting', service_id = @serviceId, queued_at = MAX(@now, queued_at, COALESCE(called_at, 0)), queue_seq = @queueSeq,
       counter_id = NULL, officer_id = NULL, called_at = NULL
     WHERE id = @id AND ${fromStatusesOf('transfer')}`,
  );
  const cancelStmt = db.prepare(
    `UPDATE tickets SET status = 'cancelled', cancelled_at = @now, cancel_reason = @reason WHERE id = @id AND ${fromStatusesOf('cancel')}`,
  );
  const staleOpen = db.prepare<[string], RawTicket>(
    `SELECT ${COLS} FROM tickets WHERE business_day < ? AND ${fromStatusesOf('cancel')}`,
  );
  // Today's no-shows still inside the call-back window, newest first (the desk's call-back list).
  const noShowsStmt = db.prepare<[string, number, string, number], RawTicket>(
    `SELECT ${COLS} FROM tickets WHERE business_day = ? AND status = 'no_show' AND no_show_at >= ?
       AND service_id IN (SELECT value FROM json_each(?)) ORDER BY no_show_at DESC, rowid DESC LIMIT ?`,
  );
  // Numbers still in play on a day (not done or cancelled): a service's new numbering rule must not
  // be able to print one of them again.
  const openNumbersStmt = db.prepare<[string], { number: string; service_id: number }>(
    `SELECT number, service_id FROM tickets WHERE business_day = ? AND status IN (${TICKET_STATUSES.filter((s) => !isFinal(s)).map((s) => `'${s}'`).join(', ')})`,
  );
  const markPrintedStmt = db.prepare('INSERT OR IGNORE INTO ticket_prints (ticket_id, printed_at) VALUES (?, ?)');
  const printedAtStmt = db.prepare<[string], { printed_at: number }>('SELECT printed_at FROM ticket_prints WHERE ticket_id = ?');
  const insertCall = db.prepare(
    `INSERT INTO calls (ticket_id, counter_id, at, recall, service_id, counter_number, counter_name)
     VALUES (@ticketId, @counterId, @at, @recall, @serviceId, @counterNumber, @counterName)`,
  );
  const recentCallsStmt = db.prepare<[number, number], RecentCallRow>(
    // Newest first in the order they were made (id), not by their time: a call made after the
    // clock was set back is still the newest, as the TV that heard it last has it.
    'SELECT ticket_id, counter_id, at, recall, service_id, counter_number, counter_name FROM calls WHERE at >= ? ORDER BY id DESC LIMIT ?',
  );

  const lastCalledStmt = db.prepare<[number, string], { number: string }>(
    `SELECT t.number FROM calls c JOIN tickets t ON t.id = c.ticket_id
     WHERE t.service_id = ? AND t.business_day = ? ORDER BY c.id DESC LIMIT 1`,
  );

  return {
    /** The number last called in a service on a business day (what the phone page shows as "now serving"). */
    lastCalledNumber: (serviceId: number, day: string): string | undefined => lastCalledStmt.get(serviceId, day)?.number,
    nextSequence: (day: string, serviceId: number): number => (nextSeqStmt.get(day, serviceId) as { last_seq: number }).last_seq,
    lastSequence: (day: string, serviceId: number): number => lastSeqStmt.get(day, serviceId)?.last_seq ?? 0,
    insert: (t: NewTicket) => void insertStmt.run({ ...t, priority: t.priority ? 1 : 0, queueSeq: nextQueueSeq() }),
    get: (id: string): TicketRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    waitingCount: (serviceId: number): number => waitingCount.get(serviceId)?.n ?? 0,
    /** The domain's queueHeads, by indexed query: the first waiting priority and normal ticket of each service. */
    heads(serviceIds: readonly number[]): QueuedTicket[] {
      const heads: QueuedTicket[] = [];
      for (const serviceId of serviceIds) {
        for (const priority of [1, 0]) {
          const h = headStmt.get(serviceId, priority);
          if (h) heads.push({ ticketId: h.id, serviceId, priority: priority === 1, queueSeq: h.queue_seq });
        }
      }
      return heads;
    },
    /** The domain's aheadCounts for one ticket, by indexed query. */
    ahead: (t: TicketRow): number => aheadStmt.get({ serviceId: t.serviceId, priority: t.priority ? 1 : 0, queueSeq: t.queueSeq })?.n ?? 0,
    allWaiting: (): TicketRow[] => waitingAll.all().map(toRow),
    /** A service's waiting tickets, in no particular order (the domain's aheadCounts orders them). */
    waitingIn: (serviceId: number): WaitingTicket[] =>
      waitingInStmt.all(serviceId).map((r) => ({
        id: r.id,
        number: r.number,
        businessDay: r.business_day,
        serviceId,
        priority: r.priority === 1,
        queueSeq: r.queue_seq,
        callCount: r.call_count,
      })),
    recentServiceSeconds: (serviceId: number, limit: number): number[] =>
      recentDurations.all(serviceId, limit).map((r) => Math.max(0, r.d) / 1000),
    /** Guarded claim: succeeds only if the ticket is still waiting (or a no-show being called back). */
    claim: (id: string, counterId: number, officerId: number | null, now: number): boolean =>
      setCalled.all({ id, counterId, officerId, now }).length === 1,
    recall: (id: string): boolean => recallStmt.run({ id }).changes === 1,
    finish: (id: string, status: 'done' | 'no_show', now: number): boolean => finishStmt.run({ id, status, now }).changes === 1,
    /** Back to waiting in `serviceId`, at the end of its arrival order (a transfer). */
    requeue: (id: string, serviceId: number, now: number): boolean => requeueStmt.run({ id, serviceId, now, queueSeq: nextQueueSeq() }).changes === 1,
    cancel: (id: string, reason: CancelReason, now: number): boolean => cancelStmt.run({ id, reason, now }).changes === 1,
    openFromEarlierDays: (today: string): TicketRow[] => staleOpen.all(today).map(toRow),
    /** The numbers of `day` that are not done or cancelled, with their service. */
    openNumbers: (day: string) => openNumbersStmt.all(day).map((r) => ({ number: r.number, serviceId: r.service_id })),
    /** The server printed this ticket and the printer confirmed it (migration 0012). */
    markPrinted: (id: string, at: number) => void markPrintedStmt.run(id, at),
    /** When the server's print of this ticket was confirmed; null if it never was. */
    printedAt: (id: string): number | null => printedAtStmt.get(id)?.printed_at ?? null,
    /** No-shows of `day` in `serviceIds`, marked at or after `since`, newest first. */
    noShowsSince: (day: string, since: number, serviceIds: readonly number[], limit: number): TicketRow[] =>
      noShowsStmt.all(day, since, JSON.stringify(serviceIds), limit).map(toRow),
    /** One call as announced: the service it was for and the counter as it was named then. */
    recordCall: (c: { ticketId: string; serviceId: number; counter: { id: number; number: number; name: string }; at: number; recall: boolean }) =>
      void insertCall.run({
        ticketId: c.ticketId,
        counterId: c.counter.id,
        at: c.at,
        recall: c.recall ? 1 : 0,
        serviceId: c.serviceId,
        counterNumber: c.counter.number,
        counterName: c.counter.name,
      }),
    recentCalls: (since: number, limit: number) => recentCallsStmt.all(since, limit),
  };
}
export type TicketRepo = ReturnType<typeof createTicketRepo>;
