package mailer

import (
	"context"
	"errors"
	"testing"

	"github.com/wneessen/go-mail"

	"salon/app/mailer/smtptest"
	"salon/storage"
)

// TestWorker_UnbuildableFailsAtOnce: a row whose mail can never be built
// fails after one attempt, with a reason an admin can read in place of the
// library's error, and the rows beside it still go out.
func TestWorker_UnbuildableFailsAtOnce(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	ids := queueMail(t, db, "ana@example.com", `Li, "Bo <bo@example.com`, "cy@example.com")
	runWorker(t, mustWorker(t, db, newSMTP(t, srv), fastOptions()...))

	waitFor(t, "queue settled", func() bool {
		c := countStatus(t, db)
		return c[storage.OutboxSent]+c[storage.OutboxFailed] == len(ids)
	})
	rows := messages(t, db)
	bad := rows[ids[1]]
	const want = "the message could not be built: the recipient address is not valid"
	if bad.Status != storage.OutboxFailed || bad.Attempts != 1 || bad.LastError != want {
		t.Errorf("unbuildable row: status %q attempts %d error %q; want failed after 1 attempt with %q",
			bad.Status, bad.Attempts, bad.LastError, want)
	}
	if rows[ids[0]].Status != storage.OutboxSent || rows[ids[2]].Status != storage.OutboxSent {
		t.Errorf("the rows beside it: %q %q, want sent", rows[ids[0]].Status, rows[ids[2]].Status)
	}
}

// TestWorker_RendererUnbuildable: a renderer's Unbuildable error is final
// and shows only its plain reason; any other renderer error is retried.
func TestWorker_RendererUnbuildable(t *testing.T) {
	srv := smtptest.Start(t)
	db := openTestDB(t)
	ids := queueMail(t, db, "ana@example.com", "bo@example.com")
	var tries [3]int
	r := RendererFunc(func(ctx context.Context, m *storage.Message) (*mail.Msg, error) {
		tries[m.ID-ids[0]]++
		if m.ID == ids[0] {
			return nil, Unbuildable("its text could not be written", errors.New("template: mail.html: boom"))
		}
		if tries[m.ID-ids[0]] == 1 {
			return nil, errors.New("storage: database is locked")
		}
		return testRenderer(ctx, m)
	})
	w, err := NewWorker(db.DB, newSMTP(t, srv), r, testLogger(t, nil), fastOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	runWorker(t, w)
	waitFor(t, "queue settled", func() bool {
		c := countStatus(t, db)
		return c[storage.OutboxSent]+c[storage.OutboxFailed] == len(ids)
	})
	rows := messages(t, db)
	if m := rows[ids[0]]; m.Status != storage.OutboxFailed || m.Attempts != 1 ||
		m.LastError != "the message could not be built: its text could not be written" {
		t.Errorf("unbuildable: status %q attempts %d error %q", m.Status, m.Attempts, m.LastError)
	}
	if m := rows[ids[1]]; m.Status != storage.OutboxSent || m.Attempts != 2 {
		t.Errorf("passing render failure: status %q attempts %d, want sent on the second", m.Status, m.Attempts)
	}
}
