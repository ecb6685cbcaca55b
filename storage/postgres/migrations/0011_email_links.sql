-- One-time links mailed to a ticket's address: whoever opens one reads that
-- address, so the link opens export and erasure over every ticket of it.
-- Only the token's hash is kept, and no address: the address is the
-- ticket's, so erasing the ticket ends the link. spent_at is set when a newer
-- link replaces this one; the rows stay a day, for the per-address limit.
CREATE TABLE email_links (
	id         BIGSERIAL PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	spent_at   BIGINT
);
CREATE INDEX email_links_ticket ON email_links (ticket_id, created_at);
CREATE INDEX email_links_created ON email_links (created_at);
