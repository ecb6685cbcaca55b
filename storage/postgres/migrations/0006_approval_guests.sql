-- Approval and companions. A salon may need an organizer's approval for
-- each RSVP (approval), and may let each RSVP bring up to max_guests
-- companions. Counts are in seats: confirmed, waitlisted and pending each
-- add up the holders and their guests.
ALTER TABLE salons ADD COLUMN approval BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE salons ADD COLUMN max_guests INTEGER NOT NULL DEFAULT 0 CHECK (max_guests BETWEEN 0 AND 10);
ALTER TABLE salons ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0);

-- tickets gains the statuses pending and declined, and guests. A pending
-- or declined ticket keeps its email taken, as the unique index on tickets
-- not cancelled already says.
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
	CHECK (status IN ('confirmed', 'waitlisted', 'pending', 'declined', 'cancelled'));
ALTER TABLE tickets ADD COLUMN guests INTEGER NOT NULL DEFAULT 0 CHECK (guests >= 0);
