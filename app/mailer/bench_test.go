package mailer

import (
	"context"
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
	backlog := make([]string, b.N)
	for i := range backlog {
		backlog[i] = fmt.Sprintf("guest%d@example.com", i)
	}
	queueMail(b, db, backlog...)
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
