package storagetest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

func init() {
	contracts = append(contracts,
		contract{"EmailLink_ExportErase", testEmailLinkExportErase},
		contract{"EmailLink_Limits", testEmailLinkLimits},
		contract{"EmailLink_Concurrent", testEmailLinkConcurrent},
	)
}

// linkURL is what the tests' mailed links start with.
const linkURL = "https://salon.example/me/"

// emailLink asks for a link for tk's address, failing the test on error.
func emailLink(t *testing.T, db storage.Store, tk *tickets.Ticket) string {
	t.Helper()
	tok, err := db.CreateEmailLink(context.Background(), storage.EmailLinkRequest{TicketToken: tk.Token, MailURL: linkURL, Lang: "zh"})
	if err != nil {
		t.Fatalf("email link: %v", err)
	}
	return tok
}

// linkMail is the email link mails of ticket id.
func linkMail(t *testing.T, db storage.Store, id int64) []*storage.Message {
	t.Helper()
	msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{TicketID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []*storage.Message
	for _, m := range msgs {
		if m.Kind == tickets.NoticeEmailLink {
			out = append(out, m)
		}
	}
	return out
}

// testEmailLinkExportErase: a link mailed to an address opens every ticket
// of that address and no other; erasing through it erases them all in one
// write, frees the seats with promotion, and ends the link.
func testEmailLinkExportErase(t *testing.T, db *store) {
	ctx := context.Background()
	a, b, c := mustCreateSalon(t, db, 1, true), mustCreateSalon(t, db, 1, true), mustCreateSalon(t, db, 5, true)
	anaA, _ := rsvp(t, db, a.Slug, "ana@example.com")
	bobA, _ := rsvp(t, db, a.Slug, "bob@example.com") // waitlisted behind Ana
	carlB, _ := rsvp(t, db, b.Slug, "carl@example.com")
	anaB, _ := rsvp(t, db, b.Slug, "ana@example.com") // waitlisted
	anaC, _ := rsvp(t, db, c.Slug, "ana@example.com")
	if _, err := db.CancelRSVP(ctx, anaC.Token); err != nil {
		t.Fatal(err)
	}
	if bobA.Status != tickets.StatusWaitlisted || anaB.Status != tickets.StatusWaitlisted {
		t.Fatalf("set-up: bob %s, ana at b %s", bobA.Status, anaB.Status)
	}

	tok := emailLink(t, db, anaB)
	mail := linkMail(t, db, anaB.ID)
	if len(mail) != 1 || mail[0].Recipient != "ana@example.com" || mail[0].Lang != "zh" || mail[0].SalonID != 0 ||
		mail[0].Payload["url"] != linkURL+tok || mail[0].Status != storage.OutboxQueued {
		t.Fatalf("link mail: %+v", mail)
	}
	if len(tok) < 40 {
		t.Fatalf("token %q is short", tok)
	}
	l, err := db.FindEmailLink(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, et := range l.Tickets {
		ids = append(ids, strconv.FormatInt(et.TicketID, 10)+"@"+et.Salon.Slug+":"+et.Status)
	}
	want := []string{strconv.FormatInt(anaA.ID, 10) + "@" + a.Slug + ":confirmed",
		strconv.FormatInt(anaB.ID, 10) + "@" + b.Slug + ":waitlisted", strconv.FormatInt(anaC.ID, 10) + "@" + c.Slug + ":cancelled"}
	if l.Email != "ana@example.com" || strings.Join(ids, " ") != strings.Join(want, " ") ||
		!l.ExpiresAt.Equal(l.CreatedAt.Add(storage.EmailLinkTTL)) {
		t.Fatalf("link: %s %v, want %v (created %v, expires %v)", l.Email, ids, want, l.CreatedAt, l.ExpiresAt)
	}

	ex, err := db.ExportEmail(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Email != "ana@example.com" || len(ex.Tickets) != 3 {
		t.Fatalf("export: %s, %d tickets", ex.Email, len(ex.Tickets))
	}
	for i, e := range ex.Tickets {
		if e.Ticket.Email != "ana@example.com" || e.Ticket.ID != l.Tickets[i].TicketID || e.Salon.ID != e.Ticket.SalonID {
			t.Errorf("export %d: %+v", i, e.Ticket)
		}
	}
	if got := ex.Tickets[1].Messages; len(got) != 2 || got[1].Kind != tickets.NoticeEmailLink {
		t.Errorf("the export of the asking ticket leaves out the link's mail: %+v", got)
	}

	n, err := db.EraseEmail(ctx, tok)
	if err != nil || n != 3 {
		t.Fatalf("erase: %d %v, want 3", n, err)
	}
	for _, tk := range []*tickets.Ticket{anaA, anaB, anaC} {
		got, err := db.FindTicketByID(ctx, tk.SalonID, tk.ID)
		if err != nil || !got.Erased() || got.Email != "" || got.Name != "" || got.Status != tickets.StatusCancelled {
			t.Errorf("ticket %d after erase: %+v %v", tk.ID, got, err)
		}
	}
	if got, _ := db.FindTicketByID(ctx, a.ID, bobA.ID); got.Status != tickets.StatusConfirmed {
		t.Errorf("bob was not promoted to Ana's seat: %s", got.Status)
	}
	if got, _ := db.FindTicketByID(ctx, b.ID, carlB.ID); got.Erased() || got.Email != "carl@example.com" {
		t.Errorf("another address's ticket was touched: %+v", got)
	}
	if sa, _ := db.FindSalonBySlug(ctx, a.Slug); sa.Confirmed != 1 || sa.Waitlisted != 0 {
		t.Errorf("salon a counts %d/%d, want 1/0", sa.Confirmed, sa.Waitlisted)
	}
	if m := linkMail(t, db, anaB.ID); len(m) != 1 || m[0].Recipient != "" || len(m[0].Payload) != 0 {
		t.Errorf("link mail after erase: %+v", m[0])
	}
	if found, _ := db.FindTickets(ctx, storage.TicketFilter{Email: "ana@example.com"}); len(found) != 0 {
		t.Errorf("%d tickets still found by the address", len(found))
	}
	for _, s := range []*events.Salon{a, b, c} {
		entries, _ := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
		found := false
		for _, e := range entries {
			found = found || (e.Action == storage.ActionTicketErase && strings.HasSuffix(e.Detail, " "+storage.ErasedByEmailLink))
			mustHoldNone(t, "audit "+e.Action, e.Detail, []string{"ana@example.com"})
		}
		if !found {
			t.Errorf("salon %s: no ticket.erase entry by email link: %+v", s.Slug, entries)
		}
	}
	if _, err := db.FindEmailLink(ctx, tok); events.ErrorCode(err) != events.ENOTFOUND {
		t.Errorf("link after erase: %v, want not found", err)
	}
	if _, err := db.EraseEmail(ctx, tok); events.ErrorCode(err) != events.ENOTFOUND {
		t.Errorf("erase again: %v, want not found", err)
	}
	if _, err := db.ExportEmail(ctx, "no-such-link"); events.ErrorCode(err) != events.ENOTFOUND {
		t.Errorf("unknown link: %v, want not found", err)
	}
	if _, err := db.CreateEmailLink(ctx, storage.EmailLinkRequest{TicketToken: anaA.Token, MailURL: linkURL}); events.ErrorCode(err) != events.ENOTFOUND {
		t.Errorf("a link for an erased ticket: %v, want not found", err)
	}
}

// testEmailLinkLimits: one link per address per EmailLinkGap and at most
// EmailLinkDaily a day, counted over all of the address's tickets; a newer
// link replaces the older; links expire after EmailLinkTTL; a sent mail
// forgets its link.
func testEmailLinkLimits(t *testing.T, db *store) {
	ctx := context.Background()
	a, b := mustCreateSalon(t, db, 5, true), mustCreateSalon(t, db, 5, true)
	anaA, _ := rsvp(t, db, a.Slug, "ana@example.com")
	anaB, _ := rsvp(t, db, b.Slug, "ana@example.com")
	bob, _ := rsvp(t, db, a.Slug, "bob@example.com")
	start := time.Now()
	at := func(d time.Duration) { db.clock.set(func() time.Time { return start.Add(d) }) }
	defer db.clock.set(time.Now)

	at(0)
	first := emailLink(t, db, anaA)
	for _, tk := range []*tickets.Ticket{anaA, anaB} {
		_, err := db.CreateEmailLink(ctx, storage.EmailLinkRequest{TicketToken: tk.Token, MailURL: linkURL})
		if !errors.Is(err, storage.ErrEmailLinkLimited) || events.ErrorCode(err) != events.ERATELIMITED {
			t.Fatalf("second link within the gap, ticket %d: %v", tk.ID, err)
		}
	}
	emailLink(t, db, bob) // another address has its own limit

	var last string
	for i := 1; i < storage.EmailLinkDaily; i++ {
		at(time.Duration(i) * (storage.EmailLinkGap + time.Second))
		last = emailLink(t, db, anaB)
	}
	if _, err := db.FindEmailLink(ctx, first); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("a replaced link still opens: %v", err)
	}
	if m := linkMail(t, db, anaA.ID); len(m) != 1 || len(m[0].Payload) != 0 {
		t.Fatalf("the replaced link's mail still holds it: %+v", m)
	}
	at(time.Duration(storage.EmailLinkDaily) * (storage.EmailLinkGap + time.Second))
	if _, err := db.CreateEmailLink(ctx, storage.EmailLinkRequest{TicketToken: anaA.Token, MailURL: linkURL}); !errors.Is(err, storage.ErrEmailLinkLimited) {
		t.Fatalf("link beyond the daily limit: %v", err)
	}
	if _, err := db.FindEmailLink(ctx, last); err != nil {
		t.Fatalf("the newest link: %v", err)
	}

	// The mail of the newest link forgets it once sent.
	msgs, err := db.ClaimMessages(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if err := db.MarkSent(ctx, m.ID, m.Claim); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range linkMail(t, db, anaB.ID) {
		if len(m.Payload) != 0 || m.Status != storage.OutboxSent {
			t.Fatalf("sent link mail: %+v", m)
		}
	}
	if _, err := db.FindEmailLink(ctx, last); err != nil {
		t.Fatalf("a sent link no longer opens: %v", err)
	}

	lastAt := time.Duration(storage.EmailLinkDaily-1) * (storage.EmailLinkGap + time.Second)
	at(lastAt + storage.EmailLinkTTL)
	if _, err := db.FindEmailLink(ctx, last); !errors.Is(err, storage.ErrLinkExpired) {
		t.Fatalf("link after its day: %v, want expired", err)
	}
	if _, err := db.EraseEmail(ctx, last); !errors.Is(err, storage.ErrLinkExpired) {
		t.Fatalf("erase with an expired link: %v", err)
	}
	fresh := emailLink(t, db, anaA) // the day is over: the limit is back
	if l, err := db.FindEmailLink(ctx, fresh); err != nil || len(l.Tickets) != 2 {
		t.Fatalf("fresh link: %+v %v", l, err)
	}
}

// testEmailLinkConcurrent: many asking at once for one address get one
// link; many erasing with one link at once erase each ticket once.
func testEmailLinkConcurrent(t *testing.T, db *store) {
	ctx := context.Background()
	a, b := mustCreateSalon(t, db, 1, true), mustCreateSalon(t, db, 5, true)
	anaA, _ := rsvp(t, db, a.Slug, "ana@example.com")
	anaB, _ := rsvp(t, db, b.Slug, "ana@example.com")
	bob, _ := rsvp(t, db, a.Slug, "bob@example.com")
	const n = 16
	var wg sync.WaitGroup
	toks := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk := []*tickets.Ticket{anaA, anaB}[i%2]
			tok, err := db.CreateEmailLink(ctx, storage.EmailLinkRequest{TicketToken: tk.Token, MailURL: linkURL})
			if err == nil {
				toks <- tok
			} else if !errors.Is(err, storage.ErrEmailLinkLimited) {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(toks)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var tok string
	count := 0
	for tk := range toks {
		tok, count = tk, count+1
	}
	if count != 1 {
		t.Fatalf("%d links made at once for one address, want 1", count)
	}

	erased := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := db.EraseEmail(ctx, tok)
			if err != nil && events.ErrorCode(err) != events.ENOTFOUND {
				t.Error(err)
			}
			erased <- got
		}()
	}
	wg.Wait()
	close(erased)
	total := 0
	for k := range erased {
		total += k
	}
	if total != 2 {
		t.Fatalf("%d tickets erased in all, want 2", total)
	}
	if got, _ := db.FindTicketByID(ctx, a.ID, bob.ID); got.Status != tickets.StatusConfirmed {
		t.Fatalf("bob: %s, want promoted once", got.Status)
	}
	if sa, _ := db.FindSalonBySlug(ctx, a.Slug); sa.Confirmed != 1 || sa.Waitlisted != 0 {
		t.Fatalf("counts %d/%d, want 1/0", sa.Confirmed, sa.Waitlisted)
	}
	erasures := 0
	for _, s := range []*events.Salon{a, b} {
		entries, _ := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
		for _, e := range entries {
			if e.Action == storage.ActionTicketErase {
				erasures++
			}
		}
	}
	if erasures != 2 {
		t.Fatalf("%d ticket.erase entries, want 2", erasures)
	}
}
