-- Waitlisted parties (tickets with guests), so an RSVP can tell in one
-- index probe whether its salon's waitlist is all single guests: then a
-- new waitlisted ticket's place in line is the waitlisted seat count, and
-- no count over the whole waitlist is needed on every RSVP of a burst.
CREATE INDEX tickets_waitlisted_parties ON tickets (salon_id) WHERE status = 'waitlisted' AND guests > 0;
