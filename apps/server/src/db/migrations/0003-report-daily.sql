-- Reports over a year must not re-read a year of tickets: each closed business day is summed
-- once per scope (the whole center, each service, counter and officer) into this table.
-- Durations are kept whole (Int32 seconds, as BLOBs) so medians and percentiles stay exact
-- when days are merged. Rows hold no personal data and outlive ticket retention on purpose.
CREATE TABLE report_daily (
  business_day TEXT NOT NULL,
  scope        TEXT NOT NULL CHECK (scope IN ('total', 'service', 'issue_service', 'counter', 'officer')),
  key          INTEGER NOT NULL,   -- service, counter or user id; 0 for the total
  issued       INTEGER NOT NULL,
  served       INTEGER NOT NULL,
  no_show      INTEGER NOT NULL,
  cancelled    INTEGER NOT NULL,
  open         INTEGER NOT NULL,
  ratings      TEXT NOT NULL,      -- JSON [count of 1, 2, 3, 4]
  waits        BLOB NOT NULL,      -- Int32 seconds, issued -> called
  services     BLOB NOT NULL,      -- Int32 seconds, called -> done
  arrivals     BLOB NOT NULL,      -- 24 x Int32: tickets issued per local hour
  PRIMARY KEY (business_day, scope, key)
) STRICT;
