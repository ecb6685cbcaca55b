-- Change counters the store owns, for caches of rendered pages and
-- calendars: every committed batch that changed salons or tickets raises
-- its row, so a second process on the same file sees the change too.
CREATE TABLE changes (
	name    TEXT PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO changes (name) VALUES ('salons'), ('tickets');
