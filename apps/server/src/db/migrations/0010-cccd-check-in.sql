-- Issue 16: a citizen checks in at the kiosk with the QR of their ID card (docs/privacy.md,
-- docs/adr/0008-cccd-check-in.md). Two tables of their own, apart from `tickets`, so that nothing
-- that reads tickets (events, snapshots, reports, exports, the province shipment) can carry a
-- name by accident.

-- The checked-in citizen of one ticket, for the officer who calls it: name, year of birth and
-- sex (for "Ông"/"Bà"), and the keyed hash of the ID number to count their earlier visits. Kept
-- until the end of the business day (checkInNameDays after it): the day rollover and the nightly
-- job delete the rows. The date of birth and the ID number themselves are never stored.
CREATE TABLE checkin_citizens (
  ticket_id     TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  business_day  TEXT NOT NULL,
  service_id    INTEGER NOT NULL,
  full_name     TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
  year_of_birth INTEGER NOT NULL CHECK (year_of_birth BETWEEN 1900 AND 9999),
  sex           TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  id_hash       BLOB NOT NULL CHECK (length(id_hash) = 32)
) STRICT;
CREATE INDEX checkin_citizens_day ON checkin_citizens (business_day);

-- One row per checked-in ticket: HMAC-SHA256 of the ID number with the center's own key (a file
-- in the data directory, never in this database nor in its backups), the service and the day.
-- No ticket id, no time: enough to count "how many times for this service in N days", nothing
-- more. Deleted after returningVisitorDays by the nightly job.
CREATE TABLE checkin_visits (
  id           INTEGER PRIMARY KEY,
  id_hash      BLOB NOT NULL CHECK (length(id_hash) = 32),
  service_id   INTEGER NOT NULL,
  business_day TEXT NOT NULL
) STRICT;
CREATE INDEX checkin_visits_citizen ON checkin_visits (id_hash, service_id, business_day);
CREATE INDEX checkin_visits_day ON checkin_visits (business_day);
