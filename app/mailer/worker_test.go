package mailer

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"salon/app/mailer/smtptest"
	"salon/storage"
	"salon/storage/sqlite"
)

func TestWorker_DeliversOverOneConnection(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	ids := queueMail(t, db, "ana@example.com", "bo@example.com", "cy@example.com", "di@example.com", "ed@example.com")
	// A poll of an hour: only the start and Wake can send in time.
	w := mustWorker(t, db, newSMTP(t, srv), fastOptions(WithPollInterval(time.Hour))...)
	runWorker(t, w)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Wait(ctx, len(ids)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "rows marked sent", func() bool { return countStatus(t, db)[storage.OutboxSent] == len(ids) })

	rows := messages(t, db)
	for i, got := range srv.Messages() {
		row := rows[ids[i]]
		p := parseMail(t, got.Data)
		want := parsed{
			Subject:   "You're in: Fintech founders",
			MessageID: row.MessageID + "@salon.example",
			From:      "no-reply@salon.example",
			To:        row.Recipient,
			Body:      fmt.Sprintf("Hello %s, your confirmed notice #%d.", row.Recipient, row.ID),
		}
		if p != want {
			t.Errorf("mail %d:\n got %+v\nwant %+v", i, p, want)
		}
		if got.From != "no-reply@salon.example" || len(got.To) != 1 || got.To[0] != row.Recipient {
			t.Errorf("envelope %d: from %q to %v", i, got.From, got.To)
		}
		if row.Attempts != 1 || row.SentAt == nil {
			t.Errorf("row %d: attempts %d sent_at %v", row.ID, row.Attempts, row.SentAt)
		}
	}
	if n := srv.Sessions(); n != 1 {
		t.Errorf("server saw %d connections, want 1 reused", n)
	}

	// A new RSVP's mail leaves at once on Wake, not at the next poll.
	more := queueMail(t, db, "fay@example.com")
	w.Wake()
	if err := srv.Wait(ctx, len(ids)+1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "woken row marked sent", func() bool { return messages(t, db)[more[0]].Status == storage.OutboxSent })
	if n := srv.Sessions(); n != 1 {
		t.Errorf("server saw %d connections after wake, want 1", n)
	}
}

func TestWorker_Outage(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	w := mustWorker(t, db, newSMTP(t, srv), fastOptions()...)
	srv.Stop()
	ids := queueMail(t, db, "ana@example.com", "bo@example.com", "cy@example.com", "di@example.com")
	runWorker(t, w)

	// Every row is tried and put back with the reason while the server is down.
	waitFor(t, "failed attempts recorded", func() bool {
		for _, m := range messages(t, db) {
			if m.Attempts < 2 || m.LastError == "" {
				return false
			}
		}
		return true
	})
	for _, m := range messages(t, db) {
		if m.Status == storage.OutboxFailed {
			t.Fatalf("message %d failed during a passing outage: %s", m.ID, m.LastError)
		}
		if !strings.Contains(m.LastError, "connect") {
			t.Errorf("message %d last error %q does not say the server was unreachable", m.ID, m.LastError)
		}
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "all rows sent", func() bool { return countStatus(t, db)[storage.OutboxSent] == len(ids) })
	byID := srv.DeliveriesByID()
	if len(byID) != len(ids) {
		t.Fatalf("received %d distinct messages, want %d: %v", len(byID), len(ids), byID)
	}
	for id, n := range byID {
		if n != 1 {
			t.Errorf("message %s delivered %d times, want once", id, n)
		}
	}
}

func TestWorker_TemporaryRepliesRetried(t *testing.T) {
	for _, code := range []int{421, 451} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := smtptest.Start(t)
			db := openTestDB(t)
			ids := queueMail(t, db, "ana@example.com")
			srv.FailNext(2, code)
			runWorker(t, mustWorker(t, db, newSMTP(t, srv), fastOptions()...))

			waitFor(t, "row sent", func() bool { return messages(t, db)[ids[0]].Status == storage.OutboxSent })
			row := messages(t, db)[ids[0]]
			if row.Attempts != 3 {
				t.Errorf("attempts = %d, want 3 (two %d replies, then accepted)", row.Attempts, code)
			}
			if n := srv.Deliveries(row.MessageID + "@salon.example"); n != 1 {
				t.Errorf("delivered %d times, want 1", n)
			}
		})
	}
}

