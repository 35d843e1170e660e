import type { Db } from './open.js';

export function createRatingRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO ratings (ticket_id, counter_id, officer_id, device_id, score, at) VALUES (@ticketId, @counterId, @officerId, @deviceId, @score, @at) ON CONFLICT (ticket_id) DO NOTHING',
  );
  const dropDay = db.prepare('DELETE FROM report_daily WHERE business_day = ?');
  return {
    /** A late rating changes a closed day's sums: drop them, the next report sums the day again. */
    invalidateReportDay: (day: string) => void dropDay.run(day),
    /** false when the ticket was already rated (one rating per ticket). */
    add: (r: { ticketId: string; counterId: number | null; officerId: number | null; deviceId: number | null; score: number; at: number }): boolean =>
      insert.run(r).changes === 1,
  };
}
export type RatingRepo = ReturnType<typeof createRatingRepo>;
