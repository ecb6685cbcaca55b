package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/app/mailer/smtptest"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// TestMail_ErasedTicketNeverMailed: a notice queued for a ticket that is
// erased before the worker reaches it is never sent, while the waitlisted
// guest promoted into the freed seat is mailed.
func TestMail_ErasedTicketNeverMailed(t *testing.T) {
	smtp := smtptest.Start(t)
	ta := apptest.New(t, func(c *app.Config) { c.SMTP = smtp.URL() })
	slug := ta.Salon(`"capacity":1`)
	ana, _ := ta.RSVPToken(slug, "ana@example.com")
	ta.RSVPToken(slug, "bob@example.com")
	if s, out := ta.JSON("POST", "/api/v1/tickets/"+ana+"/erase", "", ""); s != 200 {
		t.Fatalf("erase: %d %v", s, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := ta.Srv.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	defer ta.Srv.Wait()
	defer cancel()
	// Bob's waitlist notice and his promotion.
	apptest.WaitMail(t, smtp, 2)
	time.Sleep(300 * time.Millisecond) // room for a third mail that must not come
	msgs := smtp.Messages()
	for _, m := range msgs {
		if strings.Join(m.To, ",") != "bob@example.com" || strings.Contains(string(m.Data), "ana@example.com") {
			t.Errorf("mail to %v after the erasure", m.To)
		}
	}
	if len(msgs) != 2 {
		t.Errorf("%d mails, want bob's two", len(msgs))
	}
	queued, _ := ta.DB.FindMessages(ctx, storage.OutboxFilter{Status: storage.OutboxQueued})
	if len(queued) != 0 {
		t.Errorf("%d messages still queued", len(queued))
	}
}

// TestRetention_ErasesEndedSalons: the retention job erases the attendees
// of salons that ended more than --retention-days ago by the store's clock,
// and no others; with 0 days it erases nothing.
func TestRetention_ErasesEndedSalons(t *testing.T) {
	for _, days := range []int{0, 365} {
		ta := apptest.New(t, func(c *app.Config) { c.RetentionDays = days })
		ctx := context.Background()
		now := time.Now()
		ta.DB.Clock = func() time.Time { return now.AddDate(0, 0, -400) }
		start := now.AddDate(0, 0, -393).Truncate(time.Hour)
		old := &events.Salon{Title: "Last year", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Capacity: 5, Status: events.StatusPublished}
		if err := ta.DB.CreateSalon(ctx, old); err != nil {
			t.Fatal(err)
		}
		in := tickets.RSVPInput{Name: "Ana Lima", Email: "ana@example.com"}
		in.Normalize()
		res, err := ta.DB.CreateRSVP(ctx, storage.RSVPRequest{Slug: old.Slug, Input: in})
		if err != nil {
			t.Fatal(err)
		}
		ta.DB.Clock = time.Now
		slug := ta.Salon("")
		ta.RSVPToken(slug, "bob@example.com")

		n, err := ta.Srv.EraseExpired(ctx)
		want := 1
		if days == 0 {
			want = 0
		}
		if err != nil || n != want {
			t.Fatalf("%d days: erased %d (%v), want %d", days, n, err, want)
		}
		got, _ := ta.DB.FindTicketByID(ctx, old.ID, res.Ticket.ID)
		if got.Erased() != (days != 0) {
			t.Fatalf("%d days: old ticket %+v", days, got)
		}
		if days == 0 {
			continue
		}
		// Two years on, by the store's clock, the recent salon's turn.
		ta.DB.Clock = func() time.Time { return now.AddDate(2, 0, 0) }
		if n, err := ta.Srv.EraseExpired(ctx); err != nil || n != 1 {
			t.Fatalf("two years on: erased %d (%v), want 1", n, err)
		}
		if left, _ := ta.DB.FindTickets(ctx, storage.TicketFilter{Email: "bob@example.com"}); len(left) != 0 {
			t.Fatalf("bob's ticket kept: %+v", left[0])
		}
	}
}
