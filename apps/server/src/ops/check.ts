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
 *   count of tickets (numbers are never skipped nor repeated), except for ranges a restore
 *   skipped on purpose (numbering_gaps), which count as handed out and hold no ticket;
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
    // Numbers a restore skipped on purpose (schema v6, numbering_gaps); older files have none.
    const hasGaps = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'numbering_gaps'`).get();
    const gaps = hasGaps
      ? `SELECT business_day, service_id, sum(last_seq - first_seq + 1) AS skipped, max(last_seq) AS top FROM numbering_gaps GROUP BY business_day, service_id`
      : `SELECT NULL AS business_day, NULL AS service_id, 0 AS skipped, 0 AS top WHERE 0`;
    const seqs = db
      .prepare<[], { business_day: string; service_id: number; last_seq: number | null; max_seq: number; n: number; skipped: number }>(
        `WITH t AS (SELECT business_day, issue_service_id AS service_id, max(seq) AS max_seq, count(*) AS n FROM tickets GROUP BY business_day, issue_service_id),
              g AS (${gaps})
         SELECT t.business_day, t.service_id, d.last_seq, t.max_seq, t.n, coalesce(g.skipped, 0) AS skipped
           FROM t
           LEFT JOIN day_sequences d ON d.business_day = t.business_day AND d.service_id = t.service_id
           LEFT JOIN g ON g.business_day = t.business_day AND g.service_id = t.service_id
          WHERE d.last_seq IS NULL OR d.last_seq <> max(t.max_seq, coalesce(g.top, 0)) OR t.n + coalesce(g.skipped, 0) <> d.last_seq
          LIMIT 20`,
      )
      .all();
    for (const s of seqs) {
      problems.push(
        `day ${s.business_day} service ${s.service_id}: sequence row ${s.last_seq ?? 'missing'}, highest ticket ${s.max_seq}, ${s.n} ticket(s)` +
          (s.skipped ? `, ${s.skipped} number(s) skipped by a restore` : ''),
      );
    }
    if (hasGaps) {
      const inGap = db
        .prepare<[], { n: number }>(
          `SELECT count(*) AS n FROM tickets t JOIN numbering_gaps g
              ON g.business_day = t.business_day AND g.service_id = t.issue_service_id AND t.seq BETWEEN g.first_seq AND g.last_seq`,
        )
        .get()!.n;
      if (inGap > 0) problems.push(`${inGap} ticket(s) numbered inside a range a restore skipped`);
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`${fk.length} dangling foreign key(s)`);
  }
  return { schemaVersion, integrity, problems, ok: integrity.length === 0 && problems.length === 0 };
}
