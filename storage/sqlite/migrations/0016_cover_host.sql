-- A salon's host, shown as "Hosted by" on its page.
ALTER TABLE salons ADD COLUMN host_name TEXT NOT NULL DEFAULT '';
ALTER TABLE salons ADD COLUMN host_about TEXT NOT NULL DEFAULT '';

-- A salon's cover: cover_key names the images' content (it changes with
-- them, so their addresses can be cached for good) and cover_sizes lists the
-- stored widths with their heights, smallest first ("480x270,960x540"), so
-- pages need no second query to write srcset.
ALTER TABLE salons ADD COLUMN cover_key TEXT NOT NULL DEFAULT '';
ALTER TABLE salons ADD COLUMN cover_sizes TEXT NOT NULL DEFAULT '';

-- The images themselves, re-encoded and resized, one row per width. They are
-- in the database, not on disk, so every process serving it has them and a
-- backup holds them.
CREATE TABLE cover_images (
	salon_id     INTEGER NOT NULL REFERENCES salons (id) ON DELETE CASCADE,
	width        INTEGER NOT NULL,
	cover_key    TEXT NOT NULL,
	height       INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (salon_id, width)
);
CREATE INDEX cover_images_key ON cover_images (cover_key, width);
