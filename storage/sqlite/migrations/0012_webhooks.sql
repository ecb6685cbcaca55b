-- Webhooks: addresses an organizer's other tools listen on. events is the
-- subscribed event types between commas (",rsvp.created,salon.changed,"), so
-- that one instr() finds a subscriber. The secret is the HMAC key itself:
-- signing needs it back, so it cannot be hashed.
CREATE TABLE webhooks (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	url        TEXT NOT NULL,
	events     TEXT NOT NULL,
	secret     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_user ON webhooks (user_id);

-- One row per event and webhook, written in the transaction of the change
-- it reports. lease_until is when a sending row's claim runs out, so a row
-- left by a stopped sender is claimed again.
CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY,
	webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	event_id        TEXT NOT NULL UNIQUE,
	type            TEXT NOT NULL,
	body            BLOB NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	lease_until     INTEGER NOT NULL DEFAULT 0,
	response_code   INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	delivered_at    INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
