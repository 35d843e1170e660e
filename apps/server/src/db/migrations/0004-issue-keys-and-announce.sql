-- Issue 10: a kiosk's retried ticket request returns the same ticket, even after a restart; what
-- the screens show of a call is exactly what a fresh snapshot shows; the TV's announcement settings.

-- The Idempotency-Key of each ticket request, written in the same transaction as the ticket, so a
-- retry after a lost answer (timeout, Wi-Fi blip, server restart) finds the ticket it already got
-- instead of taking a second number. Unique per actor ('device:<id>' or 'user:<id>'), business day
-- and key. `request` is what was asked ('<serviceId>:<0|1 priority>'): the same key with another
-- request is refused rather than answered with the wrong ticket. Rows of earlier days are deleted
-- by the day rollover (queue.ts rollOverDay). No foreign key to tickets: ticket retention must
-- never be blocked by a leftover key, and a lookup only ever reads today's rows.
CREATE TABLE issue_keys (
  business_day TEXT NOT NULL,
  actor        TEXT NOT NULL,
  key          TEXT NOT NULL,
  ticket_id    TEXT NOT NULL,
  request      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (business_day, actor, key)
) STRICT;

-- The TV's announcement settings live in the center settings JSON. Centers that already saved
-- their settings get the defaults written out (the maximum lag before a call is no longer read out,
-- and whether each call is read twice), so the stored row shows every setting the admin page does.
UPDATE settings
   SET value = json_insert(value, '$.announceMaxLagSeconds', 10, '$.announceRepeat', json('false'))
 WHERE key = 'center' AND json_valid(value);

-- A call as it was announced: the service the ticket was called for and the counter's number and
-- name at that moment. The TV's recent calls keep showing that after a transfer or a counter
-- rename, exactly as the events that announced them did. NULL in rows written before this
-- version: those fall back to the ticket's and the counter's current values.
ALTER TABLE calls ADD COLUMN service_id INTEGER;
ALTER TABLE calls ADD COLUMN counter_number INTEGER;
ALTER TABLE calls ADD COLUMN counter_name TEXT;
