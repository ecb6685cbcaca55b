package console_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
)

// TestApprovalBrowser is an organizer's evening with approval: a guest
// asks to come with two companions and sees the request pending; the
// organizer approves it from the console's attendee list (checkbox and
// one button); the guest's ticket page then shows the seat and the QR
// code; at the door the guest list and the answer say "+2".
func TestApprovalBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.ConsoleApp(t)
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	sa := apptest.OwnedSalon(t, ta, org, "curated-dinner", func(s *events.Salon) {
		s.Title, s.Capacity, s.Approval, s.MaxGuests = "Curated dinner", 6, true, 2
	})
	ctx := apptest.StartChromium(t, exe, 1280, 900)
	apptest.WatchConsole(t, ctx, "organizer")

	// The guest, in a browser context of their own.
	guest, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	apptest.WatchConsole(t, guest, "guest")
	apptest.BrowserStep(t, guest, "ask to come with two guests", 20*time.Second,
		chromedp.Navigate(base+"/salons/curated-dinner"),
		chromedp.WaitVisible(chromedp.CSS(".approval-needed")),
		chromedp.SetValue(chromedp.CSS("#name"), "Ana Lima"),
		chromedp.SetValue(chromedp.CSS("#email"), "ana@example.com"),
		chromedp.SetValue(chromedp.CSS("#guests"), "2"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("article.ticket.status-pending")),
	)
	ticketURL := apptest.BrowserEval[string](t, guest, `location.href`)
	if st := apptest.BrowserEval[string](t, guest, `document.querySelector('.state').textContent`); !strings.Contains(st, "waiting for the organizer") {
		t.Fatalf("pending ticket page: %q", st)
	}
	if n := apptest.BrowserEval[int](t, guest, `document.querySelectorAll('.qr img').length`); n != 0 {
		t.Fatal("a pending ticket shows a QR code")
	}

	// The organizer approves it from the attendee list.
	list, err := ta.DB.FindTickets(context.Background(), storageFilter(sa.ID))
	if err != nil || len(list) != 1 || list[0].Guests != 2 {
		t.Fatalf("tickets: %v %v", list, err)
	}
	id := strconv.FormatInt(list[0].ID, 10)
	apptest.BrowserStep(t, ctx, "sign in", 20*time.Second,
		chromedp.Navigate(base+"/admin"),
		apptest.SignIn("mei@example.com"),
		chromedp.WaitVisible(chromedp.CSS(".console-nav")),
		chromedp.Navigate(base+"/admin/salons/curated-dinner/attendees"),
		chromedp.WaitVisible(chromedp.CSS("#select-"+id)),
	)
	row := apptest.BrowserEval[string](t, ctx, `document.getElementById('ticket-`+id+`').textContent`)
	if !strings.Contains(row, "+2") || !strings.Contains(row, "Pending") {
		t.Fatalf("attendee row: %q", row)
	}
	apptest.BrowserStep(t, ctx, "approve selected", 15*time.Second,
		chromedp.Click(chromedp.CSS("#select-"+id)),
		chromedp.Click(chromedp.CSS("#approve-selected")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if f := apptest.BrowserEval[string](t, ctx, `document.querySelector('.flash').textContent`); !strings.Contains(f, "1 approved: 1 confirmed, 0 waitlisted") {
		t.Fatalf("flash: %q", f)
	}
	if c := apptest.BrowserEval[string](t, ctx, `document.getElementById('count-confirmed').textContent`); !strings.HasPrefix(c, "3 of 6 confirmed") {
		t.Fatalf("counts: %q", c)
	}

	// The guest's ticket page now holds the seat.
	apptest.BrowserStep(t, guest, "ticket confirmed", 15*time.Second,
		chromedp.Navigate(ticketURL),
		chromedp.WaitVisible(chromedp.CSS("article.ticket.status-confirmed .qr img")),
	)
	if p := apptest.BrowserEval[string](t, guest, `document.querySelector('.party').textContent`); !strings.Contains(p, "3 seats") {
		t.Fatalf("party on the ticket page: %q", p)
	}

	// At the door, found by name: "+2" in the list and in the answer.
	_, key, err := ta.DB.CreateDoorLink(context.Background(), sa.ID, "front", org.ID)
	if err != nil {
		t.Fatal(err)
	}
	apptest.BrowserStep(t, ctx, "door check-in", 25*time.Second,
		chromedp.Navigate(base+"/door/curated-dinner#key="+key),
		chromedp.WaitVisible(chromedp.CSS("#door-search")),
		chromedp.SendKeys(chromedp.CSS("#door-search"), "ana"),
		chromedp.WaitVisible(chromedp.CSS("#door-guests button")),
	)
	if p := apptest.BrowserEval[string](t, ctx, `document.querySelector('#door-guests .door-guest-party').textContent`); strings.TrimSpace(p) != "+2" {
		t.Fatalf("guest list party: %q", p)
	}
	apptest.BrowserStep(t, ctx, "check the party in", 15*time.Second,
		chromedp.Click(chromedp.CSS("#door-guests button")),
		chromedp.WaitVisible(chromedp.CSS("#door-result.ok")),
		chromedp.WaitVisible(chromedp.CSS("#door-result-party")),
	)
	if p := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result-party').textContent`); !strings.Contains(p, "+2") || !strings.Contains(p, "Admit 3 people") {
		t.Fatalf("door answer party: %q", p)
	}
	if got, _ := ta.DB.FindSalonByID(context.Background(), sa.ID); got.CheckedIn != 3 {
		t.Fatalf("checked in %d, want the party's 3", got.CheckedIn)
	}
}

func storageFilter(salonID int64) storage.TicketFilter { return storage.TicketFilter{SalonID: salonID} }
