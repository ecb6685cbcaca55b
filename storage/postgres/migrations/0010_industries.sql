-- Industries organizers and admins added beside the fixed list in the code
-- (events.Industries). name_folded is the English name case-folded by the
-- app, so that "Robotics" and "ROBOTICS" are one industry; the unique
-- indexes hold that for two adds at once from any process. Salons keep
-- only the slug.
CREATE TABLE industries (
	slug        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	name_folded TEXT NOT NULL UNIQUE,
	name_zh     TEXT NOT NULL UNIQUE,
	created_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at  BIGINT NOT NULL
);
