-- A claim number per outbox message, raised by every claim, so only the
-- worker holding the current claim can mark the message sent, retried or
-- failed.
ALTER TABLE outbox ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
