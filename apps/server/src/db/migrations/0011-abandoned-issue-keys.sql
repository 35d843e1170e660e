-- A kiosk tap the kiosk gave up on (docs/adr/0002-print-confirmation.md, "A tap the kiosk gave
-- up on"). After 20 s without an answer to its issue request the kiosk tells the citizen that no
-- number was issued, and later, once the server answers again, sends POST /tickets/abandon with
-- the tap's Idempotency-Key. If the key got no ticket (the request never arrived, or has not
-- arrived yet), the key is kept here for the rest of the business day, so that the original
-- request, should it reach the server late (a proxy or a flapping Wi-Fi holding it), is refused
-- with ISSUE_ABANDONED instead of issuing a ticket nobody holds. Same key space as issue_keys
-- (actor 'device:<id>', business day, key); written and read in the same transactions as
-- issue_keys, so a key is either in issue_keys (a ticket) or here (abandoned), never both.
-- Rows of earlier days are deleted by the day rollover with issue_keys.
CREATE TABLE abandoned_issue_keys (
  business_day TEXT NOT NULL,
  actor        TEXT NOT NULL,
  key          TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (business_day, actor, key)
) STRICT;
