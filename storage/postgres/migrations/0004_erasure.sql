-- When a ticket holder's personal data was erased (at their request, or when
-- the retention period ran out): name, email, company and job title are
-- empty from then on.
ALTER TABLE tickets ADD COLUMN erased_at BIGINT;
-- Erased tickets of an ended salon keep their status (the salon's history
-- counts them) but no email, so they are left out of one-RSVP-per-email.
DROP INDEX tickets_active_email;
CREATE UNIQUE INDEX tickets_active_email ON tickets (salon_id, email) WHERE status <> 'cancelled' AND erased_at IS NULL;
