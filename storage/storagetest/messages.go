package storagetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// The message and password contracts are kept beside their tests rather
// than in the list in storagetest.go.
func init() {
	contracts = append(contracts,
		contract{"Messages_Queue", testMessagesQueue},
		contract{"Messages_RefusedWritesNothing", testMessagesRefused},
		contract{"Messages_ConcurrentAllowance", testMessagesConcurrent},
		contract{"Messages_Erased", testMessagesErased},
		contract{"ChangePassword_EndsOtherSessions", testChangePasswordSessions},
		contract{"UpdateSalon_AuditsChangesAndNotified", testUpdateSalonAuditsChanges},
	)
}

// messageGuests makes a salon of two seats with two confirmed guests, one
// waitlisted and one cancelled.
func messageGuests(t *testing.T, db *store) (*events.Salon, []*tickets.Ticket) {
	t.Helper()
	s := mustCreateSalon(t, db, 2, true)
	var out []*tickets.Ticket
	for _, email := range []string{"ana@example.com", "bo@example.com", "cy@example.com", "di@example.com"} {
		tk, err := rsvp(t, db, s.Slug, email)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tk)
	}
	if _, err := db.CancelRSVP(context.Background(), out[3].Token); err != nil {
		t.Fatal(err)
	}
	// di's seat was a waitlist place; cy still waits.
	return s, out
}

// messageRows lists a salon's message mails by recipient.
func messageRows(t *testing.T, db storage.Store, salonID int64) map[string][]*storage.Message {
	t.Helper()
	msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{SalonID: salonID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*storage.Message{}
	for _, m := range msgs {
		if m.Kind == tickets.NoticeMessage {
			out[m.Recipient] = append(out[m.Recipient], m)
		}
	}
	return out
}

// testMessagesQueue: each audience reaches its guests once, with the
// message named in the payload; the audit names audience, count and
// subject but not the body; the allowance refuses the fourth message of a
// day and returns after it.
func testMessagesQueue(t *testing.T, db *store) {
	ctx := storage.WithActor(context.Background(), storage.Actor{UserID: 0, Email: "org@example.com", IP: "192.0.2.9"})
	s, _ := messageGuests(t, db)
	for _, c := range []struct {
		to   string
		want []string
	}{
		{storage.AudienceConfirmed, []string{"ana@example.com", "bo@example.com"}},
		{storage.AudienceWaitlisted, []string{"cy@example.com"}},
		{storage.AudienceAll, []string{"ana@example.com", "bo@example.com", "cy@example.com"}},
	} {
		if n, err := db.CountAudience(ctx, s.ID, c.to); err != nil || n != len(c.want) {
			t.Fatalf("CountAudience(%s) = %d, %v; want %d", c.to, n, err, len(c.want))
		}
		before := messageRows(t, db, s.ID)
		m, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: "  Room  change ",
			Body: "We moved to room 4.\r\nSee you!", Audience: c.to})
		if err != nil {
			t.Fatalf("%s: %v", c.to, err)
		}
		if m.Recipients != len(c.want) || m.ID == 0 || m.Subject != "Room change" || m.Body != "We moved to room 4.\nSee you!" {
			t.Fatalf("%s: message %+v", c.to, m)
		}
		after := messageRows(t, db, s.ID)
		for _, email := range []string{"ana@example.com", "bo@example.com", "cy@example.com", "di@example.com"} {
			got := len(after[email]) - len(before[email])
			want := 0
			if has(c.want, email) {
				want = 1
			}
			if got != want {
				t.Fatalf("%s: %s got %d new mails, want %d", c.to, email, got, want)
			}
			if want == 1 {
				row := after[email][len(after[email])-1]
				if id, _ := row.Payload["message"].(float64); int64(id) != m.ID || row.Status != storage.OutboxQueued {
					t.Fatalf("%s: row %+v does not name message %d", c.to, row, m.ID)
				}
			}
		}
	}
	list, err := db.FindSalonMessages(ctx, s.ID)
	if err != nil || len(list) != 3 || list[0].Audience != storage.AudienceAll || list[2].Audience != storage.AudienceConfirmed {
		t.Fatalf("FindSalonMessages: %v %+v", err, list)
	}
	if list[0].Sender != "org@example.com" || list[0].Recipients != 3 {
		t.Fatalf("newest message: %+v", list[0])
	}
	if got, err := db.FindSalonMessage(ctx, list[1].ID); err != nil || got.Audience != storage.AudienceWaitlisted {
		t.Fatalf("FindSalonMessage: %+v %v", got, err)
	}
	if _, err := db.FindSalonMessage(ctx, 987654); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown message: %v", err)
	}
	entries, err := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	var logged int
	for _, e := range entries {
		if e.Action != storage.ActionSalonMessage {
			continue
		}
		logged++
		if !strings.Contains(e.Detail, "Room change") || strings.Contains(e.Detail, "room 4") || e.Actor != "org@example.com" {
			t.Fatalf("audit detail %q by %q", e.Detail, e.Actor)
		}
	}
	if logged != 3 || !strings.Contains(entries[0].Detail, "to all, 3 guests") {
		t.Fatalf("audit: %d entries, newest %+v", logged, entries[0])
	}

	// The fourth of the day is refused and writes nothing.
	rows := len(messageRows(t, db, s.ID)["ana@example.com"])
	_, err = db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: "Again", Body: "b", Audience: storage.AudienceAll})
	if events.ErrorCode(err) != events.ERATELIMITED {
		t.Fatalf("fourth message: %v", err)
	}
	if got := len(messageRows(t, db, s.ID)["ana@example.com"]); got != rows {
		t.Fatalf("refused message queued mail: %d rows, had %d", got, rows)
	}
	// A day later the allowance is back.
	db.clock.set(func() time.Time { return time.Now().Add(storage.MessageWindow + time.Minute) })
	if _, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: "Next day", Body: "b",
		Audience: storage.AudienceConfirmed}); err != nil {
		t.Fatalf("a day later: %v", err)
	}
	// Another salon's allowance is its own.
	other := mustCreateSalon(t, db, 5, true)
	if _, err := rsvp(t, db, other.Slug, "ed@example.com"); err != nil {
		t.Fatal(err)
	}
	if m, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: other.ID, Subject: "Hi", Body: "b",
		Audience: storage.AudienceAll}); err != nil || m.Recipients != 1 {
		t.Fatalf("other salon: %+v %v", m, err)
	}
}

