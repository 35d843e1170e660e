import { businessDayOf } from '@luot/domain';
import { PROVINCE_MAX_EVENTS, PROVINCE_MAX_RATINGS, type ProvinceBatch, type ProvinceEvent, type ProvinceNow, type ProvinceRatingFact, type ProvinceTicketFact } from '@luot/protocol';
import type { Db } from '../db/open.js';

/** At most this many events (and ratings) a batch: the province's limit. */
export const MAX_BATCH_EVENTS = PROVINCE_MAX_EVENTS;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

interface EventRow {
  seq: number;
  at: number;
  type: string;
  action: string;
  ticket_id: string | null;
}
interface TicketRow {
  id: string;
  number: string;
  service_id: number;
  issue_service_id: number;
  priority: number;
  status: ProvinceTicketFact['status'];
  business_day: string;
  issued_at: number;
  called_at: number | null;
  completed_at: number | null;
  counter_id: number | null;
  officer_id: number | null;
}
interface RatingRow {
  /** rowid, aliased: SQLite names a rowid alias column (id INTEGER PRIMARY KEY) by its own name. */
  rid: number;
  ticket_id: string;
  score: number;
  at: number;
  scale: number | null;
  satisfied: number | null;
  reason: string | null;
  dossier_code: string | null;
}

/**
 * "Satisfied" when the center's ratings table does not say it: the top answers of the scale
 * (3 levels: Hài lòng and up; 4 levels: Hài lòng and up; 5 levels: the top two).
 */
export const satisfiedByScore = (score: number, scale: number) => score >= (scale === 3 ? 2 : scale === 4 ? 3 : 4);

/**
 * Reads what the shipper sends, with statements prepared once. Every read of one batch runs in
 * one SQLite read transaction, so the events, facts and ratings are one consistent picture.
 *
 * Ticket facts are read from the tickets table when the batch is built, for every ticket an
 * event of the batch names: the ticket's state at or after that event (never before it). The
 * province keeps per ticket the fact of the highest (epoch, seq), and batches are built in seq
 * order, so once the batch holding a ticket's last event is in, the province holds exactly the
 * center's row. A ticket already deleted by retention is shipped without a fact (its events
 * still are).
 */
