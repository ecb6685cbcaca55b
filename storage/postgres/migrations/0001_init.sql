-- The whole schema as SQLite's migrations leave it, in PostgreSQL's terms.
-- Times are Unix seconds (BIGINT), as in the SQLite backend, so that both
-- backends read and write the same values.

-- Server secrets made at first start (the token key).
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value BYTEA NOT NULL
);

CREATE TABLE users (
	id            BIGSERIAL PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'staff')),
	password_hash TEXT,
	created_at    BIGINT NOT NULL
);

CREATE TABLE api_tokens (
	id         BIGSERIAL PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	label      TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);

CREATE TABLE salons (
	id              BIGSERIAL PRIMARY KEY,
	slug            TEXT NOT NULL UNIQUE,
	title           TEXT NOT NULL,
	title_zh        TEXT NOT NULL DEFAULT '',
	industry        TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	description_zh  TEXT NOT NULL DEFAULT '',
	venue           TEXT NOT NULL DEFAULT '',
	address         TEXT NOT NULL DEFAULT '',
	starts_at       BIGINT NOT NULL,
	ends_at         BIGINT NOT NULL,
	timezone        TEXT NOT NULL,
	capacity        INTEGER NOT NULL CHECK (capacity > 0),
	waitlist        BOOLEAN NOT NULL DEFAULT TRUE,
	rsvp_deadline   BIGINT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
	sequence        INTEGER NOT NULL DEFAULT 0,
	reminder_before BIGINT NOT NULL DEFAULT 86400,
	organizer_id    BIGINT REFERENCES users (id),
	confirmed       INTEGER NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
	waitlisted      INTEGER NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
	checked_in      INTEGER NOT NULL DEFAULT 0,
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL
);
CREATE INDEX salons_listing ON salons (status, ends_at, starts_at);

-- The capacity guarantee's last line, in the data itself: no write may
-- raise a salon's confirmed count above its capacity. Lowering capacity
-- under the confirmed count stays allowed (it removes nobody), so only a
-- rise is checked, which a plain CHECK cannot express.
CREATE FUNCTION salons_count_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.confirmed > OLD.confirmed AND NEW.confirmed > NEW.capacity THEN
		RAISE EXCEPTION 'salon counts out of bounds: confirmed above capacity' USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER salons_count_guard BEFORE UPDATE OF confirmed ON salons
	FOR EACH ROW EXECUTE FUNCTION salons_count_guard();

CREATE TABLE tickets (
	id            BIGSERIAL PRIMARY KEY,
	salon_id      BIGINT NOT NULL REFERENCES salons (id),
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	company       TEXT NOT NULL DEFAULT '',
	job_title     TEXT NOT NULL DEFAULT '',
	lang          TEXT NOT NULL DEFAULT 'en',
	status        TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
	token_salt    BYTEA NOT NULL,
	-- Only for tickets whose links predate id-carrying tokens; none here.
	token_hash    TEXT,
	checked_in_at BIGINT,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL
);
-- One active RSVP per email per salon, enforced by the database itself.
CREATE UNIQUE INDEX tickets_active_email ON tickets (salon_id, email) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX tickets_legacy_token ON tickets (token_hash) WHERE token_hash IS NOT NULL;
-- The waitlist in arrival order.
CREATE INDEX tickets_waitlist ON tickets (salon_id, id) WHERE status = 'waitlisted';
CREATE INDEX tickets_email ON tickets (email);

CREATE TABLE feeds (
	email      TEXT PRIMARY KEY,
	version    INTEGER NOT NULL DEFAULT 1,
	token_hash TEXT NOT NULL UNIQUE
);

CREATE TABLE idempotency_keys (
	key_hash   TEXT PRIMARY KEY,
	body_hash  TEXT NOT NULL,
	ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
	created_at BIGINT NOT NULL
);

-- Every notice is written here in the same transaction as its cause. A
-- claimed (sending) message carries a lease: when a worker dies holding it,
-- the lease runs out and any worker may claim the message again.
CREATE TABLE outbox (
	id              BIGSERIAL PRIMARY KEY,
	kind            TEXT NOT NULL,
	salon_id        BIGINT REFERENCES salons (id),
	ticket_id       BIGINT REFERENCES tickets (id),
	recipient       TEXT NOT NULL,
	lang            TEXT NOT NULL DEFAULT 'en',
	payload         TEXT NOT NULL DEFAULT '{}',
	message_id      TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	lease_until     BIGINT,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE status = 'sending';
CREATE INDEX outbox_ticket ON outbox (ticket_id, kind);
CREATE INDEX outbox_salon ON outbox (salon_id, id);
-- One reminder per ticket, however many processes queue reminders at once.
CREATE UNIQUE INDEX outbox_one_reminder ON outbox (ticket_id) WHERE kind = 'reminder';

CREATE TABLE signing_keys (
	id         BIGINT PRIMARY KEY,
	private    BYTEA NOT NULL,
	public     BYTEA NOT NULL,
	created_at BIGINT NOT NULL,
	retired_at BIGINT
);

CREATE TABLE door_links (
	id         BIGSERIAL PRIMARY KEY,
	salon_id   BIGINT NOT NULL REFERENCES salons (id),
	token_hash TEXT NOT NULL UNIQUE,
	label      TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);
CREATE INDEX door_links_salon ON door_links (salon_id);

CREATE TABLE scans (
	id            BIGSERIAL PRIMARY KEY,
	salon_id      BIGINT NOT NULL REFERENCES salons (id),
	ticket_id     BIGINT REFERENCES tickets (id),
	result        TEXT NOT NULL,
	nonce         TEXT,
	device        TEXT NOT NULL DEFAULT '',
	user_id       BIGINT REFERENCES users (id),
	door_link_id  BIGINT REFERENCES door_links (id),
	scanned_at    BIGINT NOT NULL,
	recorded_at   BIGINT NOT NULL,
	checked_in_at BIGINT,
	flagged       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX scans_nonce ON scans (salon_id, nonce) WHERE nonce IS NOT NULL;
CREATE INDEX scans_salon ON scans (salon_id, id);

CREATE TABLE sessions (
	id_hash      TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
	id       BIGSERIAL PRIMARY KEY,
	key_hash TEXT NOT NULL,
	at       BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE setup_tokens (
	token_hash TEXT PRIMARY KEY,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);

CREATE TABLE audit_log (
	id         BIGSERIAL PRIMARY KEY,
	user_id    BIGINT REFERENCES users (id),
	actor      TEXT NOT NULL DEFAULT '',
	action     TEXT NOT NULL,
	salon_id   BIGINT REFERENCES salons (id),
	detail     TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_salon ON audit_log (salon_id, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);

CREATE TABLE health (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	probes    BIGINT NOT NULL DEFAULT 0,
	probed_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO health (id) VALUES (1);

-- Change counters for caches of rendered pages. Sequences, not rows: a
-- counter row would be locked by every write until it commits and so
-- serialise all of them; nextval takes no lock and is raised after commit.
CREATE SEQUENCE salons_version;
CREATE SEQUENCE tickets_version;
