import type { ProvinceBatch, ProvinceRatingFact, ProvinceStreamState, ProvinceTicketFact } from '@luot/protocol';
import type pg from 'pg';
import { ProvinceError } from '../errors.js';

export interface CenterRow {
  id: number;
  code: string;
  name: string;
  revoked: boolean;
  center_uid: string | null;
}

/** The center a key belongs to, or null (unknown). Revoked centers are returned: the caller refuses them. */
export async function centerByKeyHash(db: pg.Pool | pg.PoolClient, keyHash: string, lock = false): Promise<CenterRow | null> {
  const { rows } = await db.query<CenterRow>(`SELECT id, code, name, revoked, center_uid FROM centers WHERE key_hash = $1${lock ? ' FOR UPDATE' : ''}`, [keyHash]);
  return rows[0] ?? null;
}

/** The center's latest stream (highest epoch), for a center starting up. */
export async function streamState(pool: pg.Pool, center: CenterRow): Promise<ProvinceStreamState> {
  const { rows } = await pool.query<{ epoch: number; ack_seq: string }>('SELECT epoch, ack_seq FROM center_streams WHERE center_id = $1 ORDER BY epoch DESC LIMIT 1', [center.id]);
  const r = rows[0];
  return { centerUid: center.center_uid, epoch: r?.epoch ?? 0, ackSeq: r ? Number(r.ack_seq) : 0 };
}

/** (epoch, seq) order of two facts. */
const newer = (a: { epoch: number; seq: number }, b: { epoch: number; seq: number }) => a.epoch > b.epoch || (a.epoch === b.epoch && a.seq > b.seq);

/**
 * Stores one batch in ONE transaction and answers the stream's new ackSeq.
 *
 * - The center's row is locked first (FOR UPDATE): batches of one center are applied one at a
 *   time, so ackSeq is read and moved without races; different centers never wait on each other.
 * - Events: INSERT ... ON CONFLICT DO NOTHING by (center, epoch, seq): a re-sent batch stores
 *   nothing twice.
 * - Tickets and ratings: upserted by (center, ticket), keeping the fact of the highest (epoch, seq),
 *   so figures count each ticket once whatever is re-sent, and a restored center's new epoch
 *   overrides what its old epoch said about the same ticket.
 * - ackSeq := max(ackSeq, toSeq). The center declares every event row it holds in
 *   [fromSeq, toSeq]; a row its retention already deleted is simply absent (not a gap).
 * - fromSeq > ackSeq + 1 is refused SEQ_GAP (with the ackSeq to resume from), changing nothing;
 *   a batch entirely <= ackSeq is a duplicate: its events are not looked at again, but the
 *   center's `now`, services, counters and ratings are (idempotent), so a re-sent batch doubles
 *   as a heartbeat.
 */