func TestWorker_PermanentRejectionFailsOnlyThatOne(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	srv.RejectRecipient("nobody@example.com", 550)
	ids := queueMail(t, db, "ana@example.com", "nobody@example.com", "bo@example.com", "cy@example.com")
	runWorker(t, mustWorker(t, db, newSMTP(t, srv), fastOptions()...))

	waitFor(t, "queue settled", func() bool {
		c := countStatus(t, db)
		return c[storage.OutboxSent]+c[storage.OutboxFailed] == len(ids)
	})
	rows := messages(t, db)
	bad := rows[ids[1]]
	if bad.Status != storage.OutboxFailed || bad.Attempts != 1 || !strings.Contains(bad.LastError, "550") {
		t.Errorf("rejected row: status %q attempts %d error %q; want failed after 1 attempt with 550",
			bad.Status, bad.Attempts, bad.LastError)
	}
	for _, id := range []int64{ids[0], ids[2], ids[3]} {
		if rows[id].Status != storage.OutboxSent {
			t.Errorf("row %d (%s) status %q, want sent", id, rows[id].Recipient, rows[id].Status)
		}
	}
	if got := len(srv.Messages()); got != 3 {
		t.Errorf("server received %d messages, want 3", got)
	}
}

func TestWorker_CrashBetweenSendAndMark(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	ids := queueMail(t, db, "ana@example.com")

	// First run: the process "dies" right after the server accepted.
	first := newSMTP(t, srv)
	w := mustWorker(t, db, first, fastOptions()...)
	w.afterSend = func(*storage.Message) { runtime.Goexit() }
	died := make(chan struct{})
	go func() {
		defer close(died)
		w.Run(context.Background())
	}()
	select {
	case <-died:
	case <-time.After(15 * time.Second):
		t.Fatal("first worker never sent")
	}
	first.Close()
	row := messages(t, db)[ids[0]]
	if n := srv.Deliveries(row.MessageID + "@salon.example"); row.Status != storage.OutboxSending || n != 1 {
		t.Fatalf("after crash: status %q, deliveries %d; want sending, 1", row.Status, n)
	}

	// Restart: a new process opens the file again.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := sqlite.Open(context.Background(), db.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reopened.Close() })
	db2 := &testDB{DB: reopened, path: db.path}
	runWorker(t, mustWorker(t, db2, newSMTP(t, srv), fastOptions()...))

	waitFor(t, "row sent after restart", func() bool { return messages(t, db2)[ids[0]].Status == storage.OutboxSent })
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want the original and one resend", len(got))
	}
	want := "<" + row.MessageID + "@salon.example>"
	for i, m := range got {
		if id := parseMail(t, m.Data).MessageID; "<"+id+">" != want {
			t.Errorf("delivery %d has Message-ID <%s>, want %s", i, id, want)
		}
	}
	if n := messages(t, db2)[ids[0]].Attempts; n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestWorker_GivesUpAfterADay(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	c := newClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db.Clock = c.Now // before the first write, so the writer sees it without a race
	ids := queueMail(t, db, "ana@example.com")
	srv.FailNext(1_000_000, 451)
	w := mustWorker(t, db, newSMTP(t, srv), fastOptions(WithBackoff(time.Minute, time.Hour))...)
	runWorker(t, w)

	waitFor(t, "first attempt", func() bool { return messages(t, db)[ids[0]].Attempts == 1 })
	waitFor(t, "retry recorded", func() bool { return messages(t, db)[ids[0]].Status == storage.OutboxQueued })
	row := messages(t, db)[ids[0]]
	if d := row.NextAttemptAt.Sub(c.Now()); d < 48*time.Second || d > time.Minute {
		t.Errorf("first retry in %s, want 48s to 1m", d)
	}
	if !strings.Contains(row.LastError, "451") {
		t.Errorf("last error %q, want the 451 reply", row.LastError)
	}

	c.Advance(25 * time.Hour)
	w.Wake()
	waitFor(t, "given up", func() bool { return messages(t, db)[ids[0]].Status == storage.OutboxFailed })
	row = messages(t, db)[ids[0]]
	if row.Attempts != 2 || !strings.Contains(row.LastError, "gave up after 2 attempts") {
		t.Errorf("given-up row: attempts %d error %q", row.Attempts, row.LastError)
	}
}

