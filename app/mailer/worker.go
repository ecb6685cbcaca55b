package mailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"net/url"
	"time"

	"github.com/wneessen/go-mail"

	"salon/events"
	"salon/storage"
)

// Renderer turns an outbox row into the mail to send. The worker fills in
// what the renderer leaves unset: From, To (the row's recipient, when the
// mail has no recipient at all) and always the Message-ID.
type Renderer interface {
	Render(ctx context.Context, m *storage.Message) (*mail.Msg, error)
}

// RendererFunc lets a plain function serve as a Renderer.
type RendererFunc func(ctx context.Context, m *storage.Message) (*mail.Msg, error)

// Render calls f.
func (f RendererFunc) Render(ctx context.Context, m *storage.Message) (*mail.Msg, error) {
	return f(ctx, m)
}

// Defaults for a Worker; each has an Option.
const (
	DefaultPollInterval = 2 * time.Second
	DefaultMinBackoff   = 30 * time.Second
	DefaultMaxBackoff   = time.Hour
	DefaultGiveUpAfter  = 24 * time.Hour
	DefaultBatchSize    = 16
	DefaultFrom         = "Salon <no-reply@localhost>"
)

// sendTimeout bounds the message in hand once shutdown has begun, so a
// stalled server cannot hold the process past its stop deadline for ever.
const sendTimeout = 2 * time.Minute

// Worker sends the outbox: it claims due messages, renders, sends and marks
// each, retrying passing failures with growing back-off until GiveUpAfter
// from the message's creation. Run it once per database.
type Worker struct {
	db  storage.Store
	m   Messenger
	r   Renderer
	log *slog.Logger

	from        string
	fromAddr    *netmail.Address
	baseURL     string
	host        string
	poll        time.Duration
	minBackoff  time.Duration
	maxBackoff  time.Duration
	giveUpAfter time.Duration
	batch       int

	wake chan struct{}
	// afterSend, when set by a test, runs between a successful send and
	// MarkSent: the window a crash would hit.
	afterSend func(*storage.Message)
	// lastLogged is the newest message reported in log-only mode.
	lastLogged int64
}

// Option changes a Worker default.
type Option func(*Worker)

// WithFrom sets the From address for messages the renderer leaves without
// one (the --mail-from flag). The app's notice renderer sets From itself, so
// there this only checks the address at start-up; renderers that leave
// addressing to the worker, as this package's tests do, rely on it.
func WithFrom(from string) Option { return func(w *Worker) { w.from = from } }

// WithBaseURL sets the public base URL (--base-url); its host names the
// Message-IDs, so they point at this server.
func WithBaseURL(u string) Option { return func(w *Worker) { w.baseURL = u } }

// WithPollInterval sets how often the queue is checked without a Wake.
func WithPollInterval(d time.Duration) Option { return func(w *Worker) { w.poll = d } }

// WithBackoff sets the first retry delay and its cap; the delay doubles per
// attempt in between.
func WithBackoff(first, max time.Duration) Option {
	return func(w *Worker) { w.minBackoff, w.maxBackoff = first, max }
}

// WithGiveUpAfter sets how long after its creation a message keeps being
// retried before it is marked failed.
func WithGiveUpAfter(d time.Duration) Option { return func(w *Worker) { w.giveUpAfter = d } }

// WithBatchSize sets how many messages one claim takes.
func WithBatchSize(n int) Option { return func(w *Worker) { w.batch = n } }

