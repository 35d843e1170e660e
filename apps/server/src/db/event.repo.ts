import type { Db } from './open.js';

export interface EventRecord {
  at: number;
  type: string;
  action: string;
  ticketId: string | null;
  counterId: number | null;
  userId: number | null;
  deviceId: number | null;
}

/**
 * The append-only `ticket_events` log; its key is the global seq clients follow. AUTOINCREMENT
 * keeps seq from ever going back, even if rows were removed by a retention job.
 */
export function createEventRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO ticket_events (seq, at, type, action, ticket_id, counter_id, user_id, device_id, payload)
     VALUES (@seq, @at, @type, @action, @ticketId, @counterId, @userId, @deviceId, @payload)`,
  );
  const lastSeqStmt = db.prepare<[], { seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'ticket_events'`);
  const lastSeq = (): number => lastSeqStmt.get()?.seq ?? 0;
  return {
    /** Must run inside the action's transaction: the seq and the change commit together. */
    append<P>(e: EventRecord, payloadFor: (seq: number) => P): P {
      const seq = lastSeq() + 1;
      const payload = payloadFor(seq);
      insert.run({ ...e, seq, payload: JSON.stringify(payload) });
      return payload;
    },
    lastSeq,
  };
}
export type EventRepo = ReturnType<typeof createEventRepo>;
