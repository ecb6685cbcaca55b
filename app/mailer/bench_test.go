package mailer

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"salon/app/mailer/smtptest"
	"salon/storage"
)

// BenchmarkOutboxDrain measures how fast a backlog of b.N queued notices
// leaves for a local SMTP server: claim, render, send over the one
// connection, mark sent, each durable.
func BenchmarkOutboxDrain(b *testing.B) {
	srv := smtptest.Start(b)
	db := openTestDB(b)
	queueMany(b, db, b.N)
	w, err := NewWorker(db.DB, newSMTP(b, srv), testRenderer, slog.New(slog.DiscardHandler),
		WithBaseURL("https://salon.example"), WithPollInterval(time.Hour))
	if err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	start := time.Now()
	stop := runWorker(b, w)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := srv.Wait(ctx, b.N); err != nil {
		b.Fatal(err)
	}
	waitFor(b, "rows marked sent", func() bool {
		msgs, err := db.FindMessages(ctx, storage.OutboxFilter{Status: storage.OutboxSent, Limit: b.N})
		return err == nil && len(msgs) == b.N
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if err := stop(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// queueMany writes n queued rows in one transaction, so that setting up a
// large backlog does not itself take a disk sync per row.
func queueMany(tb testing.TB, db *testDB, n int) {
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
	for i := range n {
		if _, err := tx.Exec(`INSERT INTO outbox (kind, recipient, payload, message_id, next_attempt_at, created_at)
			VALUES (?, ?, '{"salon":"Fintech founders"}', ?, ?, ?)`, storage.KindConfirmed,
			fmt.Sprintf("guest%d@example.com", i), fmt.Sprintf("%x-%d", seq.Add(1), i), now, now); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
