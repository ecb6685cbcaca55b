package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/storage"
)

// healthFor is how long a write probe's answer is kept. Each probe is a
// commit, and load balancers poll /healthz often, several at a time; a
// second keeps that to one commit a second at most.
const healthFor = time.Second

// healthProbeTimeout bounds how long a probe may wait to reach the writer.
const healthProbeTimeout = 2 * time.Second

// healthJSON is the answer of /healthz. reason is one of a few fixed words,
// never an error's text.
type healthJSON struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Integrity is the background integrity check's outcome: checking,
	// ok, damaged or check_failed. It does not decide the status: a
	// damaged index still serves, and taking the server out of a load
	// balancer would stop what still works.
	Integrity string `json:"integrity,omitempty"`
}

// writeHealth keeps the last write probe's answer for healthFor. Callers
// that arrive during a probe wait for it rather than start their own.
type writeHealth struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// check returns the cached answer, or probes when it is stale.
func (h *writeHealth) check(ctx context.Context, probe func(context.Context) error) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.at.IsZero() && time.Since(h.at) < healthFor {
		return h.err
	}
	ctx, cancel := context.WithTimeout(ctx, healthProbeTimeout)
	defer cancel()
	h.err = probe(ctx)
	h.at = time.Now()
	return h.err
}

// handleHealth answers 200 only when the database answers a read and a
// write can commit: a server that cannot write would fail every RSVP, so
// it must not look healthy to a load balancer.
func (s *Server) handleHealth(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Error("health check: the database does not answer", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(healthJSON{Status: "unavailable", Reason: "database_down"})
	}
	if err := s.health.check(ctx, s.probeWrite); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(healthJSON{Status: "unavailable", Reason: writeFailure(err), Integrity: s.integrity.get()})
	}
	return c.JSON(healthJSON{Status: "ok", Integrity: s.integrity.get()})
}

// probeWrite is the write probe, logged once per failing probe rather than
// once per health request.
func (s *Server) probeWrite(ctx context.Context) error {
	err := s.db.CheckWritable(ctx)
	if err != nil {
		s.log.Error("health check: the database cannot be written", "err", err)
	}
	return err
}

// writeFailure names why a write failed, in words fit for anyone to read.
func writeFailure(err error) string {
	switch {
	case errors.Is(err, storage.ErrReadOnly):
		return "read_only"
	case errors.Is(err, storage.ErrFull):
		return "full"
	}
	return "write_failed"
}
