-- Console sessions. Only the SHA-256 of a session id is kept, so a copy of
-- the database (a backup) cannot be used to take over a signed-in browser.
CREATE TABLE sessions (
	id_hash      TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed logins, per client address and per account, both kept as hashes of
-- the key. Rows older than the throttle window are pruned on every insert.
CREATE TABLE login_failures (
	id       INTEGER PRIMARY KEY,
	key_hash TEXT NOT NULL,
	at       INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- The one-time link that creates the first admin. Only its hash is kept.
CREATE TABLE setup_tokens (
	token_hash TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);

-- What organizers and admins did, who did it and when. actor keeps the
-- email at the time, so the log still reads right if an account changes.
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER REFERENCES users (id),
	actor      TEXT NOT NULL DEFAULT '',
	action     TEXT NOT NULL,
	salon_id   INTEGER REFERENCES salons (id),
	detail     TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_salon ON audit_log (salon_id, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
