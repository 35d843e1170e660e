import { businessDayOf, localTime } from '@luot/domain';
import type { Db } from '../db/open.js';

export interface RetentionOptions {
  /** Tickets whose business day is more than this many days before today are deleted (>= 1). */
  retentionDays: number;
  timeZone: string;
  now: number;
  /** Tickets deleted per transaction: short write transactions, so a kiosk never waits long. */
  batchSize?: number;
}

export interface RetentionResult {
  /** Tickets with a business day before this one were deleted. */
  cutoffDay: string;
  tickets: number;
  events: number;
  calls: number;
  ratings: number;
  sequences: number;
}

/** YYYY-MM-DD minus n calendar days. */
export function daysBefore(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - n)).toISOString().slice(0, 10);
}

/** The first instant of a local day (the offset taken at that day's noon; good for any zone without a midnight DST jump). */
function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const noonUtc = Date.UTC(y, m - 1, d, 12);
  return Date.UTC(y, m - 1, d) - localTime(noonUtc, timeZone).offsetMinutes * 60_000;
}

/**
 * Deletes tickets older than the retention period together with their events, calls, ratings and the
 * day's sequence rows. Today (and every day inside the period) is never touched: the cutoff is
 * at least yesterday. A ticket still named as a counter's current ticket is kept. Events with no
 * ticket (counter opened, ...) older than the cutoff go too. The global event seq never goes
 * back (AUTOINCREMENT), so clients that follow it are not confused.
 *
 * Runs in batches of short transactions, each synchronous (never across an await).
 */
export function purgeOldTickets(db: Db, opts: RetentionOptions): RetentionResult {
  if (!Number.isInteger(opts.retentionDays) || opts.retentionDays < 1) throw new Error('retentionDays must be at least 1');
  const today = businessDayOf(opts.now, opts.timeZone);
  const cutoffDay = daysBefore(today, opts.retentionDays);
  const batch = opts.batchSize ?? 500;
  const result: RetentionResult = { cutoffDay, tickets: 0, events: 0, calls: 0, ratings: 0, sequences: 0 };

  const pick = db.prepare<[string, number], { id: string }>(
    `SELECT id FROM tickets
      WHERE business_day < ? AND id NOT IN (SELECT current_ticket_id FROM counters WHERE current_ticket_id IS NOT NULL)
      LIMIT ?`,
  );
  db.exec('CREATE TEMP TABLE IF NOT EXISTS purge_ids (id TEXT PRIMARY KEY)');
  const clear = db.prepare('DELETE FROM temp.purge_ids');
  const add = db.prepare('INSERT INTO temp.purge_ids (id) VALUES (?)');
  const delCalls = db.prepare('DELETE FROM calls WHERE ticket_id IN (SELECT id FROM temp.purge_ids)');
  const delEvents = db.prepare('DELETE FROM ticket_events WHERE ticket_id IN (SELECT id FROM temp.purge_ids)');
  const delTickets = db.prepare('DELETE FROM tickets WHERE id IN (SELECT id FROM temp.purge_ids)');
  // Citizen ratings (schema v2) point at their ticket: they go with it. Looked up, not assumed,
  // so the job works on any schema the code can open.
  const hasRatings = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ratings'`).get();
  const delRatings = hasRatings ? db.prepare('DELETE FROM ratings WHERE ticket_id IN (SELECT id FROM temp.purge_ids)') : null;
  // Numbers a restore skipped (schema v6) are kept exactly as long as their day's sequence row.
  const hasGaps = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'numbering_gaps'`).get();

  const oneBatch = db.transaction((): number => {
    clear.run();
    const ids = pick.all(cutoffDay, batch);
    for (const { id } of ids) add.run(id);
    result.calls += delCalls.run().changes;
    result.ratings += delRatings?.run().changes ?? 0;
    result.events += delEvents.run().changes;
    result.tickets += delTickets.run().changes;
    clear.run();
    return ids.length;
  });
  while (oneBatch.immediate() === batch) {
    /* next batch */
  }

  db.transaction(() => {
    // A day's sequence row goes with the last of its tickets (a kept current ticket keeps it).
    result.sequences += db
      .prepare(
        `DELETE FROM day_sequences WHERE business_day < ?
           AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.business_day = day_sequences.business_day AND t.issue_service_id = day_sequences.service_id)`,
      )
      .run(cutoffDay).changes;
    if (hasGaps) {
      db.prepare(
        `DELETE FROM numbering_gaps WHERE business_day < ?
           AND NOT EXISTS (SELECT 1 FROM day_sequences d WHERE d.business_day = numbering_gaps.business_day AND d.service_id = numbering_gaps.service_id)`,
      ).run(cutoffDay);
    }
    result.events += db.prepare('DELETE FROM ticket_events WHERE ticket_id IS NULL AND at < ?').run(startOfDay(cutoffDay, opts.timeZone)).changes;
  }).immediate();
  return result;
}
