-- The capacity guarantee's last line of defence, in the data itself: no
-- write may raise a salon's confirmed count above its capacity, nor take
-- a count below zero. Lowering the capacity under the confirmed count stays
-- allowed (it removes nobody), so only a rise is checked. A trigger rather
-- than a CHECK: SQLite adds a CHECK only by rebuilding the salons table.
CREATE TRIGGER salons_count_guard BEFORE UPDATE OF confirmed, waitlisted ON salons
WHEN (NEW.confirmed > OLD.confirmed AND NEW.confirmed > NEW.capacity) OR NEW.confirmed < 0 OR NEW.waitlisted < 0
BEGIN
	SELECT RAISE(ABORT, 'salon counts out of bounds: confirmed above capacity or below zero');
END;
