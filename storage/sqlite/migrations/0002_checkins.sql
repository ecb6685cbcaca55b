-- Ticket code signing keys. Several public keys may be valid at once so keys
-- can be rotated; the newest unretired key signs.
CREATE TABLE signing_keys (
	id         INTEGER PRIMARY KEY,
	private    BLOB NOT NULL,
	public     BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	retired_at INTEGER
);

-- Links an organizer gives door volunteers: one salon, revocable.
CREATE TABLE door_links (
	id         INTEGER PRIMARY KEY,
	salon_id   INTEGER NOT NULL REFERENCES salons (id),
	token_hash TEXT NOT NULL UNIQUE,
	label      TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);
CREATE INDEX door_links_salon ON door_links (salon_id);

-- Every scan attempt, whatever its result. A nonce makes a retried or
-- uploaded scan idempotent: the same nonce again answers the first result.
CREATE TABLE scans (
	id           INTEGER PRIMARY KEY,
	salon_id     INTEGER NOT NULL REFERENCES salons (id),
	ticket_id    INTEGER REFERENCES tickets (id),
	result       TEXT NOT NULL,
	nonce        TEXT,
	device       TEXT NOT NULL DEFAULT '',
	user_id      INTEGER REFERENCES users (id),
	door_link_id INTEGER REFERENCES door_links (id),
	scanned_at   INTEGER NOT NULL,
	recorded_at  INTEGER NOT NULL,
	-- checked_in_at is the ticket's first check-in time as answered.
	checked_in_at INTEGER,
	-- flagged marks a repeat across devices found when an offline queue is
	-- uploaded, so organizers can look at it.
	flagged      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX scans_nonce ON scans (salon_id, nonce) WHERE nonce IS NOT NULL;
CREATE INDEX scans_salon ON scans (salon_id, id);
