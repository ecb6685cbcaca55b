-- An RSVP's confirmation (or waitlist or pending) notice is written with
-- its ticket, in two columns of the ticket row, instead of as an outbox
-- row of its own: the outbox INSERT was a fifth of the single writer's
-- time per RSVP, and its table and two indexes a page each per commit.
-- The writer copies the notices of the tickets above notice_mark into the
-- outbox in bulk (see notices.go) before any other write, before the
-- outbox is read, and at least every 100 ms while RSVPs arrive, then raises
-- the mark in the same transaction. Tickets made before this migration
-- have their notices in the outbox already.
ALTER TABLE tickets ADD COLUMN notice_kind TEXT;
ALTER TABLE tickets ADD COLUMN notice_payload TEXT;
CREATE TABLE notice_mark (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	ticket_id INTEGER NOT NULL
);
INSERT INTO notice_mark (id, ticket_id) VALUES (1, COALESCE((SELECT MAX(id) FROM tickets), 0));
