import type { Db } from './open.js';

/** One stored Idempotency-Key: which ticket it gave, and what was asked for. */
export interface IssueKeyRow {
  ticketId: string;
  request: string;
}

/**
 * Idempotency-Keys of ticket requests (table issue_keys, migration 0004). Written in the issuing
 * transaction, so a key exists exactly when its ticket does, across restarts. Keys of taps the
 * kiosk gave up on before any ticket was issued are kept apart (abandoned_issue_keys, migration
 * 0011): a late request with one of them is refused, never issued.
 */
export function createIssueKeyRepo(db: Db) {
  const findStmt = db.prepare<[string, string, string], { ticket_id: string; request: string }>(
    'SELECT ticket_id, request FROM issue_keys WHERE business_day = ? AND actor = ? AND key = ?',
  );
  const insertStmt = db.prepare(
    'INSERT INTO issue_keys (business_day, actor, key, ticket_id, request, created_at) VALUES (@day, @actor, @key, @ticketId, @request, @now)',
  );
  const isAbandonedStmt = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM abandoned_issue_keys WHERE business_day = ? AND actor = ? AND key = ?',
  );
  // OR IGNORE: abandoning the same key twice is the same as once (the first time is kept).
  const abandonStmt = db.prepare('INSERT OR IGNORE INTO abandoned_issue_keys (business_day, actor, key, created_at) VALUES (@day, @actor, @key, @now)');
  const deleteBeforeStmt = db.prepare('DELETE FROM issue_keys WHERE business_day < ?');
  const deleteAbandonedBeforeStmt = db.prepare('DELETE FROM abandoned_issue_keys WHERE business_day < ?');
  return {
    find(day: string, actor: string, key: string): IssueKeyRow | undefined {
      const r = findStmt.get(day, actor, key);
      return r ? { ticketId: r.ticket_id, request: r.request } : undefined;
    },
    insert(row: { day: string; actor: string; key: string; ticketId: string; request: string; now: number }): void {
      insertStmt.run(row);
    },
    /** The kiosk gave up on this key's tap before it got a ticket. */
    isAbandoned: (day: string, actor: string, key: string): boolean => isAbandonedStmt.get(day, actor, key) !== undefined,
    /** Keeps a key as abandoned for the day; a second call changes nothing. */
    abandon(row: { day: string; actor: string; key: string; now: number }): void {
      abandonStmt.run(row);
    },
    /** Keys of earlier business days: a retry never crosses midnight (yesterday's queue is closed). */
    deleteBefore: (day: string): number => deleteBeforeStmt.run(day).changes + deleteAbandonedBeforeStmt.run(day).changes,
  };
}
export type IssueKeyRepo = ReturnType<typeof createIssueKeyRepo>;
