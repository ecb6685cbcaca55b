package storagetest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// testCreateRSVPConcurrent is the overbooking test: 400 people click at once
// for 25 seats, 20 times over.
func testCreateRSVPConcurrent(t *testing.T, db *store) {
	for round := 0; round < 20; round++ {
		s := mustCreateSalon(t, db, 25, true)
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		for i := 0; i < 400; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("p%d@example.com", i)); err != nil {
					errs <- err
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		confirmed, err := db.FindTickets(context.Background(), storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusConfirmed})
		if err != nil {
			t.Fatal(err)
		}
		waiting, err := db.FindTickets(context.Background(), storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusWaitlisted})
		if err != nil {
			t.Fatal(err)
		}
		if len(confirmed) != 25 || len(waiting) != 375 {
			t.Fatalf("round %d: %d confirmed, %d waitlisted", round, len(confirmed), len(waiting))
		}
		for i, w := range waiting {
			if w.WaitlistPosition != i+1 {
				t.Fatalf("round %d: position %d at index %d", round, w.WaitlistPosition, i)
			}
		}
		got, _ := db.FindSalonBySlug(context.Background(), s.Slug)
		if got.Confirmed != 25 || got.Waitlisted != 375 || got.SeatsLeft() != 0 {
			t.Fatalf("round %d: counts %d/%d", round, got.Confirmed, got.Waitlisted)
		}
		if k := countKinds(t, db, s.ID); k[tickets.NoticeConfirmed] != 25 || k[tickets.NoticeWaitlisted] != 375 {
			t.Fatalf("round %d: outbox %v", round, k)
		}
	}
}

// testCancelRSVPConcurrentPromotion cancels 10 confirmed tickets at once,
// twice each: each freed seat goes to exactly one waitlisted person, in order.
func testCancelRSVPConcurrentPromotion(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 10, true)
	var all []*tickets.Ticket
	for i := 0; i < 30; i++ {
		tk, err := rsvp(t, db, s.Slug, fmt.Sprintf("c%d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, tk)
	}
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		for rep := 0; rep < 2; rep++ {
			wg.Add(1)
			go func(tok string) {
				defer wg.Done()
				tk, err := db.CancelRSVP(context.Background(), tok)
				if err != nil || tk.Status != tickets.StatusCancelled {
					t.Errorf("cancel: %v %v", tk, err)
				}
			}(all[i].Token)
		}
	}
	wg.Wait()
	confirmed, _ := db.FindTickets(context.Background(), storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusConfirmed})
	var ids []int
	for _, c := range confirmed {
		ids = append(ids, int(c.ID))
	}
	sort.Ints(ids)
	if len(confirmed) != 10 {
		t.Fatalf("%d confirmed after cancellations", len(confirmed))
	}
	for i, c := range confirmed {
		if c.ID != all[10+i].ID {
			t.Fatalf("promoted out of order: got %v", ids)
		}
	}
	waiting, _ := db.FindTickets(context.Background(), storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusWaitlisted})
	if len(waiting) != 10 || waiting[0].WaitlistPosition != 1 {
		t.Fatalf("waitlist %d", len(waiting))
	}
	k := countKinds(t, db, s.ID)
	if k[tickets.NoticePromoted] != 10 || k[tickets.NoticeTicketCancelled] != 10 {
		t.Fatalf("outbox %v", k)
	}
}