// testMessagesRefused: bad input names its field; an unknown salon is not
// found; an audience with nobody in it writes nothing and uses none of
// the allowance.
func testMessagesRefused(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, true)
	if _, err := rsvp(t, db, s.Slug, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	ok := storage.MessageRequest{SalonID: s.ID, Subject: "Hello", Body: "Text", Audience: storage.AudienceAll}
	for _, c := range []struct {
		name  string
		edit  func(r *storage.MessageRequest)
		field string
	}{
		{"empty subject", func(r *storage.MessageRequest) { r.Subject = "   " }, "subject"},
		{"subject with a line break", func(r *storage.MessageRequest) { r.Subject = "a\nb" }, "subject"},
		{"huge subject", func(r *storage.MessageRequest) { r.Subject = strings.Repeat("s", storage.MaxMessageSubject+1) }, "subject"},
		{"empty body", func(r *storage.MessageRequest) { r.Body = "\n \n" }, "body"},
		{"huge body", func(r *storage.MessageRequest) { r.Body = strings.Repeat("b", storage.MaxMessageBody+1) }, "body"},
		{"control character", func(r *storage.MessageRequest) { r.Body = "a\x00b" }, "body"},
		{"unknown audience", func(r *storage.MessageRequest) { r.Audience = "cancelled" }, "to"},
		{"no audience", func(r *storage.MessageRequest) { r.Audience = "" }, "to"},
	} {
		r := ok
		c.edit(&r)
		_, err := db.QueueSalonMessage(ctx, r)
		var e *events.Error
		if events.ErrorCode(err) != events.EINVALID || !asError(err, &e) || e.Fields[c.field] == "" {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	if _, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: 987654, Subject: "a", Body: "b",
		Audience: storage.AudienceAll}); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown salon: %v", err)
	}
	for i := 0; i < storage.MessagesPerWindow+2; i++ {
		m, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: "Waitlist", Body: "b",
			Audience: storage.AudienceWaitlisted})
		if err != nil || m.Recipients != 0 || m.ID != 0 {
			t.Fatalf("empty audience: %+v %v", m, err)
		}
	}
	if list, _ := db.FindSalonMessages(ctx, s.ID); len(list) != 0 {
		t.Fatalf("refused messages were kept: %+v", list)
	}
	if n := len(messageRows(t, db, s.ID)); n != 0 {
		t.Fatalf("refused messages queued mail for %d guests", n)
	}
	if _, err := db.QueueSalonMessage(ctx, ok); err != nil {
		t.Fatalf("after empty audiences the allowance is whole: %v", err)
	}
}

