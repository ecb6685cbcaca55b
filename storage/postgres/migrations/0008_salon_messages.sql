-- Organizers' messages to a salon's guests. The text is kept once here;
-- each guest's outbox row (kind 'message') names the message in its
-- payload. The rows of the last day are also the salon's message
-- allowance, counted in the write that adds one.
CREATE TABLE salon_messages (
	id         BIGSERIAL PRIMARY KEY,
	salon_id   BIGINT NOT NULL REFERENCES salons (id),
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	audience   TEXT NOT NULL CHECK (audience IN ('confirmed', 'waitlisted', 'all')),
	recipients INTEGER NOT NULL,
	sent_by    BIGINT REFERENCES users (id),
	sender     TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX salon_messages_salon ON salon_messages (salon_id, created_at);
