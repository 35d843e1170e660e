-- Issue 15: ratings as Decision 766/QĐ-TTg measures them ("tỷ lệ hài lòng"), the dossier code
-- ("mã hồ sơ") on the ticket, and report sums that balance after a transfer.

-- Ratings keep the scale they were given on (3, 4 or 5 levels; the center chooses, default 3) and
-- store score = scale for the best level down to 1 for the worst (packages/protocol admin.ts
-- ratingLevelOf). Rows written before this version were all asked on 4 levels: `scale` defaults
-- to 4, so they keep their meaning. The CHECK on score changes, so the table is rebuilt (SQLite
-- cannot alter a CHECK); nothing references it.
--   reason     the one tap after Không hài lòng or below (thái độ, thời gian chờ, hướng dẫn chưa rõ, khác)
--   source     tablet at the counter, the citizen's phone page, or an admin
--   seen_at/by when the director marked a dissatisfied answer as seen on the dashboard; ratings
--              from before this version are history, not alerts, so they count as seen
CREATE TABLE ratings_v8 (
  id         INTEGER PRIMARY KEY,
  ticket_id  TEXT NOT NULL UNIQUE REFERENCES tickets (id),
  counter_id INTEGER REFERENCES counters (id),
  officer_id INTEGER REFERENCES users (id),
  device_id  INTEGER REFERENCES devices (id),
  scale      INTEGER NOT NULL DEFAULT 4 CHECK (scale IN (3, 4, 5)),
  score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND scale),
  reason     TEXT CHECK (reason IS NULL OR reason IN ('attitude', 'waiting_time', 'unclear_guidance', 'other')),
  source     TEXT NOT NULL DEFAULT 'tablet' CHECK (source IN ('tablet', 'phone', 'admin')),
  at         INTEGER NOT NULL,
  reason_at  INTEGER,
  seen_at    INTEGER,
  seen_by    INTEGER REFERENCES users (id)
) STRICT;
INSERT INTO ratings_v8 (id, ticket_id, counter_id, officer_id, device_id, scale, score, source, at, seen_at)
  SELECT id, ticket_id, counter_id, officer_id, device_id, 4, score, CASE WHEN device_id IS NULL THEN 'admin' ELSE 'tablet' END, at, at FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_v8 RENAME TO ratings;
CREATE INDEX ratings_at ON ratings (at);
-- The dashboard's "not yet seen" list: dissatisfied answers (score 1 on 3 or 4 levels, 1-2 on 5)
-- without seen_at. The same expression is in rating.repo.ts, so the planner uses this index.
CREATE INDEX ratings_unseen ON ratings (at) WHERE seen_at IS NULL AND score <= CASE scale WHEN 5 THEN 2 ELSE 1 END;

-- The dossier code an officer attached to the ticket (typed or scanned), with when. Kept with the
-- ticket (deleted with it by retention), never sent to screens: ticket events do not carry it.
ALTER TABLE tickets ADD COLUMN dossier_code TEXT CHECK (dossier_code IS NULL OR length(dossier_code) BETWEEN 1 AND 64);
ALTER TABLE tickets ADD COLUMN dossier_at INTEGER;

-- Daily report sums, format 2 (reports/report.ts): the ratings JSON holds counts per scale and
-- score and the reasons as one flat array of 16 (format 1 was [c1,c2,c3,c4] on 4 levels), plus
-- priority tickets and transfers in and out per scope.
ALTER TABLE report_daily ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_daily ADD COLUMN priority INTEGER;
ALTER TABLE report_daily ADD COLUMN transfer_in INTEGER;
ALTER TABLE report_daily ADD COLUMN transfer_out INTEGER;
-- Sums are a cache: days whose tickets are still here are summed again, in format 2, by the next
-- report that needs them. Days whose tickets retention has deleted keep their format 1 rows, the
-- only record left of them (reported as `legacyDays`).
DELETE FROM report_daily WHERE business_day IN (SELECT DISTINCT business_day FROM tickets);
