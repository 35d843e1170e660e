-- Luot province roll-up, schema v1 (PostgreSQL 14+; developed on 18).
-- Centers ship their append-only event log (apps/server/src/province/); the province keeps every
-- event once, by (center, epoch, seq), and the last known state of each ticket and rating, from
-- which every figure is computed (src/figures.ts). Times are timestamptz as the CENTER's clock
-- wrote them (never the province's receive time); business days are the center's local dates.
--
-- Scale: 65 centers x ~400 tickets a day is ~10 M tickets a year, fine in plain tables with the
-- (center_id, business_day) indexes below. For a national roll-up (3,321 communes) `tickets`,
-- `ratings` and `events` would be range-partitioned by month (business_day / at: PARTITION BY
-- RANGE, one partition a month, old months detached to cheap storage); the primary keys would then
-- carry the partition column (e.g. tickets (center_id, business_day, ticket_id)), see
-- docs/province.md. Kept unpartitioned here so that a center's re-shipped history can move a
-- ticket between days without a cross-partition update.

-- A center known to the province. Its key is shown once at registration and stored as SHA-256
-- (hex). center_uid is bound by the first accepted batch (the center database's stable identity);
-- another uid with the same key is refused (CENTER_MISMATCH) until an admin re-binds it.
CREATE TABLE centers (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  key_hash    text NOT NULL UNIQUE,
  revoked     boolean NOT NULL DEFAULT false,
  revoked_at  timestamptz,
  center_uid  uuid UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One stream per (center, epoch): a center restored from a backup moves its epoch on and ships
-- its events again from seq 1 as a new stream. ack_seq = highest seq held contiguously from 1.
CREATE TABLE center_streams (
  center_id   integer NOT NULL REFERENCES centers (id),
  epoch       integer NOT NULL CHECK (epoch >= 1),
  ack_seq     bigint NOT NULL DEFAULT 0 CHECK (ack_seq >= 0),
  first_at    timestamptz NOT NULL DEFAULT now(),   -- province clock: when the stream began
  updated_at  timestamptz NOT NULL DEFAULT now(),   -- province clock: last accepted batch
  PRIMARY KEY (center_id, epoch)
);

-- Every shipped event, once: the proof of what arrived (figures read `tickets`, not this). payload
-- holds a rating shipped with the event, if any; a ticket's state is kept once, in `tickets`.
-- No personal data ever (docs/province.md). The largest table: old months may be dropped or
-- archived (monthly partitions at national scale) without changing any figure.
CREATE TABLE events (
  center_id   integer NOT NULL REFERENCES centers (id),
  epoch       integer NOT NULL,
  seq         bigint NOT NULL CHECK (seq >= 1),
  at          timestamptz NOT NULL,                  -- center clock
  type        text NOT NULL,
  action      text NOT NULL,
  ticket_id   text,
  payload     jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),   -- province clock
  PRIMARY KEY (center_id, epoch, seq)
);
CREATE INDEX events_ticket ON events (center_id, ticket_id) WHERE ticket_id IS NOT NULL;

-- The last known state of each ticket: upserted by (center, ticket) keeping the fact with the
-- highest (epoch, seq), so re-shipped history never double counts and a ticket that existed only
-- in an older epoch stays (it happened). Same meaning as the center's tickets table:
-- service_id = where the ticket is/ended (after transfers), issue_service_id = where it was taken,
-- called_at = the center's called_at (the last call), statuses waiting|called|done|no_show|cancelled.
CREATE TABLE tickets (
  center_id         integer NOT NULL REFERENCES centers (id),
  ticket_id         text NOT NULL,
  number            text NOT NULL,
  service_id        integer NOT NULL,
  issue_service_id  integer NOT NULL,
  priority          boolean NOT NULL,
  status            text NOT NULL CHECK (status IN ('waiting', 'called', 'done', 'no_show', 'cancelled')),
  business_day      date NOT NULL,
  issued_at         timestamptz NOT NULL,
  called_at         timestamptz,
  completed_at      timestamptz,
  counter_id        integer,
  officer_id        integer,                          -- the center's numeric user id: pseudonymous
  transferred_from_service_id integer,
  last_epoch        integer NOT NULL,
  last_seq          bigint NOT NULL,
  PRIMARY KEY (center_id, ticket_id)
);
-- Range reports: one center's days, or every center's days.
CREATE INDEX tickets_center_day ON tickets (center_id, business_day);
CREATE INDEX tickets_day ON tickets (business_day, center_id);

-- One rating per ticket (as at the center), upserted like tickets.
CREATE TABLE ratings (
  center_id     integer NOT NULL REFERENCES centers (id),
  ticket_id     text NOT NULL,
  score         integer NOT NULL,
  scale         integer NOT NULL CHECK (scale IN (3, 4, 5)),
  satisfied     boolean NOT NULL,
  reason        text,
  dossier_code  text,
  at            timestamptz,                         -- center clock (the rating event's time)
  last_epoch    integer NOT NULL,
  last_seq      bigint NOT NULL,
  PRIMARY KEY (center_id, ticket_id)
);

-- Each center's services and counters as last shipped (names for the dashboard).
CREATE TABLE services (
  center_id            integer NOT NULL REFERENCES centers (id),
  service_id           integer NOT NULL,
  code                 text NOT NULL,
  name_vi              text NOT NULL,
  name_en              text NOT NULL,
  target_wait_minutes  integer,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (center_id, service_id)
);
CREATE TABLE counters (
  center_id   integer NOT NULL REFERENCES centers (id),
  counter_id  integer NOT NULL,
  number      integer NOT NULL,
  name        text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (center_id, counter_id)
);

-- The center's latest `now` block (its own view of this moment) and when the province got it.
CREATE TABLE center_now (
  center_id            integer PRIMARY KEY REFERENCES centers (id),
  epoch                integer NOT NULL,
  at                   timestamptz NOT NULL,          -- center clock
  business_day         date NOT NULL,
  time_zone            text NOT NULL,
  waiting              integer NOT NULL,
  open_counters        integer NOT NULL,
  longest_wait_seconds integer,
  last_seq             bigint NOT NULL,
  received_at          timestamptz NOT NULL DEFAULT now()  -- province clock
);