func testCreateRSVPRefusals(t *testing.T, db *store) {
	ctx := context.Background()
	full := mustCreateSalon(t, db, 1, false)
	if _, err := rsvp(t, db, full.Slug, "a@example.com"); err != nil {
		t.Fatal(err)
	}
	// A draft is a salon never published: a published one cannot go back.
	published := mustCreateSalon(t, db, 5, true)
	st := events.StatusDraft
	if _, err := db.UpdateSalon(ctx, published.ID, events.SalonUpdate{Status: &st}); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("published back to draft: %v", err)
	}
	d := &events.Salon{Title: "Draft", Industry: "law", StartsAt: time.Now().Add(48 * time.Hour), EndsAt: time.Now().Add(50 * time.Hour), Capacity: 3}
	if err := db.CreateSalon(ctx, d); err != nil {
		t.Fatal(err)
	}
	cancelled := mustCreateSalon(t, db, 5, true)
	c := events.StatusCancelled
	if _, err := db.UpdateSalon(ctx, cancelled.ID, events.SalonUpdate{Status: &c}); err != nil {
		t.Fatal(err)
	}
	closed := mustCreateSalon(t, db, 5, true)
	past := time.Now().Add(-time.Hour)
	if _, err := db.UpdateSalon(ctx, closed.ID, events.SalonUpdate{RSVPDeadline: &past}); err != nil {
		t.Fatal(err)
	}
	started := mustCreateSalon(t, db, 5, true)
	db.clock.set(func() time.Time { return started.StartsAt.Add(time.Minute) })
	_, startedErr := rsvp(t, db, started.Slug, "s@example.com")
	db.clock.set(time.Now)

	for name, tc := range map[string]struct {
		slug, email string
		code        string
		err         error
	}{
		"full without waitlist": {full.Slug, "b@example.com", events.ESALONFULL, nil},
		"same email other case": {full.Slug, "A@Example.COM", events.EALREADYREGISTERED, nil},
		"draft":                 {d.Slug, "b@example.com", events.ENOTFOUND, nil},
		"unknown":               {"no-such-salon", "b@example.com", events.ENOTFOUND, nil},
		"cancelled":             {cancelled.Slug, "b@example.com", events.ESALONCANCELLED, nil},
		"deadline passed":       {closed.Slug, "b@example.com", events.ERSVPCLOSED, nil},
		"started":               {"", "", events.ERSVPCLOSED, startedErr},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.err
			if tc.slug != "" {
				_, err = rsvp(t, db, tc.slug, tc.email)
			}
			if got := events.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
	// Nothing was written by the refusals but the duplicate's resend: the
	// first confirmation moments ago does not count against it.
	all, _ := db.FindTickets(ctx, storage.TicketFilter{})
	if len(all) != 1 {
		t.Fatalf("%d tickets after refusals", len(all))
	}
	if k := countKinds(t, db, full.ID); k[tickets.NoticeConfirmed] != 1 || k[tickets.NoticeAlreadyRegistered] != 1 {
		t.Fatalf("outbox %v", k)
	}
}

func testCreateRSVPAlreadyRegisteredResends(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 3, true)
	if _, err := rsvp(t, db, s.Slug, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	db.clock.set(func() time.Time { return time.Now().Add(11 * time.Minute) })
	for i := 0; i < 3; i++ {
		if _, err := rsvp(t, db, s.Slug, " ANA@example.com "); events.ErrorCode(err) != events.EALREADYREGISTERED {
			t.Fatalf("got %v", err)
		}
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticeAlreadyRegistered] != 1 {
		t.Fatalf("want exactly one throttled resend, outbox %v", k)
	}
}

// testCreateRSVPResendWindow checks that the anti-flood window counts only
// resends: the first confirmation does not hold back the resend a repeated
// RSVP asks for, and each resend holds back the next for tickets.ResendWindow.
func testCreateRSVPResendWindow(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 3, true)
	t0 := time.Now()
	at := func(d time.Duration) { db.clock.set(func() time.Time { return t0.Add(d) }) }
	at(0)
	if _, err := rsvp(t, db, s.Slug, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		after   time.Duration
		resends int
	}{{time.Minute, 1}, {2 * time.Minute, 1}, {12 * time.Minute, 2}, {13 * time.Minute, 2}} {
		at(step.after)
		if _, err := rsvp(t, db, s.Slug, "ana@example.com"); events.ErrorCode(err) != events.EALREADYREGISTERED {
			t.Fatalf("t0+%v: %v", step.after, err)
		}
		if k := countKinds(t, db, s.ID); k[tickets.NoticeAlreadyRegistered] != step.resends || k[tickets.NoticeConfirmed] != 1 {
			t.Fatalf("t0+%v: want %d resends, outbox %v", step.after, step.resends, k)
		}
	}
}

