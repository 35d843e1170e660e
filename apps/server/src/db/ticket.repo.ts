import type { CancelReason, QueueHead, TicketStatus } from '@luot/domain';
import type { Db } from './open.js';

export interface TicketRow {
  id: string;
  businessDay: string;
  serviceId: number;
  number: string;
  priority: boolean;
  status: TicketStatus;
  issuedAt: number;
  queuedAt: number;
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
  calledAt: r.called_at,
  completedAt: r.completed_at,
  noShowAt: r.no_show_at,
  cancelReason: r.cancel_reason,
  counterId: r.counter_id,
  officerId: r.officer_id,
  issuedByDevice: r.issued_by_device,
  callCount: r.call_count,
});

const COLS = 'rowid, id, business_day, service_id, number, priority, status, issued_at, queued_at, called_at, completed_at, no_show_at, cancel_reason, counter_id, officer_id, issued_by_device, call_count';

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
  const insertStmt = db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, issued_by_device)
     VALUES (@id, @businessDay, @serviceId, @serviceId, @seq, @number, @priority, 'waiting', @issuedAt, @issuedAt, @deviceId)`,
  );
  const byId = db.prepare<[string], RawTicket>(`SELECT ${COLS} FROM tickets WHERE id = ?`);
  const waitingCount = db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting' AND service_id = ?`);
  // Heads of the queue: oldest waiting priority and normal ticket of one service (index tickets_waiting).
  const headStmt = db.prepare<[number, number], { id: string; queued_at: number }>(
    `SELECT id, queued_at FROM tickets WHERE status = 'waiting' AND service_id = ? AND priority = ? ORDER BY queued_at, rowid LIMIT 1`,
  );
  const aheadStmt = db.prepare<{ serviceId: number; priority: number; queuedAt: number; rowid: number }, { n: number }>(
    `SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting' AND service_id = @serviceId AND (
       priority > @priority OR (priority = @priority AND (queued_at < @queuedAt OR (queued_at = @queuedAt AND rowid < @rowid))))`,
  );
  const waitingAll = db.prepare<[], RawTicket>(`SELECT ${COLS} FROM tickets WHERE status = 'waiting' ORDER BY queued_at, rowid`);
  const recentDurations = db.prepare<[number, number], { d: number }>(
    `SELECT completed_at - called_at AS d FROM tickets WHERE status = 'done' AND service_id = ? ORDER BY completed_at DESC LIMIT ?`,
  );
  const setCalled = db.prepare(
    `UPDATE tickets SET status = 'called', counter_id = @counterId, officer_id = @officerId, called_at = @now, call_count = call_count + 1
     WHERE id = @id AND status IN ('waiting', 'no_show') RETURNING id`,
  );
  const recallStmt = db.prepare(`UPDATE tickets SET call_count = call_count + 1 WHERE id = @id AND status = 'called'`);
  const finishStmt = db.prepare(
    `UPDATE tickets SET status = @status, completed_at = CASE WHEN @status = 'done' THEN @now ELSE completed_at END,
       no_show_at = CASE WHEN @status = 'no_show' THEN @now ELSE no_show_at END
     WHERE id = @id AND status = 'called'`,
  );
  const requeueStmt = db.prepare(
    `UPDATE tickets SET status = 'waiting', service_id = @serviceId, queued_at = @now, counter_id = NULL, officer_id = NULL, called_at = NULL
     WHERE id = @id AND status IN ('called', 'waiting')`,
  );
  const cancelStmt = db.prepare(
    `UPDATE tickets SET status = 'cancelled', cancelled_at = @now, cancel_reason = @reason WHERE id = @id AND status IN ('waiting', 'called')`,
  );
  const staleOpen = db.prepare<[string], RawTicket>(
    `SELECT ${COLS} FROM tickets WHERE business_day < ? AND status IN ('waiting', 'called')`,
  );
  const insertCall = db.prepare(
    `INSERT INTO calls (ticket_id, counter_id, at, recall, service_id, counter_number, counter_name)
     VALUES (@ticketId, @counterId, @at, @recall, @serviceId, @counterNumber, @counterName)`,
  );
  const recentCallsStmt = db.prepare<[number, number], RecentCallRow>(
    'SELECT ticket_id, counter_id, at, recall, service_id, counter_number, counter_name FROM calls WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?',
  );

  const lastCalledStmt = db.prepare<[number, string], { number: string }>(
    `SELECT t.number FROM calls c JOIN tickets t ON t.id = c.ticket_id
     WHERE t.service_id = ? AND t.business_day = ? ORDER BY c.at DESC, c.id DESC LIMIT 1`,
  );

  return {
    /** The number last called in a service on a business day (what the phone page shows as "now serving"). */
    lastCalledNumber: (serviceId: number, day: string): string | undefined => lastCalledStmt.get(serviceId, day)?.number,
    nextSequence: (day: string, serviceId: number): number => (nextSeqStmt.get(day, serviceId) as { last_seq: number }).last_seq,
    lastSequence: (day: string, serviceId: number): number => lastSeqStmt.get(day, serviceId)?.last_seq ?? 0,
    insert: (t: NewTicket) => void insertStmt.run({ ...t, priority: t.priority ? 1 : 0 }),
    get: (id: string): TicketRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    waitingCount: (serviceId: number): number => waitingCount.get(serviceId)?.n ?? 0,
    heads(serviceIds: readonly number[]): QueueHead[] {
      const heads: QueueHead[] = [];
      for (const serviceId of serviceIds) {
        for (const priority of [1, 0]) {
          const h = headStmt.get(serviceId, priority);
          if (h) heads.push({ ticketId: h.id, serviceId, priority: priority === 1, queuedAt: h.queued_at });
        }
      }
      return heads;
    },
    ahead: (t: TicketRow): number =>
      aheadStmt.get({ serviceId: t.serviceId, priority: t.priority ? 1 : 0, queuedAt: t.queuedAt, rowid: t.rowid })?.n ?? 0,
    allWaiting: (): TicketRow[] => waitingAll.all().map(toRow),
    recentServiceSeconds: (serviceId: number, limit: number): number[] =>
      recentDurations.all(serviceId, limit).map((r) => Math.max(0, r.d) / 1000),
    /** Guarded claim: succeeds only if the ticket is still waiting (or a no-show being called back). */
    claim: (id: string, counterId: number, officerId: number | null, now: number): boolean =>
      setCalled.all({ id, counterId, officerId, now }).length === 1,
    recall: (id: string): boolean => recallStmt.run({ id }).changes === 1,
    finish: (id: string, status: 'done' | 'no_show', now: number): boolean => finishStmt.run({ id, status, now }).changes === 1,
    requeue: (id: string, serviceId: number, now: number): boolean => requeueStmt.run({ id, serviceId, now }).changes === 1,
    cancel: (id: string, reason: CancelReason, now: number): boolean => cancelStmt.run({ id, reason, now }).changes === 1,
    openFromEarlierDays: (today: string): TicketRow[] => staleOpen.all(today).map(toRow),
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
