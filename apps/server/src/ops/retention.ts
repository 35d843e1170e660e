import { businessDayNow, businessDayOf, localTime } from '@luot/domain';
import type { Db } from '../db/open.js';
import { createSettingsRepo } from '../db/settings.repo.js';

export interface RetentionOptions {
  /** Tickets whose business day is more than this many days before today are deleted (>= 1). */
  retentionDays: number;
  timeZone: string;
  now: number;
  /** Tickets deleted per transaction: short write transactions, so a kiosk never waits long. */
  batchSize?: number;
  /**
   * The last event seq the province acknowledged (province/shipper.ts readSavedLink), when the
   * center ships to one: tickets with events after it, and such events, are kept until shipped.
   */
  provinceAckSeq?: number | null;
}

export interface RetentionResult {
  /** Tickets with a business day before this one were deleted. */
  cutoffDay: string;
  tickets: number;
  events: number;
  calls: number;
  ratings: number;
  sequences: number;
  /** Checked-in citizens (names) past checkInNameDays, deleted (purgeCheckIns). */
  checkInNames: number;
  /** Keyed-hash visits past returningVisitorDays, deleted (purgeCheckIns). */
  checkInVisits: number;
}

export interface CheckInRetentionOptions {
  now: number;
  timeZone: string;
  /** Names are kept this many days after their business day (0: deleted once it is over). */
  nameDays: number;
  /** Visit hashes are kept this many days. */
  visitorDays: number;
  batchSize?: number;
}

export interface CheckInRetentionResult {
  /** Names of business days before this one were deleted. */
  namesCutoffDay: string;
  /** Visits of business days before this one were deleted. */
  visitsCutoffDay: string;
  names: number;
  visits: number;
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
 * What the center keeps of ID-card check-ins (docs/privacy.md), deleted once past its time: the
 * names (with year of birth, sex and the hash beside them) after checkInNameDays, the visit hashes
 * after returningVisitorDays. The day rollover already deletes the names at midnight; this is the
 * nightly backstop (a server that was off at midnight, a setting made shorter) and the batched
 * deletion of a large backlog of hashes. Today's are never touched. "Today" is the later of the
 * clock's day and the last business day the server reached: a clock set back keeps nothing longer.
 */
export function purgeCheckIns(db: Db, opts: CheckInRetentionOptions): CheckInRetentionResult {
  const settings = createSettingsRepo(db);
  const today = businessDayNow(opts.now, opts.timeZone, settings.get<string>('businessDay')).day;
  const namesCutoffDay = daysBefore(today, Math.max(0, opts.nameDays));
  const visitsCutoffDay = daysBefore(today, Math.max(1, opts.visitorDays));
  const result: CheckInRetentionResult = { namesCutoffDay, visitsCutoffDay, names: 0, visits: 0 };
  // Looked up, not assumed: the job works on any schema the code can open (migration 0010 adds them).
  const has = (t: string) => !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
  if (!has('checkin_citizens')) return result;
  const batch = opts.batchSize ?? 500;
  // secure_delete: a deleted name must not stay readable in the file's free pages.
  db.pragma('secure_delete = ON');
  const names = db.prepare('DELETE FROM checkin_citizens WHERE rowid IN (SELECT rowid FROM checkin_citizens WHERE business_day < ? LIMIT ?)');
  const visits = db.prepare('DELETE FROM checkin_visits WHERE id IN (SELECT id FROM checkin_visits WHERE business_day < ? LIMIT ?)');
  // Short write transactions, as for tickets: a kiosk never waits long behind the job.
  const step = db.transaction((stmt: typeof names, cutoff: string) => stmt.run(cutoff, batch).changes);
  const drain = (stmt: typeof names, cutoff: string): number => {
    let total = 0;
    for (;;) {
      const n = step.immediate(stmt, cutoff);
      total += n;
      if (n < batch) return total;
    }
  };
  result.names = drain(names, namesCutoffDay);
  result.visits = drain(visits, visitsCutoffDay);
  // The write-ahead log still holds the pages as they were before the day's names were deleted
  // (at the rollover or just now): copied into the database and emptied, so the -wal file beside
  // it holds no name either. Skipped quietly if a reader holds it (the next night tries again).
  if (db.pragma('journal_mode', { simple: true }) === 'wal') db.pragma('wal_checkpoint(TRUNCATE)');
  return result;
}

/** purgeCheckIns with the center's own settings, as stored in the database. */
export function purgeCheckInsBySettings(db: Db, now: number, batchSize?: number): CheckInRetentionResult {
  const c = createSettingsRepo(db).center();
  return purgeCheckIns(db, { now, timeZone: c.timeZone, nameDays: c.checkInNameDays, visitorDays: c.returningVisitorDays, ...(batchSize ? { batchSize } : {}) });
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
  const result: RetentionResult = { cutoffDay, tickets: 0, events: 0, calls: 0, ratings: 0, sequences: 0, checkInNames: 0, checkInVisits: 0 };
  // Check-ins first: their periods are days, not years (and a ticket's name goes with it anyway).
  const checkIns = purgeCheckInsBySettings(db, opts.now, batch);
  result.checkInNames = checkIns.names;
  result.checkInVisits = checkIns.visits;

  // With a province link, a ticket whose events the province has not acknowledged yet stays
  // (a center offline for weeks must not lose what it still has to ship).
  const ack = opts.provinceAckSeq ?? null;
  const pick = db.prepare<[string, number | null, number | null, number], { id: string }>(
    `SELECT id FROM tickets
      WHERE business_day < ? AND id NOT IN (SELECT current_ticket_id FROM counters WHERE current_ticket_id IS NOT NULL)
        AND (? IS NULL OR NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.seq > ?))
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
    const ids = pick.all(cutoffDay, ack, ack, batch);
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
    result.events += db
      .prepare('DELETE FROM ticket_events WHERE ticket_id IS NULL AND at < ? AND (? IS NULL OR seq <= ?)')
      .run(startOfDay(cutoffDay, opts.timeZone), ack, ack).changes;
  }).immediate();
  return result;
}
