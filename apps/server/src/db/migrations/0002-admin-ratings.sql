-- Admin and reports: audit log, citizen satisfaction ratings, counters that can be retired.

-- Every configuration change: who, what, when (append-only).
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  user_id INTEGER REFERENCES users (id),
  action  TEXT NOT NULL,
  target  TEXT,
  detail  TEXT NOT NULL DEFAULT '{}'   -- JSON: the change, never a password
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);

-- One rating per ticket, tied to the counter and officer who served it.
-- score: 4 Rất hài lòng, 3 Hài lòng, 2 Bình thường, 1 Không hài lòng.
CREATE TABLE ratings (
  id         INTEGER PRIMARY KEY,
  ticket_id  TEXT NOT NULL UNIQUE REFERENCES tickets (id),
  counter_id INTEGER REFERENCES counters (id),
  officer_id INTEGER REFERENCES users (id),
  device_id  INTEGER REFERENCES devices (id),
  score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX ratings_at ON ratings (at);

ALTER TABLE counters ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- Reports read a range of business days whole; this index lets them skip the rest of the years.
CREATE INDEX tickets_report ON tickets (business_day, service_id, counter_id, officer_id, status, issue_service_id, issued_at, called_at, completed_at, id);
DROP INDEX tickets_day;
