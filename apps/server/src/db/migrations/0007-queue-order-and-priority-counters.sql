-- Arrival order is the order of issue, not the wall clock (packages/domain/src/queue-order.ts).
-- Until v6 the queue was ordered by queued_at, so a clock set back an hour put later tickets in
-- front of earlier ones. queue_seq is taken from one strictly increasing counter when a ticket is
-- issued and again when it is transferred to another service (it joins the end, as it did when
-- queued_at was the transfer time).
ALTER TABLE tickets ADD COLUMN queue_seq INTEGER NOT NULL DEFAULT 0;

-- Existing tickets keep the order they had: by queued_at, then insertion.
UPDATE tickets SET queue_seq = r.n
FROM (SELECT rowid AS rid, ROW_NUMBER() OVER (ORDER BY queued_at, rowid) AS n FROM tickets) AS r
WHERE r.rid = tickets.rowid;

-- The counter. One row; taken with UPDATE ... RETURNING in the issuing or transferring
-- transaction, so two tickets never share a place and the number never goes back (retention
-- deleting old tickets does not lower it).
CREATE TABLE queue_sequence (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  last INTEGER NOT NULL
) STRICT;
INSERT INTO queue_sequence (id, last) SELECT 1, COALESCE(MAX(queue_seq), 0) FROM tickets;

-- Heads of each queue and "ahead" counts, now by queue_seq.
DROP INDEX tickets_waiting;
CREATE INDEX tickets_waiting ON tickets (service_id, priority, queue_seq) WHERE status = 'waiting';
-- Each place once (rows written by hand without one keep the default 0 and are not checked).
CREATE UNIQUE INDEX tickets_queue_seq ON tickets (queue_seq) WHERE queue_seq > 0;

-- A priority counter (Decree 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP): 'first' calls waiting
-- priority tickets of its services before any other, 'only' calls nothing else.
ALTER TABLE counters ADD COLUMN priority_mode TEXT NOT NULL DEFAULT 'normal' CHECK (priority_mode IN ('normal', 'first', 'only'));