// NewWorker makes a Worker. m may be nil (no --smtp): mail then stays queued
// and is only logged. The worker does not close m; its owner does, after Run
// returns. The error reports a bad From address or base URL.
func NewWorker(db storage.Store, m Messenger, r Renderer, log *slog.Logger, opts ...Option) (*Worker, error) {
	if log == nil {
		log = slog.Default()
	}
	w := &Worker{
		db: db, m: m, r: r, log: log.With("component", "mailer"),
		from: DefaultFrom, baseURL: "http://localhost", poll: DefaultPollInterval,
		minBackoff: DefaultMinBackoff, maxBackoff: DefaultMaxBackoff,
		giveUpAfter: DefaultGiveUpAfter, batch: DefaultBatchSize,
		wake: make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(w)
	}
	from, err := netmail.ParseAddress(w.from)
	if err != nil {
		return nil, fmt.Errorf("mailer: unable to use %q as From address: %w", w.from, err)
	}
	w.fromAddr = from
	u, err := url.Parse(w.baseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("mailer: unable to take a host for Message-IDs from base URL %q", w.baseURL)
	}
	w.host = u.Hostname()
	if w.poll <= 0 || w.minBackoff <= 0 || w.maxBackoff < w.minBackoff || w.giveUpAfter <= 0 || w.batch <= 0 {
		return nil, fmt.Errorf("mailer: worker intervals and batch size must be positive")
	}
	if r == nil && m != nil {
		return nil, fmt.Errorf("mailer: a worker that sends needs a renderer")
	}
	return w, nil
}

// Wake asks the worker to look at the queue now rather than at the next
// poll, so a new RSVP's confirmation goes out at once. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx is cancelled, then finishes the message in hand and
// returns nil. It first requeues what a previous run left in flight. It
// returns an error only when the database is gone.
func (w *Worker) Run(ctx context.Context) error {
	n, err := w.db.RequeueInFlight(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("mailer: unable to start: %w", err)
	}
	if n > 0 {
		w.log.Warn("requeued mail left in flight by the last run; receivers may see it twice", "count", n)
	}
	poll := time.NewTimer(0)
	defer poll.Stop()
	// Without SMTP nothing is sent, so nothing is urgent: the worker only
	// reports new mail at each poll instead of waking on every RSVP.
	wake := w.wake
	if w.m == nil {
		wake = nil
	}
	for {
		if w.m == nil {
			err = w.logQueued(ctx)
		} else {
			err = w.drain(ctx)
		}
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, storage.ErrClosed) {
			return fmt.Errorf("mailer: unable to go on: %w", err)
		} else if err != nil {
			w.log.Error("unable to work the outbox", "err", err)
		}
		poll.Reset(w.poll)
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-poll.C:
		}
	}
}

// drain sends due messages until none is left. After a connection failure
// it marks the rest of the batch with the same error instead of dialing for
// each, and stops until the next poll.
func (w *Worker) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		msgs, err := w.db.ClaimMessages(ctx, w.batch)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			return nil
		}
		var down error
		for i, m := range msgs {
			if ctx.Err() != nil {
				w.release(ctx, msgs[i:])
				return nil
			}
			if down != nil {
				w.settle(ctx, m, down)
				continue
			}
			if err := w.deliver(ctx, m); isConnError(err) {
				down = err
			}
		}
		if down != nil {
			return nil
		}
	}
	return nil
}

