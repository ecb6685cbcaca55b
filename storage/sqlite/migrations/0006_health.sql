-- One row the server rewrites to prove that it can write, at start-up and
-- for /healthz, so that a read-only file or a full disk is found there
-- rather than by the next RSVP.
CREATE TABLE health (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	probes    INTEGER NOT NULL DEFAULT 0,
	probed_at INTEGER NOT NULL DEFAULT 0,
	-- Pages a probe fills and gives back, so that a file that cannot grow
	-- fails the probe; always NULL once the probe is done.
	room      BLOB
);
INSERT INTO health (id) VALUES (1);
