-- A salon may carry its title and description in Chinese beside the main
-- ones; pages show the reader's language and fall back to the other.
ALTER TABLE salons ADD COLUMN title_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE salons ADD COLUMN description_zh TEXT NOT NULL DEFAULT '';