export function createBatchReader(db: Db) {
  const events = db.prepare<[number, number], EventRow>('SELECT seq, at, type, action, ticket_id FROM ticket_events WHERE seq > ? ORDER BY seq LIMIT ?');
  const lastEvent = db.prepare<[number], EventRow>('SELECT seq, at, type, action, ticket_id FROM ticket_events WHERE seq = ?');
  const tickets = db.prepare<[string], TicketRow>(
    `SELECT id, number, service_id, issue_service_id, priority, status, business_day, issued_at, called_at, completed_at, counter_id, officer_id
       FROM tickets WHERE id IN (SELECT value FROM json_each(?))`,
  );
  // Ratings gained columns over time (scale, satisfied, reason, dossier code): read what this
  // database has, so the shipper works on every schema the server can open.
  const cols = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(ratings)').all().map((c) => c.name));
  const opt = (name: string) => (cols.has(name) ? name : `NULL AS ${name}`);
  const ratings = db.prepare<[number, number], RatingRow>(
    `SELECT rowid AS rid, ticket_id, score, at, ${opt('scale')}, ${opt('satisfied')}, ${opt('reason')}, ${opt('dossier_code')}
       FROM ratings WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const services = db.prepare<[], { id: number; code: string; name_vi: string; name_en: string; target_wait_minutes: number | null }>(
    'SELECT id, code, name_vi, name_en, target_wait_minutes FROM services ORDER BY id',
  );
  const counters = db.prepare<[], { id: number; number: number; name: string }>('SELECT id, number, name FROM counters ORDER BY id');
  const waiting = db.prepare<[], { n: number; first: number | null }>(`SELECT count(*) AS n, min(issued_at) AS first FROM tickets WHERE status = 'waiting'`);
  const openCounters = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM counters WHERE state = 'open' AND active = 1`);
  const lastSeq = db.prepare<[], { seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'ticket_events'`);
  const timeZone = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE key = 'center'`);

  // issueServiceId is optional on the wire only for batches of centers from before it existed:
  // this center always sends it, or the province would count a transferred ticket under its new
  // service (the type makes leaving it out a compile error).
  const fact = (t: TicketRow): ProvinceTicketFact & { issueServiceId: number } => ({
    id: t.id,
    number: t.number,
    serviceId: t.service_id,
    issueServiceId: t.issue_service_id,
    priority: t.priority === 1,
    status: t.status,
    businessDay: t.business_day,
    issuedAt: iso(t.issued_at),
    calledAt: isoOrNull(t.called_at),
    completedAt: isoOrNull(t.completed_at),
    counterId: t.counter_id,
    officerId: t.officer_id,
  });
  const rating = (r: RatingRow): ProvinceRatingFact => {
    const scale = (r.scale === 3 || r.scale === 5 ? r.scale : 4) as 3 | 4 | 5;
    const out: ProvinceRatingFact = { ticketId: r.ticket_id, score: r.score, scale, satisfied: r.satisfied === null ? satisfiedByScore(r.score, scale) : r.satisfied === 1, at: iso(r.at) };
    if (r.reason) out.reason = r.reason;
    if (r.dossier_code) out.dossierCode = r.dossier_code;
    return out;
  };
  const zone = (): string => {
    try {
      const v = JSON.parse(timeZone.get()?.value ?? '{}') as { timeZone?: unknown };
      if (typeof v.timeZone === 'string') return v.timeZone;
    } catch {
      /* default below */
    }
    return 'Asia/Ho_Chi_Minh';
  };

  return {
    lastSeq: (): number => lastSeq.get()?.seq ?? 0,

    /**
     * The next batch after `ackSeq` (at most `maxEvents` events) and the ratings after
     * `ratingCursor`. With no new event, and `heartbeat` set, a batch re-sending the last
     * acknowledged event (a duplicate the province answers with its ackSeq), which carries the
     * center's `now` and any new ratings. null: nothing to send.
     */
    read(o: { centerUid: string; epoch: number; ackSeq: number; ratingCursor: number; maxEvents: number; heartbeat: boolean; now: number }): {
      batch: ProvinceBatch;
      ratingCursor: number;
      /** More is waiting (a full batch of events or of ratings): send again at once. */
      more: boolean;
    } | null {
      return db.transaction(() => {
        let rows = events.all(o.ackSeq, o.maxEvents);
        const newRatings = ratings.all(o.ratingCursor, PROVINCE_MAX_RATINGS);
        let fromSeq = o.ackSeq + 1;
        if (!rows.length) {
          // Nothing new: a heartbeat or new ratings ride on a re-sent last event (a duplicate).
          if (o.ackSeq < 1 || (!o.heartbeat && !newRatings.length)) return null;
          const last = lastEvent.get(o.ackSeq);
          rows = last ? [last] : [];
          fromSeq = o.ackSeq;
        }
        const toSeq = rows.length ? rows[rows.length - 1]!.seq : o.ackSeq;
        const ids = [...new Set(rows.flatMap((r) => (r.ticket_id ? [r.ticket_id] : [])))];
        const facts = new Map(ids.length ? tickets.all(JSON.stringify(ids)).map((t) => [t.id, fact(t)]) : []);
        const wireEvents: ProvinceEvent[] = rows.map((r) => {
          const e: ProvinceEvent = { seq: r.seq, at: iso(r.at), type: r.type, action: r.action, ticketId: r.ticket_id };
          const f = r.ticket_id ? facts.get(r.ticket_id) : undefined;
          if (f) e.ticket = f;
          return e;
        });
        const tz = zone();
        const w = waiting.get()!;
        const now: ProvinceNow = {
          at: iso(o.now),
          businessDay: businessDayOf(o.now, tz),
          timeZone: tz,
          waiting: w.n,
          openCounters: openCounters.get()!.n,
          longestWaitSeconds: w.first === null ? null : Math.max(0, Math.floor((o.now - w.first) / 1000)),
          lastSeq: lastSeq.get()?.seq ?? 0,
        };
        const batch: ProvinceBatch = {
          centerUid: o.centerUid,
          epoch: o.epoch,
          fromSeq,
          toSeq,
          sentAt: iso(o.now),
          events: wireEvents,
          ratings: newRatings.map(rating),
          services: services.all().map((s) => ({ id: s.id, code: s.code, nameVi: s.name_vi, nameEn: s.name_en, targetWaitMinutes: s.target_wait_minutes })),
          counters: counters.all(),
          now,
        };
        return {
          batch,
          ratingCursor: newRatings.length ? newRatings[newRatings.length - 1]!.rid : o.ratingCursor,
          more: (rows.length >= o.maxEvents && fromSeq > o.ackSeq) || newRatings.length >= PROVINCE_MAX_RATINGS,
        };
      })();
    },
  };
}
export type BatchReader = ReturnType<typeof createBatchReader>;
