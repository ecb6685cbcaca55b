-- Accounts that can be disabled, and the one-time links where an account's
-- owner sets a password (an invitation, or a reset). Only the SHA-256 of a
-- link's token is kept; a used link keeps its row, with used_at, so it
-- cannot be used again.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

CREATE TABLE invite_tokens (
	id         BIGSERIAL PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);
CREATE INDEX invite_tokens_user ON invite_tokens (user_id);
