import type { CccdSex } from '@luot/domain';
import type { Db } from './open.js';

/**
 * The checked-in citizens of tickets and their keyed-hash visits (migration 0010, issue 16,
 * docs/privacy.md). Names live here, never in `tickets`, so nothing that reads tickets can carry
 * one. Deleting is the point of half of these statements: names at the end of the business day,
 * hashes after the returning-visitor period.
 */
export interface CitizenRow {
  ticketId: string;
  businessDay: string;
  serviceId: number;
  fullName: string;
  yearOfBirth: number;
  sex: CccdSex;
  idHash: Buffer;
}

interface RawCitizen {
  ticket_id: string;
  business_day: string;
  service_id: number;
  full_name: string;
  year_of_birth: number;
  sex: CccdSex;
  id_hash: Buffer;
}

export function createCitizenRepo(db: Db) {
  // A deleted name must not linger in the file's free pages (nor in a backup copied from them):
  // SQLite overwrites deleted content with zeros when secure_delete is on. Per connection; the
  // cost is a few writes more per deleted row, on every table of this connection.
  db.pragma('secure_delete = ON');

  const insertCitizen = db.prepare(
    `INSERT INTO checkin_citizens (ticket_id, business_day, service_id, full_name, year_of_birth, sex, id_hash)
     VALUES (@ticketId, @businessDay, @serviceId, @fullName, @yearOfBirth, @sex, @idHash)`,
  );
  const insertVisit = db.prepare('INSERT INTO checkin_visits (id_hash, service_id, business_day) VALUES (?, ?, ?)');
  const byTicket = db.prepare<[string], RawCitizen>(
    'SELECT ticket_id, business_day, service_id, full_name, year_of_birth, sex, id_hash FROM checkin_citizens WHERE ticket_id = ?',
  );
  const countVisits = db.prepare<[Buffer, number, string], { n: number }>(
    'SELECT count(*) AS n FROM checkin_visits WHERE id_hash = ? AND service_id = ? AND business_day >= ?',
  );
  const deleteNames = db.prepare<[string, number]>(
    'DELETE FROM checkin_citizens WHERE rowid IN (SELECT rowid FROM checkin_citizens WHERE business_day < ? LIMIT ?)',
  );
  const deleteVisits = db.prepare<[string, number]>(
    'DELETE FROM checkin_visits WHERE id IN (SELECT id FROM checkin_visits WHERE business_day < ? LIMIT ?)',
  );

  return {
    /** The citizen who checked in for a ticket, and one visit for the returning count (same transaction as the ticket). */
    record(c: CitizenRow): void {
      insertCitizen.run(c);
      insertVisit.run(c.idHash, c.serviceId, c.businessDay);
    },
    forTicket(ticketId: string): CitizenRow | undefined {
      const r = byTicket.get(ticketId);
      return r
        ? { ticketId: r.ticket_id, businessDay: r.business_day, serviceId: r.service_id, fullName: r.full_name, yearOfBirth: r.year_of_birth, sex: r.sex, idHash: r.id_hash }
        : undefined;
    },
    /** Visits with this hash for this service on `sinceDay` or later. */
    visits: (idHash: Buffer, serviceId: number, sinceDay: string): number => countVisits.get(idHash, serviceId, sinceDay)?.n ?? 0,
    /** Deletes up to `limit` citizens of business days before `day`; returns how many. */
    deleteNamesBefore: (day: string, limit: number): number => deleteNames.run(day, limit).changes,
    /** Deletes up to `limit` visits of business days before `day`; returns how many. */
    deleteVisitsBefore: (day: string, limit: number): number => deleteVisits.run(day, limit).changes,
  };
}
export type CitizenRepo = ReturnType<typeof createCitizenRepo>;
