-- Luot province roll-up, schema v2: a daily rollup per center, business day and service, so a
-- report over many centers and days reads ~one row per center-day-service instead of every
-- ticket (65 centers x 90 days: ~30,000 rows instead of ~3 million tickets; docs/benchmarks.md).
--
-- How it stays right without the ingest code knowing about it:
-- - Triggers on tickets and ratings mark each (center, business day) they touch as dirty, in the
--   same transaction as the change (figures_dirty). The mark is an upsert that locks the row, so
--   a compaction running at the same time either waits for the ingest to commit or leaves the day
--   dirty (see src/dashboard/rollup.ts).
-- - A report reads, in one snapshot (REPEATABLE READ), the rollup rows of the clean center-days
--   and computes the dirty ones live from the tickets: it is exact at every moment.
-- - The compactor (src/dashboard/rollup.ts, in the background every few seconds) claims dirty
--   center-days (FOR UPDATE SKIP LOCKED), recomputes their rows from the tickets and clears the
--   marks, in one transaction per chunk.
-- A service's target wait is NOT in the rollup: the waits are kept (sorted seconds), and the share
-- within target is counted at report time with the target the center last shipped, as the live
-- figures do (src/figures.ts).

-- Each stored row's version: compaction writes a center-day's rows anew with new versions, so a
-- dashboard process may keep a row's decoded waits in memory and read only the counts next time.
CREATE SEQUENCE figures_version;

-- No foreign key to centers, on purpose: derived data, and a key check would take a lock on the
-- center's row, which ingest holds FOR UPDATE (a deadlock between compaction and ingest).
CREATE TABLE figures_daily (
  center_id     integer NOT NULL,
  business_day  date NOT NULL,
  service_id    integer NOT NULL,
  issued        integer NOT NULL,  -- tickets TAKEN for this service (issue_service_id)
  priority      integer NOT NULL,  -- priority tickets taken for it
  ended         integer NOT NULL,  -- tickets that ENDED in this service (service_id)
  served        integer NOT NULL,
  no_show       integer NOT NULL,
  cancelled     integer NOT NULL,
  open          integer NOT NULL,  -- waiting or called
  -- The wait (called_at - issued_at, whole seconds, floored as the center computes it) of each
  -- ticket that ended here with a wait: int4 big-endian values (int4send), ascending; 4 bytes each.
  waits         bytea NOT NULL,
  wait_sum      bigint NOT NULL,
  answers       integer NOT NULL,  -- ratings of the tickets that ended here, any scale
  satisfied     integer NOT NULL,
  dissatisfied  integer NOT NULL,
  four_count    integer NOT NULL,  -- 4-level answers and the sum of their scores (the average)
  four_sum      integer NOT NULL,
  version       bigint NOT NULL DEFAULT nextval('figures_version'),
  PRIMARY KEY (center_id, business_day, service_id)
);
CREATE INDEX figures_daily_day ON figures_daily (business_day, center_id);

CREATE TABLE figures_dirty (
  center_id     integer NOT NULL,
  business_day  date NOT NULL,
  marked_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (center_id, business_day)
);
CREATE INDEX figures_dirty_day ON figures_dirty (business_day);

-- Statement-level triggers with transition tables: one INSERT per ingest statement, not per row.
-- ON CONFLICT DO UPDATE (not DO NOTHING): it row-locks an existing mark until this transaction
-- commits, so a compaction cannot clear the mark while this change is still invisible to it.
CREATE FUNCTION figures_mark_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_dirty (center_id, business_day)
  SELECT DISTINCT center_id, business_day FROM new_rows
  ON CONFLICT (center_id, business_day) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;

CREATE FUNCTION figures_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A re-shipped fact may move a ticket to another day: both days change.
  INSERT INTO figures_dirty (center_id, business_day)
  SELECT center_id, business_day FROM new_rows UNION SELECT center_id, business_day FROM old_rows
  ON CONFLICT (center_id, business_day) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;

CREATE FUNCTION figures_mark_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_dirty (center_id, business_day)
  SELECT DISTINCT center_id, business_day FROM old_rows
  ON CONFLICT (center_id, business_day) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;

CREATE TRIGGER tickets_figures_ins AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_new();
CREATE TRIGGER tickets_figures_upd AFTER UPDATE ON tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_changed();
CREATE TRIGGER tickets_figures_del AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_old();

-- Ratings carry no business day: the day is the rated ticket's.
CREATE FUNCTION figures_mark_rated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_dirty (center_id, business_day)
  SELECT DISTINCT t.center_id, t.business_day FROM rated r JOIN tickets t ON t.center_id = r.center_id AND t.ticket_id = r.ticket_id
  ON CONFLICT (center_id, business_day) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;
CREATE TRIGGER ratings_figures_ins AFTER INSERT ON ratings REFERENCING NEW TABLE AS rated FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_rated();
CREATE TRIGGER ratings_figures_upd AFTER UPDATE ON ratings REFERENCING NEW TABLE AS rated FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_rated();
CREATE TRIGGER ratings_figures_del AFTER DELETE ON ratings REFERENCING OLD TABLE AS rated FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_rated();

-- A database that already holds tickets: every center-day starts dirty (the compactor fills the
-- rollup in the background; reports are exact meanwhile, only slower).
INSERT INTO figures_dirty (center_id, business_day) SELECT DISTINCT center_id, business_day FROM tickets;