// deliver renders, sends and marks one claimed message, and returns the
// send error, if any, after recording it.
func (w *Worker) deliver(ctx context.Context, m *storage.Message) error {
	// The message in hand is finished even when shutdown begins.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	defer cancel()
	msg, err := w.render(ctx, m)
	if err == nil {
		err = w.m.Send(ctx, msg)
	}
	if err != nil {
		w.settle(ctx, m, err)
		return err
	}
	if w.afterSend != nil {
		w.afterSend(m)
	}
	if err := w.db.MarkSent(ctx, m.ID, m.Claim); events.ErrorCode(err) == events.ECONFLICT {
		// This worker held the message past its lease and another took it
		// over: that one's outcome stands, and the receiver sees the same
		// Message-ID twice at most.
		w.log.Warn("sent mail after losing its lease to another worker", "id", m.ID, "err", err)
		return nil
	} else if err != nil {
		// The row stays sending until its lease runs out, then it is sent
		// again under the same Message-ID: a duplicate, never a loss.
		w.log.Error("sent mail but unable to record it", "id", m.ID, "err", err)
		return nil
	}
	w.log.Debug("mail sent", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	return nil
}

// render asks the Renderer for the mail and addresses it.
func (w *Worker) render(ctx context.Context, m *storage.Message) (*mail.Msg, error) {
	msg, err := w.r.Render(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("mailer: unable to render %s notice: %w", m.Kind, err)
	}
	if msg == nil {
		return nil, Unbuildable("nothing was rendered", fmt.Errorf("mailer: renderer gave no mail for %s notice", m.Kind))
	}
	// A stable Message-ID lets the receiver recognise a resend after a crash.
	msg.SetMessageIDWithValue(m.MessageID + "@" + w.host)
	if len(msg.GetFrom()) == 0 {
		from := *w.fromAddr
		msg.FromMailAddress(&from)
	}
	if rcpts, _ := msg.GetRecipients(); len(rcpts) == 0 {
		if err := To(msg, "", m.Recipient); err != nil {
			return nil, Unbuildable("the recipient address is not valid", err)
		}
	}
	return msg, nil
}

// settle records a failed attempt: failed at once when permanent or past
// the give-up time, otherwise queued again after a back-off.
func (w *Worker) settle(ctx context.Context, m *storage.Message, sendErr error) {
	ctx = context.WithoutCancel(ctx)
	now := w.db.Now()
	deadline := m.CreatedAt.Add(w.giveUpAfter)
	var err error
	switch {
	case IsPermanent(sendErr):
		w.log.Warn("mail rejected for good", "id", m.ID, "kind", m.Kind, "err", sendErr)
		err = w.db.MarkFailed(ctx, m.ID, m.Claim, adminReason(sendErr))
	case !now.Before(deadline):
		w.log.Warn("mail given up", "id", m.ID, "kind", m.Kind, "attempts", m.Attempts, "err", sendErr)
		err = w.db.MarkFailed(ctx, m.ID, m.Claim, fmt.Sprintf("gave up after %d attempts: %v", m.Attempts, sendErr))
	default:
		next := now.Add(w.backoff(m.Attempts))
		if next.After(deadline) {
			next = deadline // one last try at the deadline
		}
		w.log.Info("mail will be retried", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "next", next, "err", sendErr)
		err = w.db.MarkRetry(ctx, m.ID, m.Claim, sendErr.Error(), next)
	}
	if err != nil {
		w.log.Error("unable to record mail outcome", "id", m.ID, "err", err)
	}
}

// backoff is the delay after the given attempt (1 for the first): doubling
// from minBackoff, capped at maxBackoff, less up to a fifth at random so
// that messages failed together do not come back together.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.minBackoff
	for i := 1; i < attempt && d < w.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.maxBackoff)
	return d - rand.N(d/5+1)
}

// release puts claimed messages that shutdown kept from being tried back in
// the queue, due now, so they do not wait for the next start.
func (w *Worker) release(ctx context.Context, msgs []*storage.Message) {
	ctx = context.WithoutCancel(ctx)
	now := w.db.Now()
	for _, m := range msgs {
		if err := w.db.MarkRetry(ctx, m.ID, m.Claim, m.LastError, now); err != nil {
			w.log.Error("unable to release mail at shutdown", "id", m.ID, "err", err)
		}
	}
}

// logQueued reports new queued mail once, for a server with no SMTP
// configured: the mail stays in the outbox for admins to see (the console's
// outbox page, GET /api/v1/outbox). One line per look, with the count and
// the id range, rather than one per message: under a burst of RSVPs a line
// each was a write to the log per RSVP, and it put attendees' addresses in
// the log.
func (w *Worker) logQueued(ctx context.Context) error {
	n, last, err := w.db.QueuedAfter(ctx, w.lastLogged)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("mail not sent: no SMTP server configured; it stays in the outbox",
			"count", n, "after_id", w.lastLogged, "last_id", last)
	}
	w.lastLogged = last
	return nil
}

func isConnError(err error) bool {
	var ce *connError
	return errors.As(err, &ce)
}
