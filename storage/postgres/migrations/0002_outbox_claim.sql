-- A claim number per outbox message, raised by every claim, so a worker
-- whose lease ran out cannot mark a message another worker has since
-- claimed.
ALTER TABLE outbox ADD COLUMN claim BIGINT NOT NULL DEFAULT 0;
