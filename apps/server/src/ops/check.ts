import type { Db } from '../db/open.js';

export interface DatabaseCheck {
  /** PRAGMA user_version */
  schemaVersion: number;
  /** Empty when PRAGMA integrity_check says "ok". */
  integrity: string[];
  /** Broken promises of the queue itself (a ticket without its events, a sequence out of step). */
  problems: string[];
  ok: boolean;
}

/**
 * What "a consistent Luot database" means, beyond SQLite's own integrity check:
 * - every ticket has its events (at least the ticket:issued one, appended in the same transaction);
 * - for every (business day, service) the sequence row equals the highest number issued and the
 *   count of tickets (numbers are never skipped nor repeated);
 * - no dangling foreign key.
 * Used after every backup and before every restore. Reads only.
 */
export function checkDatabase(db: Db): DatabaseCheck {
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  const integrityRows = db.pragma('integrity_check') as { integrity_check: string }[];
  const integrity = integrityRows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  const problems: string[] = [];
  const hasTickets = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tickets'`).get();
  if (schemaVersion < 1 || !hasTickets) {
    problems.push('not a Luot database (no schema version or no tickets table)');
  } else if (integrity.length === 0) {
    const orphans = db
      .prepare<[], { n: number }>(`SELECT count(*) AS n FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id)`)
      .get()!.n;
    if (orphans > 0) problems.push(`${orphans} ticket(s) without any event`);
    const seqs = db
      .prepare<[], { business_day: string; service_id: number; last_seq: number | null; max_seq: number | null; n: number }>(
        `SELECT t.business_day, t.issue_service_id AS service_id, d.last_seq, max(t.seq) AS max_seq, count(*) AS n
           FROM tickets t LEFT JOIN day_sequences d ON d.business_day = t.business_day AND d.service_id = t.issue_service_id
          GROUP BY t.business_day, t.issue_service_id
          HAVING d.last_seq IS NULL OR d.last_seq <> max(t.seq) OR count(*) <> max(t.seq)
          LIMIT 20`,
      )
      .all();
    for (const s of seqs) {
      problems.push(`day ${s.business_day} service ${s.service_id}: sequence row ${s.last_seq ?? 'missing'}, highest ticket ${s.max_seq}, ${s.n} ticket(s)`);
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`${fk.length} dangling foreign key(s)`);
  }
  return { schemaVersion, integrity, problems, ok: integrity.length === 0 && problems.length === 0 };
}
