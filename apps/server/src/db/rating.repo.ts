import type { Db } from './open.js';

export function createRatingRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO ratings (ticket_id, counter_id, officer_id, device_id, score, at) VALUES (@ticketId, @counterId, @officerId, @deviceId, @score, @at) ON CONFLICT (ticket_id) DO NOTHING',
  );
  return {
    /** false when the ticket was already rated (one rating per ticket). */
    add: (r: { ticketId: string; counterId: number | null; officerId: number | null; deviceId: number | null; score: number; at: number }): boolean =>
      insert.run(r).changes === 1,
  };
}
export type RatingRepo = ReturnType<typeof createRatingRepo>;