func TestWorker_Backoff(t *testing.T) {
	w := &Worker{minBackoff: 30 * time.Second, maxBackoff: time.Hour}
	for _, tc := range []struct {
		attempt int
		max     time.Duration
	}{
		{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {4, 4 * time.Minute},
		{7, 32 * time.Minute}, {8, time.Hour}, // 64 minutes, capped
		{9, time.Hour}, {50, time.Hour},
	} {
		for range 100 {
			got := w.backoff(tc.attempt)
			want := tc.max
			if got > want || got < want*4/5 {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", tc.attempt, got, want*4/5, want)
			}
		}
	}
}

// blockingMessenger holds each Send until released, to catch a shutdown
// with a message in hand.
type blockingMessenger struct {
	entered, release chan struct{}
}

func (b *blockingMessenger) Send(context.Context, *mail.Msg) error {
	b.entered <- struct{}{}
	<-b.release
	return nil
}

func (b *blockingMessenger) Close() error { return nil }

func TestWorker_ShutdownFinishesMessageInHand(t *testing.T) {
	db := openTestDB(t)
	ids := queueMail(t, db, "ana@example.com", "bo@example.com", "cy@example.com")
	m := &blockingMessenger{entered: make(chan struct{}, 1), release: make(chan struct{})}
	stop := runWorker(t, mustWorker(t, db, m, fastOptions()...))
	<-m.entered

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(50 * time.Millisecond) // let the cancellation land mid-send
	close(m.release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	rows := messages(t, db)
	if rows[ids[0]].Status != storage.OutboxSent {
		t.Errorf("message in hand: %q, want sent", rows[ids[0]].Status)
	}
	for _, id := range ids[1:] {
		// Claimed but never tried: back in the queue, not stuck sending.
		if rows[id].Status != storage.OutboxQueued {
			t.Errorf("message %d: %q, want queued", id, rows[id].Status)
		}
	}
}

func TestWorker_NoMessengerOnlyLogs(t *testing.T) {
	db := openTestDB(t)
	ids := queueMail(t, db, "ana@example.com", "bo@example.com")
	var logs lockedBuffer
	w, err := NewWorker(db.DB, nil, nil, testLogger(t, &logs), fastOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	runWorker(t, w)
	waitFor(t, "the mail logged", func() bool { return strings.Contains(logs.String(), "no SMTP server configured") })
	time.Sleep(100 * time.Millisecond) // several polls
	// Once, with the count and the id range; nothing more while no new mail
	// comes, and no recipient address in the log.
	want := fmt.Sprintf("count=%d after_id=0 last_id=%d", len(ids), ids[len(ids)-1])
	if n := strings.Count(logs.String(), "no SMTP server configured"); n != 1 || !strings.Contains(logs.String(), want) {
		t.Errorf("want one line with %q:\n%s", want, logs.String())
	}
	if strings.Contains(logs.String(), "ana@example.com") {
		t.Errorf("an address in the log:\n%s", logs.String())
	}
	if c := countStatus(t, db); c[storage.OutboxQueued] != len(ids) {
		t.Errorf("statuses %v, want all queued", c)
	}
}

func TestNewWorker_RejectsBadSettings(t *testing.T) {
	db := openTestDB(t)
	for name, opts := range map[string][]Option{
		"from":     {WithFrom("not an address")},
		"base url": {WithBaseURL("::nope")},
		"backoff":  {WithBackoff(time.Hour, time.Minute)},
		"batch":    {WithBatchSize(0)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewWorker(db.DB, nil, testRenderer, nil, opts...); err == nil {
				t.Fatal("NewWorker accepted it")
			}
		})
	}
}
