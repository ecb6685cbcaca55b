-- When a ticket holder's personal data was erased (at their request, or when
-- the retention period ran out): name, email, company and job title are
-- empty from then on.
ALTER TABLE tickets ADD COLUMN erased_at INTEGER;
-- Erased tickets of an ended salon keep their status (the salon's history
-- counts them) but no email, so they are left out of one-RSVP-per-email.
DROP INDEX tickets_salon_email;
CREATE UNIQUE INDEX tickets_salon_email ON tickets (salon_id, email,
	iif(status = 'cancelled' OR erased_at IS NOT NULL, NULL, 0));