func testCreateRSVPIdempotency(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 3, true)
	in := tickets.RSVPInput{Name: "Ana", Email: "ana@example.com"}
	req := storage.RSVPRequest{Slug: s.Slug, Input: in, IdempotencyKey: "k-1"}
	first, err := db.CreateRSVP(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.CreateRSVP(context.Background(), req)
	if err != nil || !again.Replayed || again.Ticket.ID != first.Ticket.ID || again.Ticket.Status != first.Ticket.Status {
		t.Fatalf("replay: %+v %v", again, err)
	}
	// Anyone who has the key and the body gets the replay, so it carries
	// nothing that acts as the ticket: the confirmation mail does.
	if again.Ticket.Token != "" || again.FeedToken != "" {
		t.Fatalf("replay handed out the manage token %q or feed token %q", again.Ticket.Token, again.FeedToken)
	}
	req.Input.Name = "Someone else"
	if _, err := db.CreateRSVP(context.Background(), req); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("reused key with other body: %v", err)
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticeConfirmed] != 1 {
		t.Fatalf("outbox %v", k)
	}
}

func testUpdateSalonCapacity(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 2, true)
	for i := 0; i < 5; i++ {
		if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("u%d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	four := 4
	got, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &four})
	if err != nil || got.Confirmed != 4 || got.Waitlisted != 1 {
		t.Fatalf("more capacity: %+v %v", got, err)
	}
	one := 1
	got, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &one})
	if err != nil || got.Confirmed != 4 || got.SeatsLeft() != 0 {
		t.Fatalf("less capacity removed someone: %+v %v", got, err)
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticePromoted] != 2 || k[tickets.NoticeSalonChanged] != 0 {
		t.Fatalf("outbox %v", k)
	}
	venue := "New venue"
	got, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Venue: &venue})
	if err != nil || got.Sequence != 1 {
		t.Fatalf("venue change: %+v %v", got, err)
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticeSalonChanged] != 5 {
		t.Fatalf("want a change notice for all 5 active tickets, outbox %v", k)
	}
	c := events.StatusCancelled
	got, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Status: &c})
	if err != nil || got.Sequence != 2 {
		t.Fatalf("cancel: %+v %v", got, err)
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticeSalonCancelled] != 5 {
		t.Fatalf("outbox %v", k)
	}
	p := events.StatusPublished
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Status: &p}); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("reopen cancelled: %v", err)
	}
}

func testCreateSalonSlugs(t *testing.T, db *store) {
	a := mustCreateSalon(t, db, 1, true)
	b := mustCreateSalon(t, db, 1, true)
	if a.Slug != "fintech-founders" || b.Slug != "fintech-founders-2" {
		t.Fatalf("slugs %q %q", a.Slug, b.Slug)
	}
	c := &events.Salon{Slug: a.Slug, Title: "x", Industry: "law", StartsAt: a.StartsAt, EndsAt: a.EndsAt, Capacity: 1}
	if err := db.CreateSalon(context.Background(), c); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("explicit taken slug: %v", err)
	}
}

func testChangeVersions(t *testing.T, db *store) {
	s0, t0 := db.SalonsVersion(), db.TicketsVersion()
	s := mustCreateSalon(t, db, 1, true)
	if db.SalonsVersion() == s0 {
		t.Fatal("creating a salon did not raise the salons version")
	}
	tk, err := rsvp(t, db, s.Slug, "v@example.com")
	if err != nil || db.TicketsVersion() == t0 {
		t.Fatalf("an RSVP did not raise the tickets version: %v", err)
	}
	s1, t1 := db.SalonsVersion(), db.TicketsVersion()
	if _, err := rsvp(t, db, "no-such", "v@example.com"); err == nil {
		t.Fatal("rsvp to unknown salon")
	}
	// This refusal comes before the write registers its change; a write
	// that registers one and then fails is TestAfterCommit_OnlyForWritesThatCommitted.
	if db.SalonsVersion() != s1 || db.TicketsVersion() != t1 {
		t.Fatal("a refused write raised a version")
	}
	if _, err := db.CancelRSVP(context.Background(), tk.Token); err != nil || db.TicketsVersion() == t1 {
		t.Fatalf("a cancellation did not raise the tickets version: %v", err)
	}
}