export async function ingestBatch(pool: pg.Pool, keyHash: string, b: ProvinceBatch): Promise<ProvinceStreamState> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const center = await centerByKeyHash(client, keyHash, true);
    if (!center || center.revoked) throw new ProvinceError('UNAUTHORIZED');
    if (center.center_uid === null) {
      // The first accepted batch binds the key to this center database; another center row
      // already holding that uid (a copied database, or one center registered twice) is refused.
      const taken = await client.query('SELECT 1 FROM centers WHERE center_uid = $1 AND id <> $2', [b.centerUid, center.id]);
      if (taken.rowCount) throw new ProvinceError('CENTER_MISMATCH', 'This centerUid is bound to another registered center.');
      await client.query('UPDATE centers SET center_uid = $2 WHERE id = $1', [center.id, b.centerUid]);
    } else if (center.center_uid !== b.centerUid) {
      throw new ProvinceError('CENTER_MISMATCH');
    }

    await client.query('INSERT INTO center_streams (center_id, epoch) VALUES ($1, $2) ON CONFLICT DO NOTHING', [center.id, b.epoch]);
    const ack = Number((await client.query<{ ack_seq: string }>('SELECT ack_seq FROM center_streams WHERE center_id = $1 AND epoch = $2', [center.id, b.epoch])).rows[0]!.ack_seq);
    if (b.fromSeq > ack + 1) throw new ProvinceError('SEQ_GAP', `Province holds up to seq ${ack} of epoch ${b.epoch}.`, { ackSeq: ack, epoch: b.epoch });

    const fresh = b.toSeq > ack;
    if (fresh) {
      const events = b.events.filter((e) => e.seq > ack);
      if (events.length) {
        await client.query(
          `INSERT INTO events (center_id, epoch, seq, at, type, action, ticket_id, payload)
           SELECT $1, $2, e.seq, e.at, e.type, e.action, e.ticket_id, e.payload
             FROM unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
                  AS e (seq, at, type, action, ticket_id, payload)
           ON CONFLICT DO NOTHING`,
          [
            center.id,
            b.epoch,
            events.map((e) => e.seq),
            events.map((e) => e.at),
            events.map((e) => e.type),
            events.map((e) => e.action),
            events.map((e) => e.ticketId ?? e.ticket?.id ?? null),
            // The ticket's fact lives in `tickets` (one row per ticket, its last state): not copied
            // into every event row, which would multiply the province's size per center-year.
            events.map((e) => JSON.stringify(e.rating ? { rating: e.rating } : {})),
          ],
        );
      }
      // One fact per ticket (the newest in the batch): one statement cannot upsert a row twice.
      const facts = new Map<string, { fact: ProvinceTicketFact; epoch: number; seq: number }>();
      for (const e of events) {
        if (!e.ticket) continue;
        const cur = facts.get(e.ticket.id);
        const next = { fact: e.ticket, epoch: b.epoch, seq: e.seq };
        if (!cur || newer(next, cur)) facts.set(e.ticket.id, next);
      }
      await upsertTickets(client, center.id, [...facts.values()]);
      const eventRatings = events.flatMap((e) => (e.rating ? [e.rating] : []));
      if (eventRatings.length) await upsertRatings(client, center.id, b.epoch, eventRatings);
      await client.query('UPDATE center_streams SET ack_seq = $3, updated_at = now() WHERE center_id = $1 AND epoch = $2', [center.id, b.epoch, b.toSeq]);
    } else {
      await client.query('UPDATE center_streams SET updated_at = now() WHERE center_id = $1 AND epoch = $2', [center.id, b.epoch]);
    }
    if (b.ratings?.length) await upsertRatings(client, center.id, b.epoch, b.ratings);
    await upsertNames(client, center.id, b);
    await client.query(
      `INSERT INTO center_now (center_id, epoch, at, business_day, time_zone, waiting, open_counters, longest_wait_seconds, last_seq, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (center_id) DO UPDATE SET
         epoch = EXCLUDED.epoch, at = EXCLUDED.at, business_day = EXCLUDED.business_day, time_zone = EXCLUDED.time_zone,
         waiting = EXCLUDED.waiting, open_counters = EXCLUDED.open_counters, longest_wait_seconds = EXCLUDED.longest_wait_seconds,
         last_seq = EXCLUDED.last_seq, received_at = EXCLUDED.received_at
       -- A late re-sent request never overwrites a newer picture: the newest epoch, then the
       -- center's lastSeq (never its clock, which an admin may set back).
       WHERE (center_now.epoch, center_now.last_seq) <= (EXCLUDED.epoch, EXCLUDED.last_seq)`,
      [center.id, b.epoch, b.now.at, b.now.businessDay, b.now.timeZone, b.now.waiting, b.now.openCounters, b.now.longestWaitSeconds, b.now.lastSeq],
    );
    await client.query('COMMIT');
    return { centerUid: b.centerUid, epoch: b.epoch, ackSeq: fresh ? b.toSeq : ack };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function upsertTickets(client: pg.PoolClient, centerId: number, facts: { fact: ProvinceTicketFact; epoch: number; seq: number }[]) {
  if (!facts.length) return;
  const col = <T>(f: (x: { fact: ProvinceTicketFact; epoch: number; seq: number }) => T) => facts.map(f);
  await client.query(
    `INSERT INTO tickets (center_id, ticket_id, number, service_id, issue_service_id, priority, status, business_day, issued_at,
                          called_at, completed_at, counter_id, officer_id, transferred_from_service_id, last_epoch, last_seq)
     SELECT $1, t.* FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::bool[], $7::text[], $8::date[], $9::timestamptz[],
                                $10::timestamptz[], $11::timestamptz[], $12::int[], $13::int[], $14::int[], $15::int[], $16::bigint[]) AS t
     ON CONFLICT (center_id, ticket_id) DO UPDATE SET
       number = EXCLUDED.number, service_id = EXCLUDED.service_id, issue_service_id = EXCLUDED.issue_service_id,
       priority = EXCLUDED.priority, status = EXCLUDED.status, business_day = EXCLUDED.business_day, issued_at = EXCLUDED.issued_at,
       called_at = EXCLUDED.called_at, completed_at = EXCLUDED.completed_at, counter_id = EXCLUDED.counter_id,
       officer_id = EXCLUDED.officer_id, transferred_from_service_id = EXCLUDED.transferred_from_service_id,
       last_epoch = EXCLUDED.last_epoch, last_seq = EXCLUDED.last_seq
     WHERE (tickets.last_epoch, tickets.last_seq) < (EXCLUDED.last_epoch, EXCLUDED.last_seq)`,
    [
      centerId,
      col((x) => x.fact.id),
      col((x) => x.fact.number),
      col((x) => x.fact.serviceId),
      col((x) => x.fact.issueServiceId ?? x.fact.serviceId),
      col((x) => x.fact.priority),
      col((x) => x.fact.status),
      col((x) => x.fact.businessDay),
      col((x) => x.fact.issuedAt),
      col((x) => x.fact.calledAt),
      col((x) => x.fact.completedAt),
      col((x) => x.fact.counterId),
      col((x) => x.fact.officerId),
      col((x) => x.fact.transferredFromServiceId ?? null),
      col((x) => x.epoch),
      col((x) => x.seq),
    ],
  );
}

