-- Tickets the server itself printed and the printer confirmed (docs/adr/0002-print-confirmation.md,
-- "Printed by the server, remembered"). Kept in the database, not in memory, so that after a
-- restart a kiosk's late "print failed" (it got no answer because the server stopped while the
-- ticket was printing) does not cancel a ticket whose paper the citizen holds, and a repeated
-- print request is answered as a duplicate instead of printing a second paper. One row per
-- ticket; deleted with the ticket by retention.
CREATE TABLE ticket_prints (
  ticket_id  TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  printed_at INTEGER NOT NULL
) STRICT;
