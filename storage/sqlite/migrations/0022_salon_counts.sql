-- A salon's seat and check-in counts move to a narrow table of their own.
-- They change with every RSVP, approval, cancellation and check-in, and an
-- UPDATE rewrites the whole row: on the salons table that meant the title,
-- both descriptions, the host's words and the questions, again for each
-- batch of RSVPs, into the WAL and again at each checkpoint. With a few
-- paragraphs of description per salon (BenchmarkCreateRSVP_LongSalons),
-- RSVPs wrote 8.2-8.6 KiB each and ran at 12,265-15,671/s; with the counts
-- apart, 3.2-3.4 KiB and 15,014-21,689/s, side by side.
-- Here a hundred salons' counts fit in one page.
CREATE TABLE salon_counts (
	salon_id   INTEGER PRIMARY KEY REFERENCES salons (id),
	confirmed  INTEGER NOT NULL DEFAULT 0,
	waitlisted INTEGER NOT NULL DEFAULT 0,
	pending    INTEGER NOT NULL DEFAULT 0,
	checked_in INTEGER NOT NULL DEFAULT 0
);
INSERT INTO salon_counts (salon_id, confirmed, waitlisted, pending, checked_in)
SELECT id, confirmed, waitlisted, pending, checked_in FROM salons;

-- The count guard (0007, 0013) moves with the counts: no write may raise
-- the confirmed seats above the capacity, nor take a count below zero.
DROP TRIGGER salons_count_guard;
CREATE TRIGGER salon_counts_guard BEFORE UPDATE OF confirmed, waitlisted, pending ON salon_counts
WHEN (NEW.confirmed > OLD.confirmed AND NEW.confirmed > (SELECT capacity FROM salons WHERE id = NEW.salon_id))
	OR NEW.confirmed < 0 OR NEW.waitlisted < 0 OR NEW.pending < 0
BEGIN
	SELECT RAISE(ABORT, 'salon counts out of bounds: confirmed above capacity or below zero');
END;

ALTER TABLE salons DROP COLUMN confirmed;
ALTER TABLE salons DROP COLUMN waitlisted;
ALTER TABLE salons DROP COLUMN pending;
ALTER TABLE salons DROP COLUMN checked_in;