/** Ratings never change at the center (one per ticket): the newest epoch's word is kept. */
async function upsertRatings(client: pg.PoolClient, centerId: number, epoch: number, ratings: ProvinceRatingFact[]) {
  const byTicket = new Map(ratings.map((r) => [r.ticketId, r]));
  const rs = [...byTicket.values()];
  await client.query(
    `INSERT INTO ratings (center_id, ticket_id, score, scale, satisfied, reason, dossier_code, at, last_epoch, last_seq)
     SELECT $1, r.*, $9::int, 0 FROM unnest($2::text[], $3::int[], $4::int[], $5::bool[], $6::text[], $7::text[], $8::timestamptz[]) AS r
     ON CONFLICT (center_id, ticket_id) DO UPDATE SET
       score = EXCLUDED.score, scale = EXCLUDED.scale, satisfied = EXCLUDED.satisfied, reason = EXCLUDED.reason,
       dossier_code = EXCLUDED.dossier_code, at = EXCLUDED.at, last_epoch = EXCLUDED.last_epoch
     WHERE ratings.last_epoch <= EXCLUDED.last_epoch`,
    [
      centerId,
      rs.map((r) => r.ticketId),
      rs.map((r) => r.score),
      rs.map((r) => r.scale),
      rs.map((r) => r.satisfied),
      rs.map((r) => r.reason ?? null),
      rs.map((r) => r.dossierCode ?? null),
      rs.map((r) => r.at ?? null),
      epoch,
    ],
  );
}

/** The center's services and counters as it last described them (names for the dashboard). */
async function upsertNames(client: pg.PoolClient, centerId: number, b: ProvinceBatch) {
  if (b.services.length) {
    await client.query(
      `INSERT INTO services (center_id, service_id, code, name_vi, name_en, target_wait_minutes)
       SELECT $1, s.* FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[]) AS s
       ON CONFLICT (center_id, service_id) DO UPDATE SET code = EXCLUDED.code, name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,
         target_wait_minutes = EXCLUDED.target_wait_minutes, updated_at = now()
       WHERE (services.code, services.name_vi, services.name_en, services.target_wait_minutes)
             IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.name_vi, EXCLUDED.name_en, EXCLUDED.target_wait_minutes)`,
      [centerId, b.services.map((s) => s.id), b.services.map((s) => s.code), b.services.map((s) => s.nameVi), b.services.map((s) => s.nameEn), b.services.map((s) => s.targetWaitMinutes)],
    );
  }
  if (b.counters.length) {
    await client.query(
      `INSERT INTO counters (center_id, counter_id, number, name)
       SELECT $1, c.* FROM unnest($2::int[], $3::int[], $4::text[]) AS c
       ON CONFLICT (center_id, counter_id) DO UPDATE SET number = EXCLUDED.number, name = EXCLUDED.name, updated_at = now()
       WHERE (counters.number, counters.name) IS DISTINCT FROM (EXCLUDED.number, EXCLUDED.name)`,
      [centerId, b.counters.map((c) => c.id), b.counters.map((c) => c.number), b.counters.map((c) => c.name)],
    );
  }
}
