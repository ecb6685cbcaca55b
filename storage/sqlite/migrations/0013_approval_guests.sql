-- Approval and companions. A salon may need an organizer's approval for
-- each RSVP (approval), and may let each RSVP bring up to max_guests
-- companions. Counts are in seats: confirmed, waitlisted and pending each
-- add up the holders and their guests.
ALTER TABLE salons ADD COLUMN approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE salons ADD COLUMN max_guests INTEGER NOT NULL DEFAULT 0 CHECK (max_guests BETWEEN 0 AND 10);
ALTER TABLE salons ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;

-- tickets gains the statuses pending and declined, and guests. SQLite
-- changes a CHECK only by rebuilding the table; every column and index is
-- carried over as it is.
CREATE TABLE tickets_parties (
	id            INTEGER PRIMARY KEY,
	salon_id      INTEGER NOT NULL REFERENCES salons (id),
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	company       TEXT NOT NULL DEFAULT '',
	job_title     TEXT NOT NULL DEFAULT '',
	lang          TEXT NOT NULL DEFAULT 'en',
	status        TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'pending', 'declined', 'cancelled')),
	token_salt    BLOB NOT NULL,
	-- Only for tickets whose links predate id-carrying tokens.
	token_hash    TEXT,
	checked_in_at INTEGER,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	erased_at     INTEGER,
	guests        INTEGER NOT NULL DEFAULT 0 CHECK (guests >= 0)
);
INSERT INTO tickets_parties (id, salon_id, name, email, company, job_title, lang, status, token_salt, token_hash,
	checked_in_at, created_at, updated_at, erased_at)
SELECT id, salon_id, name, email, company, job_title, lang, status, token_salt, token_hash,
	checked_in_at, created_at, updated_at, erased_at FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_parties RENAME TO tickets;
CREATE UNIQUE INDEX tickets_legacy_token ON tickets (token_hash) WHERE token_hash IS NOT NULL;
-- One RSVP per email per salon among tickets not cancelled: a pending or a
-- declined ticket keeps its email taken (see 0011 for erased tickets).
CREATE UNIQUE INDEX tickets_salon_email ON tickets (salon_id, email,
	iif(status = 'cancelled' OR erased_at IS NOT NULL, NULL, 0));
CREATE INDEX tickets_waitlist ON tickets (salon_id, id) WHERE status = 'waitlisted';
CREATE INDEX tickets_email ON tickets (email);

-- The count guard (0007) covers the pending count too.
DROP TRIGGER salons_count_guard;
CREATE TRIGGER salons_count_guard BEFORE UPDATE OF confirmed, waitlisted, pending ON salons
WHEN (NEW.confirmed > OLD.confirmed AND NEW.confirmed > NEW.capacity) OR NEW.confirmed < 0 OR NEW.waitlisted < 0 OR NEW.pending < 0
BEGIN
	SELECT RAISE(ABORT, 'salon counts out of bounds: confirmed above capacity or below zero');
END;