// testMessagesConcurrent: senders racing on one salon, in any number, get
// exactly the allowance through; the rest are refused and wrote nothing.
func testMessagesConcurrent(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 10, true)
	for i := 0; i < 4; i++ {
		if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("g%d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	const senders = 24
	var wg sync.WaitGroup
	var mu sync.Mutex
	okCount, limited := 0, 0
	start := make(chan struct{})
	for i := 0; i < senders; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: fmt.Sprintf("News %d", i),
				Body: "b", Audience: storage.AudienceAll})
			mu.Lock()
			defer mu.Unlock()
			switch events.ErrorCode(err) {
			case "":
				okCount++
			case events.ERATELIMITED:
				limited++
			default:
				t.Errorf("sender %d: %v", i, err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	if okCount != storage.MessagesPerWindow || limited != senders-storage.MessagesPerWindow {
		t.Fatalf("%d sent, %d refused; want %d sent", okCount, limited, storage.MessagesPerWindow)
	}
	rows := messageRows(t, db, s.ID)
	for email, list := range rows {
		if len(list) != storage.MessagesPerWindow {
			t.Fatalf("%s got %d mails, want %d", email, len(list), storage.MessagesPerWindow)
		}
	}
	if len(rows) != 4 {
		t.Fatalf("mail went to %d guests, want 4", len(rows))
	}
	if list, _ := db.FindSalonMessages(ctx, s.ID); len(list) != storage.MessagesPerWindow {
		t.Fatalf("%d messages kept", len(list))
	}
}

// testMessagesErased: erasing a ticket scrubs its message mail like any
// other outbox row, and an erased guest gets no later message.
func testMessagesErased(t *testing.T, db *store) {
	ctx := context.Background()
	s, guests := messageGuests(t, db)
	if _, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: "Hi", Body: "b",
		Audience: storage.AudienceAll}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EraseTicket(ctx, guests[0].Token); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{TicketID: guests[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, m := range msgs {
		if m.Kind != tickets.NoticeMessage {
			continue
		}
		found = true
		if m.Recipient != "" || m.Status != storage.OutboxFailed || len(m.Payload) != 0 {
			t.Fatalf("erased guest's message mail kept: %+v", m)
		}
	}
	if !found {
		t.Fatal("the erased guest's message mail is gone altogether")
	}
	m, err := db.QueueSalonMessage(ctx, storage.MessageRequest{SalonID: s.ID, Subject: "Again", Body: "b",
		Audience: storage.AudienceAll})
	if err != nil {
		t.Fatal(err)
	}
	// ana's seat went to cy: bo and cy remain.
	if m.Recipients != 2 {
		t.Fatalf("after erasure the message went to %d guests, want 2", m.Recipients)
	}
}

// testChangePasswordSessions: the password changes and every session of
// the account ends but the one kept; other accounts keep theirs.
func testChangePasswordSessions(t *testing.T, db *store) {
	ctx := context.Background()
	u := mustUser(t, db, "mei@example.com")
	other := mustUser(t, db, "lu@example.com")
	var ids []string
	for i := 0; i < 3; i++ {
		id, err := db.CreateSession(ctx, u.ID, time.Hour, "192.0.2.1", "browser")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	otherID, err := db.CreateSession(ctx, other.ID, time.Hour, "192.0.2.2", "browser")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ChangePassword(adminCtx, u.ID, "new-hash", ids[1]); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		_, err := db.FindSession(ctx, id)
		if i == 1 && err != nil {
			t.Fatalf("kept session: %v", err)
		}
		if i != 1 && events.ErrorCode(err) != events.ENOTFOUND {
			t.Fatalf("session %d still open: %v", i, err)
		}
	}
	if _, err := db.FindSession(ctx, otherID); err != nil {
		t.Fatalf("another account's session ended: %v", err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.PasswordHash != "new-hash" {
		t.Fatalf("hash %q", got.PasswordHash)
	}
	if !has(auditActions(t, db), storage.ActionUserPassword) {
		t.Fatal("not audited")
	}
	if err := db.ChangePassword(ctx, u.ID, "", ids[1]); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("empty hash: %v", err)
	}
	if err := db.ChangePassword(ctx, 987654, "h", ""); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown account: %v", err)
	}
	if err := db.ChangePassword(ctx, u.ID, "h2", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, ids[1]); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("with nothing kept, every session ends: %v", err)
	}
}

// testUpdateSalonAuditsChanges: an edit's audit entry says what changed,
// old and new, in the write that changed it; the salon it returns says
// how many attendees were told.
func testUpdateSalonAuditsChanges(t *testing.T, db *store) {
	ctx := storage.WithActor(context.Background(), storage.Actor{Email: "org@example.com"})
	s, _ := messageGuests(t, db)
	capacity, venue := 3, "Hall B"
	out, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &capacity})
	if err != nil {
		t.Fatal(err)
	}
	if out.Notified != 0 {
		t.Fatalf("a capacity change told %d attendees", out.Notified)
	}
	out, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Venue: &venue})
	if err != nil {
		t.Fatal(err)
	}
	// Three seats: ana, bo and (promoted by the capacity change) cy.
	if out.Notified != 3 {
		t.Fatalf("a venue change told %d attendees, want 3", out.Notified)
	}
	entries, err := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID, Limit: 2})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit: %v %+v", err, entries)
	}
	if entries[0].Detail != `venue: "" → Hall B` || entries[1].Detail != "capacity: 2 → 3" {
		t.Fatalf("audit details %q, %q", entries[0].Detail, entries[1].Detail)
	}
	if again, _ := db.FindSalonByID(ctx, s.ID); again.Notified != 0 {
		t.Fatalf("a read says %d notified", again.Notified)
	}
}
