import type { RatingReason, RatingScale, RatingSource } from '@luot/protocol';
import type { Db } from './open.js';

export interface RatingRow {
  id: number;
  ticketId: string;
  counterId: number | null;
  officerId: number | null;
  deviceId: number | null;
  scale: RatingScale;
  score: number;
  reason: RatingReason | null;
  source: RatingSource;
  at: number;
  seenAt: number | null;
}

/** A dissatisfied answer with what the director needs to act on it (dashboard, staff alert). */
export interface DissatisfiedRow {
  id: number;
  at: number;
  businessDay: string;
  ticketNumber: string;
  serviceVi: string | null;
  serviceEn: string | null;
  counterNumber: number | null;
  counterName: string | null;
  officer: string | null;
  scale: RatingScale;
  score: number;
  reason: RatingReason | null;
  dossierCode: string | null;
  source: RatingSource;
}

/** One rating of a range of business days, for the exports' per-rating sheet. */
export interface RatingListRow {
  businessDay: string;
  at: number;
  ticketNumber: string;
  serviceVi: string | null;
  counterNumber: number | null;
  counterName: string | null;
  officer: string | null;
  scale: RatingScale;
  score: number;
  reason: RatingReason | null;
  dossierCode: string | null;
  source: RatingSource;
}

/**
 * "Không hài lòng or below" in SQL: score 1 on 3 or 4 levels, 1 or 2 on 5 (protocol
 * isDissatisfied). Written exactly as in the partial index ratings_unseen (migration 0008), so
 * the dashboard's query reads that index and nothing else.
 */
const DISSATISFIED = 'score <= CASE scale WHEN 5 THEN 2 ELSE 1 END';

export function createRatingRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO ratings (ticket_id, counter_id, officer_id, device_id, scale, score, source, at)
     VALUES (@ticketId, @counterId, @officerId, @deviceId, @scale, @score, @source, @at) ON CONFLICT (ticket_id) DO NOTHING`,
  );
  const byTicket = db.prepare<[string], { id: number; ticket_id: string; counter_id: number | null; officer_id: number | null; device_id: number | null; scale: RatingScale; score: number; reason: RatingReason | null; source: RatingSource; at: number; seen_at: number | null }>(
    'SELECT id, ticket_id, counter_id, officer_id, device_id, scale, score, reason, source, at, seen_at FROM ratings WHERE ticket_id = ?',
  );
  const setReasonStmt = db.prepare('UPDATE ratings SET reason = ?, reason_at = ? WHERE ticket_id = ? AND reason IS NULL');
  const dropDay = db.prepare('DELETE FROM report_daily WHERE business_day = ?');
  const withNames = `
    SELECT r.id, r.at, t.business_day AS businessDay, t.number AS ticketNumber, s.name_vi AS serviceVi, s.name_en AS serviceEn,
           c.number AS counterNumber, c.name AS counterName, u.username AS officer, r.scale, r.score, r.reason,
           t.dossier_code AS dossierCode, r.source
      FROM ratings r JOIN tickets t ON t.id = r.ticket_id
      LEFT JOIN services s ON s.id = t.service_id
      LEFT JOIN counters c ON c.id = r.counter_id
      LEFT JOIN users u ON u.id = r.officer_id`;
  const unseen = db.prepare<[number], DissatisfiedRow>(`${withNames} WHERE r.seen_at IS NULL AND ${DISSATISFIED} ORDER BY r.at DESC LIMIT ?`);
  const unseenCount = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ratings WHERE seen_at IS NULL AND ${DISSATISFIED}`);
  const oneWithNames = db.prepare<[number], DissatisfiedRow>(`${withNames} WHERE r.id = ?`);
  const markSeenStmt = db.prepare(`UPDATE ratings SET seen_at = ?, seen_by = ? WHERE id = ? AND seen_at IS NULL AND ${DISSATISFIED}`);
  const list = db.prepare<[string, string], RatingListRow>(
    `SELECT t.business_day AS businessDay, r.at, t.number AS ticketNumber, s.name_vi AS serviceVi, c.number AS counterNumber, c.name AS counterName,
            u.username AS officer, r.scale, r.score, r.reason, t.dossier_code AS dossierCode, r.source
       FROM tickets t JOIN ratings r ON r.ticket_id = t.id
       LEFT JOIN services s ON s.id = t.service_id
       LEFT JOIN counters c ON c.id = r.counter_id
       LEFT JOIN users u ON u.id = r.officer_id
      WHERE t.business_day BETWEEN ? AND ?
      ORDER BY r.at, r.id`,
  );
  const setDossierStmt = db.prepare('UPDATE tickets SET dossier_code = ?, dossier_at = ? WHERE id = ?');
  const getDossierStmt = db.prepare<[string], { dossier_code: string | null }>('SELECT dossier_code FROM tickets WHERE id = ?');

  return {
    /** A late rating or reason changes a closed day's sums: drop them, the next report sums the day again. */
    invalidateReportDay: (day: string) => void dropDay.run(day),
    /**
     * false when the ticket was already rated (one rating per ticket, from any source). Without a
     * scale the score is on the 4-level scale of before issue 15 (queue.ts `rate` until it goes).
     */
    add: (r: { ticketId: string; counterId: number | null; officerId: number | null; deviceId: number | null; scale?: RatingScale; score: number; source?: RatingSource; at: number }): boolean =>
      insert.run({ ...r, scale: r.scale ?? 4, source: r.source ?? (r.deviceId === null ? 'admin' : 'tablet') }).changes === 1,
    get(ticketId: string): RatingRow | undefined {
      const r = byTicket.get(ticketId);
      if (!r) return undefined;
      return { id: r.id, ticketId: r.ticket_id, counterId: r.counter_id, officerId: r.officer_id, deviceId: r.device_id, scale: r.scale, score: r.score, reason: r.reason, source: r.source, at: r.at, seenAt: r.seen_at };
    },
    /** false when a reason is already there (one tap, once). */
    setReason: (ticketId: string, reason: RatingReason, at: number): boolean => setReasonStmt.run(reason, at, ticketId).changes === 1,
    /** Dissatisfied answers the director has not marked as seen, newest first. */
    unseenDissatisfied: (limit: number): DissatisfiedRow[] => unseen.all(limit),
    unseenDissatisfiedCount: (): number => unseenCount.get()?.n ?? 0,
    dissatisfiedById: (id: number): DissatisfiedRow | undefined => oneWithNames.get(id),
    /** false when there is no such unseen dissatisfied answer. */
    markSeen: (id: number, userId: number | null, at: number): boolean => markSeenStmt.run(at, userId, id).changes === 1,
    /** Every rating of tickets issued on these business days, oldest first (exports). */
    listForDays: (from: string, to: string): RatingListRow[] => list.all(from, to),
    /**
     * The dossier code lives on the ticket (tickets.dossier_code, migration 0008); it is written
     * here because ratings, reports and exports are what read it.
     */
    setDossierCode: (ticketId: string, code: string | null, at: number): void => void setDossierStmt.run(code, code === null ? null : at, ticketId),
    dossierCode: (ticketId: string): string | null => getDossierStmt.get(ticketId)?.dossier_code ?? null,
  };
}
export type RatingRepo = ReturnType<typeof createRatingRepo>;
