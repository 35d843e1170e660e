-- Numbers deliberately never handed out, per business day and service: a restore skipped them
-- because they had been handed out (on paper, to citizens) after the backup was taken, or may
-- have been (docs/operations.md, "Numbering after a restore"). The sequence row in day_sequences
-- is raised past them; this table says why the day's tickets do not count 1..last_seq, so the
-- consistency check (ops/check.ts) can tell a gap on purpose from a lost ticket.
CREATE TABLE numbering_gaps (
  business_day TEXT NOT NULL,
  service_id   INTEGER NOT NULL REFERENCES services (id),
  first_seq    INTEGER NOT NULL CHECK (first_seq >= 1),
  last_seq     INTEGER NOT NULL CHECK (last_seq >= first_seq),
  reason       TEXT NOT NULL CHECK (reason IN ('restore_carried', 'restore_skipped')),
  at           INTEGER NOT NULL,
  PRIMARY KEY (business_day, service_id, first_seq)
) STRICT;
