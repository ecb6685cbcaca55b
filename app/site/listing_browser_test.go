package site_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
)

// TestListingFilterBrowser: choosing an industry in the listing's filter
// shows that industry's salons at once, with no button to press (the
// noscript one is not shown when scripts run).
func TestListingFilterBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	ta.Salon(`"slug":"law-night","title":"Law night","industry":"law"`)
	ta.Salon(`"slug":"fintech-night","title":"Fintech night","industry":"fintech"`)
	ctx := apptest.StartChromium(t, exe, 390, 844)
	apptest.WatchConsole(t, ctx, "reader")
	apptest.BrowserStep(t, ctx, "open the listing", 15*time.Second,
		chromedp.Navigate(base+"/"),
		apptest.WaitJS(`document.querySelectorAll(".salons .card").length === 2`),
	)
	if n := apptest.BrowserEval[int](t, ctx, `[...document.querySelectorAll(".filter-industry button")].filter(b => b.offsetParent !== null).length`); n != 0 {
		t.Fatalf("%d visible buttons beside the industry filter, want none", n)
	}
	apptest.BrowserStep(t, ctx, "choose an industry", 15*time.Second,
		// One script sets the choice and announces it, as a person's pick
		// does; the page may start navigating as soon as it hears it.
		chromedp.Evaluate[chromedp.Void](`void (() => { const s = document.querySelector("#industry"); s.value = "law"; s.dispatchEvent(new Event("change", {bubbles: true})) })()`),
		apptest.WaitJS(`location.search === "?q=&industry=law" && document.querySelectorAll(".salons .card").length === 1`),
	)
	if h := apptest.BrowserEval[string](t, ctx, `document.querySelector(".salons .card h2").textContent`); h != "Law night" {
		t.Fatalf("after choosing law: %q", h)
	}
	if v := apptest.BrowserEval[string](t, ctx, `document.querySelector("#industry").value`); v != "law" {
		t.Fatalf("the filter forgot its choice: %q", v)
	}
}
