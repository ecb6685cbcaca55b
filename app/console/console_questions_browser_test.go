package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/events"
)

// TestQuestionsBrowser: an organizer adds a required tick box and a choice
// question in the console's salon form and publishes; a guest answers on
// the salon page, is told once what is missing, then gets a ticket; the
// answers show in the console's attendee list.
func TestQuestionsBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	org := apptest.StartChromium(t, exe, 1280, 900)
	apptest.WatchConsole(t, org, "organizer")

	apptest.BrowserStep(t, org, "sign in", 20*time.Second,
		chromedp.Navigate(base+"/admin"),
		apptest.SignIn("mei@example.com"),
		chromedp.WaitVisible(chromedp.CSS(".console-nav")),
	)
	loc, _ := events.LoadZone(events.DefaultTimezone)
	day := time.Now().In(loc).AddDate(0, 0, 10)
	start := time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, loc)
	apptest.BrowserStep(t, org, "fill the salon form", 15*time.Second,
		chromedp.Navigate(base+"/admin/salons/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#title"), "Photo salon"),
		chromedp.SetValue(chromedp.CSS("#industry"), "media"),
		chromedp.SetValue(chromedp.CSS("#starts_at"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#ends_at"), start.Add(150*time.Minute).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#capacity"), "40"),
	)
	apptest.BrowserStep(t, org, "add two questions", 20*time.Second,
		chromedp.Click(chromedp.CSS("#q-add")),
		chromedp.WaitVisible(chromedp.CSS("#q0_label")),
		chromedp.SetValue(chromedp.CSS("#q0_label"), "I agree to be photographed"),
		chromedp.SetValue(chromedp.CSS("#q0_label_zh"), "我同意被拍照"),
		chromedp.SetValue(chromedp.CSS("#q0_type"), "checkbox"),
		chromedp.Click(chromedp.CSS("#q0_required")),
		chromedp.Click(chromedp.CSS("#q-add")),
		chromedp.WaitVisible(chromedp.CSS("#q1_label")),
		chromedp.SetValue(chromedp.CSS("#q1_label"), "Diet"),
		chromedp.SetValue(chromedp.CSS("#q1_type"), "choice"),
		chromedp.SetValue(chromedp.CSS("#q1_options"), "None\nVegetarian\nVegan"),
		chromedp.Click(chromedp.CSS("#save-publish")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if title := apptest.BrowserEval[string](t, org, `document.title`); !strings.Contains(title, "Photo salon") {
		t.Fatalf("after publishing: %q (screenshot %s)", title, apptest.BrowserScreenshot(t, org))
	}

	visitor, cancel := chromedp.NewContext(org, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	apptest.WatchConsole(t, visitor, "visitor")
	apptest.BrowserStep(t, visitor, "a first try without the tick", 20*time.Second,
		chromedp.Navigate(base+"/salons/photo-salon"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SetValue(chromedp.CSS("#name"), "Ana Lima"),
		chromedp.SetValue(chromedp.CSS("#email"), "ana@example.com"),
		chromedp.Click(chromedp.CSS(`label[for="q-diet-2"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	summary := apptest.BrowserEval[string](t, visitor, `document.getElementById('error-summary').textContent`)
	if !strings.Contains(summary, "I agree to be photographed") || strings.Contains(summary, "Diet") {
		t.Fatalf("error summary: %q", summary)
	}
	if kept := apptest.BrowserEval[bool](t, visitor, `document.getElementById('q-diet-2').checked && document.getElementById('name').value === 'Ana Lima'`); !kept {
		t.Fatal("the refused form lost what was chosen")
	}
	apptest.BrowserStep(t, visitor, "tick and send", 20*time.Second,
		chromedp.Click(chromedp.CSS(`a[href="#q-i-agree-to-be-photographed"]`)),
		chromedp.Click(chromedp.CSS(`label[for="q-i-agree-to-be-photographed"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".qr img")),
	)

	apptest.BrowserStep(t, org, "attendees", 20*time.Second,
		chromedp.Navigate(base+"/admin/salons/photo-salon/attendees"),
		chromedp.WaitVisible(chromedp.CSS("#attendees")),
	)
	row := apptest.BrowserEval[string](t, org, `document.querySelector('#attendees tbody tr').innerText`)
	if !strings.Contains(row, "Ana Lima") || !strings.Contains(row, "I agree to be photographed") || !strings.Contains(row, "Yes") ||
		!strings.Contains(row, "Diet") || !strings.Contains(row, "Vegan") {
		t.Fatalf("attendee row: %q", row)
	}
}