// testCreateRSVPFeedToken checks the feed token an RSVP answers with, which is
// derived after the write from what the write read: it is the email's
// current token, for a new ticket and a second salon; an idempotent replay
// after the feed was revoked answers none.
func testCreateRSVPFeedToken(t *testing.T, db *store) {
	ctx := context.Background()
	a := mustCreateSalon(t, db, 3, true)
	b := mustCreateSalon(t, db, 3, true)
	take := func(slug, key string) *storage.RSVPResult {
		t.Helper()
		in := tickets.RSVPInput{Name: "Ana", Email: "ana@example.com"}
		in.Normalize()
		res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: slug, Input: in, IdempotencyKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	current := func() string {
		t.Helper()
		tok, err := db.FeedToken(ctx, "ana@example.com")
		if err != nil || tok == "" {
			t.Fatalf("feed token %q: %v", tok, err)
		}
		return tok
	}
	first := take(a.Slug, "k-1")
	if first.FeedToken != current() {
		t.Fatalf("new RSVP answered feed token %q, want %q", first.FeedToken, current())
	}
	if second := take(b.Slug, ""); second.FeedToken != first.FeedToken {
		t.Fatalf("second salon answered feed token %q, want the email's %q", second.FeedToken, first.FeedToken)
	}
	revoked, err := db.RevokeFeed(ctx, "ana@example.com")
	if err != nil || revoked == first.FeedToken || revoked != current() {
		t.Fatalf("revoke: %q %v", revoked, err)
	}
	// A replay after the revoke must not hand the new link to whoever
	// holds the old key and body.
	if replay := take(a.Slug, "k-1"); replay.Ticket.ID != first.Ticket.ID || replay.FeedToken != "" {
		t.Fatalf("replay answered ticket %d feed %q, want %d and no feed", replay.Ticket.ID, replay.FeedToken, first.Ticket.ID)
	}
}

// testCancelRSVPToken checks the token check CancelRSVP makes before the
// write: a forged or unknown token cancels nothing, the right one cancels
// and mails the ticket's owner in the ticket's language.
func testCancelRSVPToken(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 3, true)
	in := tickets.RSVPInput{Name: "Ana", Email: "ana@example.com", Lang: "zh"}
	in.Normalize()
	res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in})
	if err != nil {
		t.Fatal(err)
	}
	tk := res.Ticket
	last := tk.Token[len(tk.Token)-1]
	swap := byte('A')
	if last == 'A' {
		swap = 'B'
	}
	forged := tk.Token[:len(tk.Token)-1] + string(swap)
	other, err := rsvp(t, db, s.Slug, "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	mac := strings.TrimPrefix(tk.Token, strconv.FormatInt(tk.ID, 36))
	for name, tok := range map[string]string{
		"forged":   forged,
		"other id": strconv.FormatInt(other.ID, 36) + mac,
		"unknown":  strconv.FormatInt(999999, 36) + mac,
		"garbage":  "not-a-token",
		"empty":    "",
	} {
		if _, err := db.CancelRSVP(ctx, tok); events.ErrorCode(err) != events.ENOTFOUND {
			t.Errorf("%s token: %v, want not found", name, err)
		}
	}
	if got, _ := db.FindTicketByID(ctx, s.ID, tk.ID); got.Status != tickets.StatusConfirmed {
		t.Fatalf("a refused token changed the ticket: %s", got.Status)
	}
	got, err := db.CancelRSVP(ctx, tk.Token)
	if err != nil || got.ID != tk.ID || got.Status != tickets.StatusCancelled {
		t.Fatalf("cancel: %+v %v", got, err)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	var notices int
	for _, m := range msgs {
		if m.Kind == tickets.NoticeTicketCancelled {
			notices++
			if m.TicketID != tk.ID || m.Recipient != "ana@example.com" || m.Lang != "zh" {
				t.Errorf("cancel notice for ticket %d to %q in %q, want %d ana@example.com zh", m.TicketID, m.Recipient, m.Lang, tk.ID)
			}
		}
	}
	if notices != 1 {
		t.Fatalf("%d cancel notices", notices)
	}
}
