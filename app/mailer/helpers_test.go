package mailer

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomessage "github.com/emersion/go-message/mail"
	"github.com/wneessen/go-mail"

	"salon/app/mailer/smtptest"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

// testDB is an open database file and the path to reopen it by.
type testDB struct {
	*sqlite.DB
	path string
}

// openTestDB opens a fresh database in tb.TempDir and closes it at the end.
func openTestDB(tb testing.TB) *testDB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "salon.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return &testDB{DB: db, path: path}
}

// queueMail writes one queued outbox row per recipient, as the RSVP code
// would, but through a connection of its own: the enqueue helper is private
// to storage. All rows go in one transaction, so that a large backlog does
// not itself take a disk sync per row. It returns the rows' ids.
func queueMail(tb testing.TB, db *testDB, recipients ...string) []int64 {
	tb.Helper()
	conn, err := sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	now := db.Now().Unix()
	ids := make([]int64, 0, len(recipients))
	for _, to := range recipients {
		res, err := tx.Exec(`INSERT INTO outbox (kind, recipient, payload, message_id, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, tickets.NoticeConfirmed, to, `{"salon":"Fintech founders"}`,
			fmt.Sprintf("%x", seq.Add(1)+uint64(time.Now().UnixNano())), now, now)
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		ids = append(ids, id)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return ids
}

// seq keeps the made-up Message-IDs apart within one nanosecond.
var seq atomic.Uint64

// messages lists every outbox row by id.
func messages(tb testing.TB, db *testDB) map[int64]*storage.Message {
	tb.Helper()
	all, err := db.FindMessages(context.Background(), storage.OutboxFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[int64]*storage.Message{}
	for _, m := range all {
		out[m.ID] = m
	}
	return out
}

// countStatus counts outbox rows by status.
func countStatus(tb testing.TB, db *testDB) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, m := range messages(tb, db) {
		out[m.Status]++
	}
	return out
}

// waitFor polls cond until it holds or the time is up.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// testRenderer makes a small plain-text notice, the way the real notices
// will: subject and body from the row, addressing left to the worker.
var testRenderer = RendererFunc(func(_ context.Context, m *storage.Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	msg.Subject(fmt.Sprintf("You're in: %v", m.Payload["salon"]))
	msg.SetBodyString(mail.TypeTextPlain, fmt.Sprintf("Hello %s, your %s notice #%d.", m.Recipient, m.Kind, m.ID))
	return msg, nil
})

// fastOptions keep retries and polls short so outage tests take moments.
func fastOptions(extra ...Option) []Option {
	return append([]Option{WithBaseURL("https://salon.example:8443"), WithFrom("Salon <no-reply@salon.example>"),
		WithPollInterval(20 * time.Millisecond), WithBackoff(10*time.Millisecond, 40*time.Millisecond)}, extra...)
}

// newSMTP connects a Messenger to the test server and closes it at the end.
func newSMTP(tb testing.TB, srv *smtptest.Server) *SMTP {
	tb.Helper()
	cfg, err := ParseConfig(srv.URL())
	if err != nil {
		tb.Fatal(err)
	}
	m, err := NewSMTP(cfg, mail.WithTimeout(5*time.Second), mail.WithHELO("test.localhost"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

// runWorker runs w until the returned stop is called (or the test ends) and
// returns what Run returned.
func runWorker(tb testing.TB, w *Worker) (stop func() error) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				err = fmt.Errorf("worker did not stop")
			}
		})
		return err
	}
	tb.Cleanup(func() { stop() })
	return stop
}

// mustWorker builds a worker logging to the test log.
func mustWorker(tb testing.TB, db *testDB, m Messenger, opts ...Option) *Worker {
	tb.Helper()
	w, err := NewWorker(db.DB, m, testRenderer, testLogger(tb, nil), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// testLogger logs through tb (or into buf when given), safe for the
// worker's goroutine.
func testLogger(tb testing.TB, buf *lockedBuffer) *slog.Logger {
	var out io.Writer = tbWriter{tb}
	if buf != nil {
		out = buf
	}
	return slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// lockedBuffer is a bytes.Buffer the worker may write while a test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// parsed is the part of a received mail the tests check, read back with
// go-message as a mail client would.
type parsed struct {
	Subject, MessageID, From, To, Body string
}

func parseMail(tb testing.TB, data []byte) parsed {
	tb.Helper()
	r, err := gomessage.CreateReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	var p parsed
	if p.Subject, err = r.Header.Subject(); err != nil {
		tb.Fatal(err)
	}
	if p.MessageID, err = r.Header.MessageID(); err != nil {
		tb.Fatal(err)
	}
	from, err := r.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		tb.Fatalf("From: %v %v", from, err)
	}
	to, err := r.Header.AddressList("To")
	if err != nil || len(to) != 1 {
		tb.Fatalf("To: %v %v", to, err)
	}
	p.From, p.To = from[0].Address, to[0].Address
	part, err := r.NextPart()
	if err != nil {
		tb.Fatal(err)
	}
	body, err := io.ReadAll(part.Body)
	if err != nil {
		tb.Fatal(err)
	}
	p.Body = strings.TrimRight(string(body), "\r\n") // the MIME writer ends the part with a line break
	return p
}

// clock is a settable clock for db.Now, safe to move while the writer and
// worker read it.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }
