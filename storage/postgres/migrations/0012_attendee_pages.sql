-- Attendee lists and CSV exports walk one salon's tickets in id order, a
-- page or a chunk at a time (keyset paging: id > the last one seen), so
-- each page reads only its own rows.
CREATE INDEX tickets_salon_id ON tickets (salon_id, id);
