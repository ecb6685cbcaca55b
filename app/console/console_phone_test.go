package console_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/tickets"
)

// TestConsolePhone: on a 390px-wide phone the attendee table is a stack of
// cards that fit the screen, each cell under its column's name; the
// organizer checks one guest in and cancels another by tapping the buttons
// on their cards.
func TestConsolePhone(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.ConsoleApp(t)
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	sa := apptest.OwnedSalon(t, ta, org, "phone-night", nil)
	ana := apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "Ana Lima", Email: "ana@example.com",
		Company: "A company with a rather long name, Limited", JobTitle: "Head of partnerships and alliances"})
	bo := apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "Bo Chen", Email: "bo.chen.with.a.long.address@example.com"})

	phone := apptest.StartChromium(t, exe, 390, 844)
	apptest.WatchConsole(t, phone, "phone")
	// Headless windows are at least 500px wide: the phone's screen is
	// emulated, as the browser's device toolbar does.
	apptest.BrowserStep(t, phone, "sign in", 20*time.Second,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile),
		chromedp.Navigate(base+"/admin/salons/phone-night/attendees"),
		apptest.SignIn("mei@example.com"),
		chromedp.WaitVisible(chromedp.CSS("#attendees")),
	)
	if w := apptest.BrowserEval[float64](t, phone, `window.innerWidth`); w > 400 {
		t.Fatalf("the viewport is %vpx wide, not a phone's", w)
	}
	layout := apptest.BrowserEval[map[string]any](t, phone, fmt.Sprintf(`(() => {
		const row = document.getElementById('ticket-%d');
		const cell = row.querySelector('td[data-label]');
		const btn = row.querySelector('form[action$="/checkin"] button');
		const r = btn.getBoundingClientRect();
		return {display: getComputedStyle(row).display, label: getComputedStyle(cell, '::before').content,
			head: document.querySelector('#attendees thead').getBoundingClientRect().height,
			overflow: document.documentElement.scrollWidth - window.innerWidth,
			left: r.left, right: r.right, height: r.height};
	})()`, ana.ID))
	if layout["display"] != "block" || layout["label"] != `"Name"` || layout["head"].(float64) > 2 {
		t.Fatalf("the rows are not cards: %v", layout)
	}
	if layout["overflow"].(float64) > 0 || layout["left"].(float64) < 0 || layout["right"].(float64) > 390 || layout["height"].(float64) < 44 {
		t.Fatalf("the check-in button is not on screen or too small to tap: %v", layout)
	}

	apptest.BrowserStep(t, phone, "check in on the card", 15*time.Second,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ticket-%d form[action$="/checkin"] button`, ana.ID))),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#ticket-%d form[action$="/undo"] button`, ana.ID))),
	)
	apptest.BrowserStep(t, phone, "cancel on the card", 15*time.Second,
		chromedp.ScrollIntoView(chromedp.CSS(fmt.Sprintf(`#ticket-%d form[action$="/cancel"] button`, bo.ID))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ticket-%d form[action$="/cancel"] button`, bo.ID))),
		apptest.WaitJS(`location.search.includes('ok=ticket')`),
	)
	ctx := context.Background()
	if got, _ := ta.DB.FindTicketByID(ctx, sa.ID, ana.ID); got.CheckedInAt == nil {
		t.Fatal("the tap did not check Ana in")
	}
	if got, _ := ta.DB.FindTicketByID(ctx, sa.ID, bo.ID); got.Status != tickets.StatusCancelled {
		t.Fatalf("the tap did not cancel Bo: %s", got.Status)
	}
	// The salon page's tables and forms fit the phone too.
	apptest.BrowserStep(t, phone, "salon page", 10*time.Second,
		chromedp.Navigate(base+"/admin/salons/phone-night"),
		chromedp.WaitVisible(chromedp.CSS("#message-form")),
	)
	if o := apptest.BrowserEval[float64](t, phone, `document.documentElement.scrollWidth - window.innerWidth`); o > 0 {
		t.Fatalf("the salon page is %vpx wider than the phone", o)
	}
}
