-- Settings hold server secrets made at first start (the token key, later the
-- ticket signing keys).
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'staff')),
	password_hash TEXT,
	created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash   TEXT NOT NULL UNIQUE,
	label        TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	revoked_at   INTEGER
);

CREATE TABLE salons (
	id              INTEGER PRIMARY KEY,
	slug            TEXT NOT NULL UNIQUE,
	title           TEXT NOT NULL,
	industry        TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	venue           TEXT NOT NULL DEFAULT '',
	address         TEXT NOT NULL DEFAULT '',
	starts_at       INTEGER NOT NULL,
	ends_at         INTEGER NOT NULL,
	timezone        TEXT NOT NULL,
	capacity        INTEGER NOT NULL CHECK (capacity > 0),
	waitlist        INTEGER NOT NULL DEFAULT 1,
	rsvp_deadline   INTEGER NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
	sequence        INTEGER NOT NULL DEFAULT 0,
	reminder_before INTEGER NOT NULL DEFAULT 86400,
	organizer_id    INTEGER REFERENCES users (id),
	confirmed       INTEGER NOT NULL DEFAULT 0,
	waitlisted      INTEGER NOT NULL DEFAULT 0,
	checked_in      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX salons_listing ON salons (status, ends_at, starts_at);

CREATE TABLE tickets (
	id            INTEGER PRIMARY KEY,
	salon_id      INTEGER NOT NULL REFERENCES salons (id),
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	company       TEXT NOT NULL DEFAULT '',
	job_title     TEXT NOT NULL DEFAULT '',
	lang          TEXT NOT NULL DEFAULT 'en',
	status        TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
	token_salt    BLOB NOT NULL,
	token_hash    TEXT NOT NULL UNIQUE,
	checked_in_at INTEGER,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
-- One active RSVP per email per salon, enforced by the database itself.
CREATE UNIQUE INDEX tickets_active_email ON tickets (salon_id, email) WHERE status <> 'cancelled';
-- Arrival order within a status: the waitlist is ordered by id.
CREATE INDEX tickets_salon_status ON tickets (salon_id, status, id);
CREATE INDEX tickets_email ON tickets (email);

-- A personal calendar feed per attendee email; version rises on revocation.
CREATE TABLE feeds (
	email      TEXT PRIMARY KEY,
	version    INTEGER NOT NULL DEFAULT 1,
	token_hash TEXT NOT NULL UNIQUE
);

CREATE TABLE idempotency_keys (
	key_hash   TEXT PRIMARY KEY,
	body_hash  TEXT NOT NULL,
	ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
	created_at INTEGER NOT NULL
);

-- Every notice is written here in the same transaction as its cause.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	salon_id        INTEGER REFERENCES salons (id),
	ticket_id       INTEGER REFERENCES tickets (id),
	recipient       TEXT NOT NULL,
	lang            TEXT NOT NULL DEFAULT 'en',
	payload         TEXT NOT NULL DEFAULT '{}',
	message_id      TEXT NOT NULL UNIQUE,
	status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id, kind);
