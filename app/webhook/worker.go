package webhook

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"salon/storage"
)

// Defaults for a Worker.
const (
	DefaultPollInterval = time.Second
	DefaultMinBackoff   = 30 * time.Second
	DefaultMaxBackoff   = time.Hour
	// DefaultGiveUpAfter is how long a delivery keeps being retried from
	// its creation: the contract promises at least 24 hours.
	DefaultGiveUpAfter = 25 * time.Hour
	DefaultBatchSize   = 8
	// DefaultLease is how long a claimed delivery is this worker's before
	// another may take it: well beyond one attempt.
	DefaultLease = 2 * time.Minute
)

// Worker delivers the webhook queue. Any number may run, in one process or
// many: the store's claims keep them apart.
type Worker struct {
	db   storage.Store
	send *Sender
	log  *slog.Logger

	// Poll, MinBackoff, MaxBackoff, GiveUpAfter, Batch and Lease are the
	// defaults above unless changed before Run.
	Poll, MinBackoff, MaxBackoff, GiveUpAfter, Lease time.Duration
	Batch                                            int
}

// NewWorker makes a Worker posting through s.
func NewWorker(db storage.Store, s *Sender, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.Default()
	}
	return &Worker{db: db, send: s, log: log.With("component", "webhooks"),
		Poll: DefaultPollInterval, MinBackoff: DefaultMinBackoff, MaxBackoff: DefaultMaxBackoff,
		GiveUpAfter: DefaultGiveUpAfter, Lease: DefaultLease, Batch: DefaultBatchSize}
}

// Run delivers until ctx ends. A delivery in flight when it ends keeps its
// lease and is claimed again once the lease runs out.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("webhook deliveries", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.Poll):
		}
	}
}

// RunOnce claims one batch and attempts each delivery in it, in parallel,
// so one slow receiver holds up at most its own; it returns how many it
// claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	ds, err := w.db.ClaimDeliveries(ctx, w.Batch, w.Lease)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.attempt(ctx, d)
		}()
	}
	wg.Wait()
	return len(ds), nil
}

// attempt sends d once and records the outcome. The outcome is recorded
// even when ctx ended during the send, so a delivered event is not sent
// again after a restart.
func (w *Worker) attempt(ctx context.Context, d *storage.Delivery) {
	code, err := w.send.Send(ctx, d, w.db.Now())
	mctx := context.WithoutCancel(ctx)
	var merr error
	switch {
	case err == nil:
		merr = w.db.MarkDelivered(mctx, d.ID, d.Attempts, code)
	case w.db.Now().Sub(d.CreatedAt) >= w.GiveUpAfter:
		merr = w.db.MarkDeliveryFailed(mctx, d.ID, d.Attempts, code, reason(err))
		w.log.Warn("webhook delivery failed for good", "delivery", d.ID, "webhook", d.WebhookID, "attempts", d.Attempts, "err", err)
	default:
		next := w.db.Now().Add(w.backoff(d.Attempts))
		merr = w.db.MarkDeliveryRetry(mctx, d.ID, d.Attempts, code, reason(err), next)
	}
	if merr != nil {
		w.log.Error("record webhook delivery", "delivery", d.ID, "err", merr)
	}
}

// reason is what the console shows of a failed attempt.
func reason(err error) string {
	if errors.Is(err, ErrRefused) {
		return "refused: " + err.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer within 10 s"
	}
	return err.Error()
}

// backoff is the wait after the attempt-th failure: MinBackoff doubling up
// to MaxBackoff, jittered by up to a fifth either way so receivers coming
// back up are not hit by every retry at once.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.MinBackoff
	for i := 1; i < attempt && d < w.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.MaxBackoff)
	j := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return max(d+j, w.MinBackoff/2)
}
