package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// queueClock is a settable clock that the writer goroutine may read while a
// test moves it.
type queueClock struct{ ns atomic.Int64 }

func (c *queueClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *queueClock) Set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *queueClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// openQueueDB opens a fresh database file whose clock the test controls. The
// clock is set before the first write, so the writer sees it without a race.
func openQueueDB(tb testing.TB) (*DB, *queueClock) {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "salon.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	clock := &queueClock{}
	clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db.Clock = clock.Now
	return db, clock
}

// queueTestMessages writes n queued notices without a salon or ticket, the
// way enqueue does, and returns their ids in order.
func queueTestMessages(tb testing.TB, db *DB, n int) []int64 {
	tb.Helper()
	ids := make([]int64, 0, n)
	err := db.update(context.Background(), func(tx *Tx) error {
		for i := range n {
			res, err := tx.ExecContext(context.Background(), `INSERT INTO outbox (kind, recipient, payload, message_id,
				next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`, tickets.NoticeConfirmed,
				fmt.Sprintf("guest%d@example.com", i), `{"n":`+fmt.Sprint(i)+`}`,
				fmt.Sprintf("test-%d-%d", time.Now().UnixNano(), i), tx.now.Unix(), tx.now.Unix())
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// mustMessage reads one message back by id.
func mustMessage(tb testing.TB, db *DB, id int64) *storage.Message {
	tb.Helper()
	all, err := db.FindMessages(context.Background(), storage.OutboxFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range all {
		if m.ID == id {
			return m
		}
	}
	tb.Fatalf("message %d not found", id)
	return nil
}

// claimOf is the current claim of message id, as its claimer holds it.
func claimOf(tb testing.TB, db *DB, id int64) int64 {
	tb.Helper()
	return mustMessage(tb, db, id).Claim
}

func claimIDs(tb testing.TB, db *DB, limit int) []int64 {
	tb.Helper()
	msgs, err := db.ClaimMessages(context.Background(), limit)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for _, m := range msgs {
		if m.Status != storage.OutboxSending {
			tb.Errorf("claimed message %d has status %q", m.ID, m.Status)
		}
		ids = append(ids, m.ID)
	}
	return ids
}

func TestClaimMessages_OldestFirstAndOnce(t *testing.T) {
	db, _ := openQueueDB(t)
	ids := queueTestMessages(t, db, 3)

	got := claimIDs(t, db, 2)
	if fmt.Sprint(got) != fmt.Sprint(ids[:2]) {
		t.Fatalf("first claim = %v, want %v", got, ids[:2])
	}
	m := mustMessage(t, db, ids[0])
	if m.Status != storage.OutboxSending || m.Attempts != 1 {
		t.Errorf("claimed row: status %q attempts %d, want sending 1", m.Status, m.Attempts)
	}
	if m.Payload["n"] != float64(0) {
		t.Errorf("payload = %v", m.Payload)
	}
	if got := claimIDs(t, db, 10); fmt.Sprint(got) != fmt.Sprint(ids[2:]) {
		t.Fatalf("second claim = %v, want %v", got, ids[2:])
	}
	if got := claimIDs(t, db, 10); len(got) != 0 {
		t.Fatalf("third claim = %v, want none", got)
	}
	if got := claimIDs(t, db, 0); len(got) != 0 {
		t.Fatalf("claim with limit 0 = %v", got)
	}
}

func TestMarkRetry_DueLater(t *testing.T) {
	db, clock := openQueueDB(t)
	ids := queueTestMessages(t, db, 1)
	claimIDs(t, db, 1)
	if err := db.MarkRetry(context.Background(), ids[0], claimOf(t, db, ids[0]), "451 try later", clock.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	m := mustMessage(t, db, ids[0])
	if m.Status != storage.OutboxQueued || m.LastError != "451 try later" || !m.NextAttemptAt.Equal(clock.Now().Add(time.Minute)) {
		t.Fatalf("after retry: %+v", m)
	}
	if got := claimIDs(t, db, 10); len(got) != 0 {
		t.Fatalf("claimed before due: %v", got)
	}
	clock.Advance(time.Minute)
	if got := claimIDs(t, db, 10); len(got) != 1 {
		t.Fatalf("claimed when due: %v", got)
	}
	if m := mustMessage(t, db, ids[0]); m.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", m.Attempts)
	}
}

func TestMarkSent(t *testing.T) {
	ctx := context.Background()
	db, clock := openQueueDB(t)
	ids := queueTestMessages(t, db, 1)
	claimIDs(t, db, 1)
	if err := db.MarkSent(ctx, ids[0], claimOf(t, db, ids[0])); err != nil {
		t.Fatal(err)
	}
	m := mustMessage(t, db, ids[0])
	if m.Status != storage.OutboxSent || m.SentAt == nil || !m.SentAt.Equal(clock.Now()) {
		t.Fatalf("after sent: %+v", m)
	}
	for name, tc := range map[string]struct {
		id   int64
		code string
	}{
		"already sent": {ids[0], events.ECONFLICT},
		"unknown":      {ids[0] + 100, events.ENOTFOUND},
	} {
		t.Run(name, func(t *testing.T) {
			err := db.MarkSent(ctx, tc.id, 1)
			if code := events.ErrorCode(err); code != tc.code {
				t.Fatalf("MarkSent: %v (code %q), want %q", err, code, tc.code)
			}
		})
	}
}

func TestMarkFailedThenRetryMessage(t *testing.T) {
	ctx := context.Background()
	db, clock := openQueueDB(t)
	ids := queueTestMessages(t, db, 1)
	claimIDs(t, db, 1)

	if err := db.RetryMessage(ctx, ids[0]); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("retry of a message in flight: %v, want conflict", err)
	}
	if err := db.MarkFailed(ctx, ids[0], claimOf(t, db, ids[0]), "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if m := mustMessage(t, db, ids[0]); m.Status != storage.OutboxFailed || m.LastError != "550 no such user" {
		t.Fatalf("after failed: %+v", m)
	}
	if got := claimIDs(t, db, 10); len(got) != 0 {
		t.Fatalf("claimed a failed message: %v", got)
	}

	clock.Advance(time.Hour)
	if err := db.RetryMessage(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	m := mustMessage(t, db, ids[0])
	if m.Status != storage.OutboxQueued || !m.NextAttemptAt.Equal(clock.Now()) {
		t.Fatalf("after admin retry: %+v", m)
	}
	if got := claimIDs(t, db, 10); len(got) != 1 {
		t.Fatalf("claim after admin retry: %v", got)
	}
}

func TestRequeueInFlight(t *testing.T) {
	ctx := context.Background()
	db, _ := openQueueDB(t)
	ids := queueTestMessages(t, db, 3)
	claimIDs(t, db, 2)
	if err := db.MarkSent(ctx, ids[0], claimOf(t, db, ids[0])); err != nil {
		t.Fatal(err)
	}
	n, err := db.RequeueInFlight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("requeued %d, want 1", n)
	}
	if m := mustMessage(t, db, ids[1]); m.Status != storage.OutboxQueued {
		t.Fatalf("status = %q, want queued", m.Status)
	}
	if got := claimIDs(t, db, 10); fmt.Sprint(got) != fmt.Sprint(ids[1:]) {
		t.Fatalf("claim after requeue = %v, want %v", got, ids[1:])
	}
}

func TestMarkFailed_TruncatesError(t *testing.T) {
	db, _ := openQueueDB(t)
	ids := queueTestMessages(t, db, 1)
	claimIDs(t, db, 1)
	// Two-byte runes put the 500-byte limit in the middle of one.
	long := "x" + strings.Repeat("é", 400)
	if err := db.MarkFailed(context.Background(), ids[0], claimOf(t, db, ids[0]), long); err != nil {
		t.Fatal(err)
	}
	got := mustMessage(t, db, ids[0]).LastError
	if len(got) > storage.MaxErrorText || len(got) < storage.MaxErrorText-1 || !utf8.ValidString(got) || !strings.HasPrefix(long, got) {
		t.Fatalf("stored error of %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}
}

func TestClaimMessages_ClosedDB(t *testing.T) {
	db, _ := openQueueDB(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimMessages(context.Background(), 1); !errors.Is(err, storage.ErrClosed) {
		t.Fatalf("claim on closed db: %v, want ErrClosed", err)
	}
}
