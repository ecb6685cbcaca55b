-- One index fewer for every RSVP to write: the unique index of an email's
-- active ticket per salon now leads with the email, so it also finds all of
-- an email's tickets (the feed, the privacy export and erasure), which
-- tickets_email did. Uniqueness is the same whatever the column order.
-- Queries by salon alone use tickets_salon (0019).
DROP INDEX tickets_email;
DROP INDEX tickets_salon_email;
CREATE UNIQUE INDEX tickets_salon_email ON tickets (email, salon_id,
	iif(status = 'cancelled' OR erased_at IS NOT NULL, NULL, 0));
