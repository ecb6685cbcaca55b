-- Fewer index pages per RSVP. Each index page an RSVP changes is a page in
-- the WAL at commit and again at checkpoint; with unique indexes over random
-- values (a token hash, a message id) and two per-salon indexes, that was
-- about half of the writer's time.
--
-- tickets: manage tokens now start with the ticket's id, so they are found
-- by primary key and checked against the HMAC of the row's salt; no token
-- hash is kept for new tickets. Tickets made before keep theirs, under a
-- partial index, so links already mailed keep working.
CREATE TABLE tickets_lean (
	id            INTEGER PRIMARY KEY,
	salon_id      INTEGER NOT NULL REFERENCES salons (id),
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	company       TEXT NOT NULL DEFAULT '',
	job_title     TEXT NOT NULL DEFAULT '',
	lang          TEXT NOT NULL DEFAULT 'en',
	status        TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
	token_salt    BLOB NOT NULL,
	-- Only for tickets whose links predate id-carrying tokens.
	token_hash    TEXT,
	checked_in_at INTEGER,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
INSERT INTO tickets_lean (id, salon_id, name, email, company, job_title, lang, status, token_salt, token_hash,
	checked_in_at, created_at, updated_at)
SELECT id, salon_id, name, email, company, job_title, lang, status, token_salt, token_hash,
	checked_in_at, created_at, updated_at FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_lean RENAME TO tickets;
CREATE UNIQUE INDEX tickets_legacy_token ON tickets (token_hash) WHERE token_hash IS NOT NULL;
-- One index per salon where there were two (the partial unique index on
-- active tickets and one by salon and status): every ticket is in it, so it
-- serves every per-salon query, and it still allows one active RSVP per
-- email per salon. Its third part is 0 for an active ticket and NULL for a
-- cancelled one, and NULLs never collide in a unique index.
CREATE UNIQUE INDEX tickets_salon_email ON tickets (salon_id, email, iif(status = 'cancelled', NULL, 0));
-- The waitlist in arrival order: only waitlisted tickets are in it, so a
-- confirmed RSVP does not touch it.
CREATE INDEX tickets_waitlist ON tickets (salon_id, id) WHERE status = 'waitlisted';
CREATE INDEX tickets_email ON tickets (email);

-- outbox: message ids are 128 random bits, unique without an index that
-- nothing reads.
CREATE TABLE outbox_lean (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	salon_id        INTEGER REFERENCES salons (id),
	ticket_id       INTEGER REFERENCES tickets (id),
	recipient       TEXT NOT NULL,
	lang            TEXT NOT NULL DEFAULT 'en',
	payload         TEXT NOT NULL DEFAULT '{}',
	message_id      TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER
);
INSERT INTO outbox_lean (id, kind, salon_id, ticket_id, recipient, lang, payload, message_id, status, attempts,
	next_attempt_at, last_error, created_at, sent_at)
SELECT id, kind, salon_id, ticket_id, recipient, lang, payload, message_id, status, attempts,
	next_attempt_at, last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_lean RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id, kind);
