-- Luot schema v1. STRICT tables; times are epoch milliseconds (INTEGER), formatted with the
-- center's offset only at the edge. Business days are YYYY-MM-DD in the center's time zone.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- JSON
) STRICT;

CREATE TABLE services (
  id                    INTEGER PRIMARY KEY,
  code                  TEXT NOT NULL UNIQUE,
  name_vi               TEXT NOT NULL,
  name_en               TEXT NOT NULL,
  prefix                TEXT NOT NULL,
  number_width          INTEGER NOT NULL DEFAULT 3 CHECK (number_width BETWEEN 1 AND 6),
  hours                 TEXT,                -- JSON OpeningHours, NULL = around the clock
  daily_limit           INTEGER CHECK (daily_limit IS NULL OR daily_limit > 0),
  default_service_minutes INTEGER NOT NULL DEFAULT 10,
  target_wait_minutes   INTEGER,
  sort_order            INTEGER NOT NULL DEFAULT 0,
  active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'officer')),
  created_at    INTEGER NOT NULL,
  disabled_at   INTEGER
) STRICT;

CREATE TABLE devices (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
  name         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER,
  revoked_at   INTEGER
) STRICT;

-- Bearer tokens are stored only as SHA-256 hashes.
CREATE TABLE tokens (
  hash       TEXT PRIMARY KEY,
  user_id    INTEGER REFERENCES users (id),
  device_id  INTEGER REFERENCES devices (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,            -- NULL: until revoked (device tokens)
  revoked_at INTEGER,
  CHECK ((user_id IS NULL) <> (device_id IS NULL))
) STRICT;

CREATE TABLE counters (
  id                INTEGER PRIMARY KEY,
  number            INTEGER NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  state             TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
  officer_id        INTEGER REFERENCES users (id),
  current_ticket_id TEXT,
  priority_streak   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE counter_services (
  counter_id INTEGER NOT NULL REFERENCES counters (id) ON DELETE CASCADE,
  service_id INTEGER NOT NULL REFERENCES services (id),
  position   INTEGER NOT NULL,
  PRIMARY KEY (counter_id, service_id)
) STRICT;

-- The last sequence handed out per business day and service. Taken with UPDATE ... RETURNING in
-- the same transaction as the ticket insert, so a number is never repeated or skipped.
CREATE TABLE day_sequences (
  business_day TEXT NOT NULL,
  service_id   INTEGER NOT NULL REFERENCES services (id),
  last_seq     INTEGER NOT NULL,
  PRIMARY KEY (business_day, service_id)
) STRICT;

CREATE TABLE tickets (
  id            TEXT PRIMARY KEY,     -- 128 random bits, base64url: the citizen's phone link
  business_day  TEXT NOT NULL,
  service_id    INTEGER NOT NULL REFERENCES services (id),
  seq           INTEGER NOT NULL,     -- the day's sequence in its first service
  number        TEXT NOT NULL,
  priority      INTEGER NOT NULL CHECK (priority IN (0, 1)),
  status        TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'done', 'no_show', 'cancelled')),
  issued_at     INTEGER NOT NULL,
  queued_at     INTEGER NOT NULL,     -- joined its current service queue (issue or transfer)
  called_at     INTEGER,
  completed_at  INTEGER,
  no_show_at    INTEGER,
  cancelled_at  INTEGER,
  cancel_reason TEXT,
  counter_id    INTEGER REFERENCES counters (id),
  officer_id    INTEGER REFERENCES users (id),
  call_count    INTEGER NOT NULL DEFAULT 0,
  issued_by_device INTEGER REFERENCES devices (id),
  issue_service_id INTEGER NOT NULL REFERENCES services (id),
  UNIQUE (business_day, issue_service_id, seq)
) STRICT;

-- Heads of each queue and "ahead" counts read only waiting rows.
CREATE INDEX tickets_waiting ON tickets (service_id, priority, queued_at) WHERE status = 'waiting';
-- Recent service times for wait estimates.
CREATE INDEX tickets_done ON tickets (service_id, completed_at) WHERE status = 'done';
CREATE INDEX tickets_called ON tickets (business_day, called_at) WHERE called_at IS NOT NULL;
CREATE INDEX tickets_day ON tickets (business_day, status);

-- Append-only log of every committed action; seq is the global event number clients follow.
CREATE TABLE ticket_events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  type       TEXT NOT NULL,
  action     TEXT NOT NULL,
  ticket_id  TEXT,
  counter_id INTEGER,
  user_id    INTEGER,
  device_id  INTEGER,
  payload    TEXT NOT NULL          -- the JSON broadcast to clients
) STRICT;
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);

-- Recent calls for the TV (kept as its own rows so a recall shows again).
CREATE TABLE calls (
  id         INTEGER PRIMARY KEY,
  ticket_id  TEXT NOT NULL REFERENCES tickets (id),
  counter_id INTEGER NOT NULL REFERENCES counters (id),
  at         INTEGER NOT NULL,
  recall     INTEGER NOT NULL CHECK (recall IN (0, 1))
) STRICT;
CREATE INDEX calls_at ON calls (at);
