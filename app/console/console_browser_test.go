package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/events"
)

// TestConsoleBrowser: an organizer signs in, creates and publishes a salon;
// a visitor RSVPs through the salon page and sees the ticket's QR code; the
// organizer's console count moves on its own, the attendee is listed and
// the CSV export carries the RSVP.
func TestConsoleBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	org := apptest.StartChromium(t, exe, 1280, 900)
	apptest.WatchConsole(t, org, "organizer")

	// Sign in: the console sends the browser to the login form and back.
	apptest.BrowserStep(t, org, "sign in", 20*time.Second,
		chromedp.Navigate(base+"/admin"),
		apptest.SignIn("mei@example.com"),
		chromedp.WaitVisible(chromedp.CSS(".console-nav")),
	)

	// Create: preview first, then save and publish.
	loc, _ := events.LoadZone(events.DefaultTimezone)
	day := time.Now().In(loc).AddDate(0, 0, 10)
	start := time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, loc)
	apptest.BrowserStep(t, org, "fill the salon form", 15*time.Second,
		chromedp.Click(chromedp.CSS(`.console-nav a[href="/admin/salons/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#title"), "Fintech founders salon"),
		chromedp.SetValue(chromedp.CSS("#industry"), "fintech"),
		chromedp.SetValue(chromedp.CSS("#venue"), "WeWork Weihai Lu"),
		chromedp.SetValue(chromedp.CSS("#timezone"), "Asia/Shanghai"),
		chromedp.SetValue(chromedp.CSS("#starts_at"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#ends_at"), start.Add(150*time.Minute).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#capacity"), "40"),
		chromedp.Click(chromedp.CSS("#preview")),
		chromedp.WaitVisible(chromedp.CSS("#preview-card")),
	)
	if card := apptest.BrowserEval[string](t, org, `document.getElementById('preview-card').textContent`); !strings.Contains(card, "Fintech founders salon") || !strings.Contains(card, "19:00–21:30") {
		t.Fatalf("preview card: %q", card)
	}
	apptest.BrowserStep(t, org, "publish", 15*time.Second,
		chromedp.Click(chromedp.CSS("#save-publish")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if u := apptest.BrowserEval[string](t, org, `location.pathname`); u != "/admin/salons/fintech-founders-salon" {
		t.Fatalf("after publishing: %s", u)
	}
	apptest.BrowserStep(t, org, "console home", 10*time.Second,
		chromedp.Click(chromedp.CSS(`.console-nav a[href="/admin"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[id^="confirmed-"]`)),
	)
	if n := apptest.BrowserEval[string](t, org, `document.querySelector('[id^="confirmed-"]').textContent`); n != "0 / 40" {
		t.Fatalf("count before the RSVP: %q", n)
	}

	// A visitor, in a browser context of their own, RSVPs with the form.
	visitor, cancel := chromedp.NewContext(org, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	apptest.WatchConsole(t, visitor, "visitor")
	apptest.BrowserStep(t, visitor, "rsvp", 20*time.Second,
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(`a[href="/salons/fintech-founders-salon"]`)),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SetValue(chromedp.CSS("#name"), "Ana Lima"),
		chromedp.SetValue(chromedp.CSS("#email"), "ana@example.com"),
		chromedp.SetValue(chromedp.CSS("#company"), "Acme Bio"),
		chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".qr img")),
		apptest.WaitJS(`document.querySelector('.qr img').complete`),
	)
	if w := apptest.BrowserEval[int](t, visitor, `document.querySelector('.qr img').naturalWidth`); w <= 0 {
		t.Fatalf("the QR image did not load: naturalWidth %d (screenshot: %s)", w, apptest.BrowserScreenshot(t, visitor))
	}
	if s := apptest.BrowserEval[string](t, visitor, `document.querySelector('.state').textContent`); s != "You have a seat." {
		t.Errorf("ticket says %q", s)
	}

	// The organizer's open console counts the RSVP without a reload.
	apptest.BrowserStep(t, org, "live count", 25*time.Second,
		apptest.WaitJS(`document.querySelector('[id^="confirmed-"]').textContent === '1 / 40'`),
	)
	apptest.BrowserStep(t, org, "attendees", 30*time.Second, // two page loads; slow on a loaded machine
		chromedp.Click(chromedp.CSS(`td a[href="/admin/salons/fintech-founders-salon"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/attendees"]`)),
		chromedp.Click(chromedp.CSS(`.actions a[href$="/attendees"]`)),
		chromedp.WaitVisible(chromedp.CSS("#attendees")),
	)
	if row := apptest.BrowserEval[string](t, org, `document.getElementById('attendees').textContent`); !strings.Contains(row, "Ana Lima") || !strings.Contains(row, "Acme Bio") {
		t.Fatalf("attendee list: %q", row)
	}

	// Export: fetch the page's CSV link with the browser's session.
	// The bytes are checked for the BOM, which TextDecoder would drop.
	csv := apptest.BrowserEval[string](t, org, `fetch(document.getElementById('csv-link').href, {credentials: 'same-origin'})
		.then(r => r.ok ? r.arrayBuffer().then(b => {
			const u = new Uint8Array(b);
			const bom = u[0] === 0xEF && u[1] === 0xBB && u[2] === 0xBF ? 'BOM ' : '';
			return bom + r.headers.get('Content-Type') + ' ' + new TextDecoder().decode(u);
		}) : 'HTTP ' + r.status)`, chromedp.EvalAwaitPromise)
	if !strings.HasPrefix(csv, "BOM text/csv; charset=utf-8 id,name,email,company") || !strings.Contains(csv, ",Ana Lima,ana@example.com,Acme Bio,") || !strings.Contains(csv, ",confirmed,") {
		t.Fatalf("CSV: %q", csv)
	}
	// Without the session the same link is refused.
	anon := apptest.BrowserEval[string](t, visitor, `fetch('/admin/salons/fintech-founders-salon/attendees.csv', {redirect: 'manual'}).then(r => String(r.status) + ' ' + r.type)`, chromedp.EvalAwaitPromise)
	if anon != "0 opaqueredirect" {
		t.Errorf("CSV without a session: %s", anon)
	}
}
