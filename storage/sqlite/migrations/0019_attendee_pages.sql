-- Attendee lists and CSV exports walk one salon's tickets in id order, a
-- page or a chunk at a time (keyset paging: id > the last one seen). Without
-- this index each page read every ticket of the salon through the email
-- index and sorted them, so walking a 20,000-ticket salon was quadratic.
-- The rowid (the ticket id) ends every SQLite index, so (salon_id) is
-- (salon_id, id).
CREATE INDEX tickets_salon ON tickets (salon_id);
