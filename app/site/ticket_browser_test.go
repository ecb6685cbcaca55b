package site_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/tickets"
)

// TestTicketCancelBrowser: on a 390 px phone, without typing anything, a
// confirmed guest taps cancel, reads what will happen and confirms; the
// seat goes to the first waiting and the page offers to RSVP again. The
// guest's page is Chinese, as the RSVP was, in a browser that asks for
// English.
func TestTicketCancelBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	slug := ta.Salon(`"title":"Law night","title_zh":"法律之夜","capacity":1`)
	fang := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh")
	bo := rsvpIn(t, ta, slug, "Bo", "bo@example.com", "en")
	ctx := apptest.StartChromium(t, exe, 390, 844, chromedp.Flag("lang", "en-US"))
	apptest.WatchConsole(t, ctx, "guest")
	// A headless window is wider than asked; the phone's viewport is emulated.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}

	apptest.BrowserStep(t, ctx, "open the ticket", 15*time.Second,
		chromedp.Navigate(base+"/t/"+fang),
		chromedp.WaitVisible(chromedp.CSS(".state.ok")),
	)
	if lang := apptest.BrowserEval[string](t, ctx, `document.documentElement.lang`); lang != "zh-Hans" {
		t.Fatalf("ticket page language: %q", lang)
	}
	if w := apptest.BrowserEval[int](t, ctx, `innerWidth`); w != 390 {
		t.Fatalf("viewport %d px wide, not a phone's 390", w)
	}
	apptest.BrowserStep(t, ctx, "tap cancel", 15*time.Second,
		chromedp.Click(chromedp.CSS("form.cancel button")),
		chromedp.WaitVisible(chromedp.CSS("form.confirm-cancel button")),
	)
	if effect := apptest.BrowserEval[string](t, ctx, `document.querySelector(".effect").textContent`); effect != "你的座位会让给候补名单上的下一位。" {
		t.Fatalf("the confirmation says: %q", effect)
	}
	// Both choices fit the phone: on screen, tappable, no sideways scroll.
	layout := apptest.BrowserEval[string](t, ctx, `(() => {
		const out = [];
		if (document.documentElement.scrollWidth > innerWidth) out.push("scrolls sideways: " + document.documentElement.scrollWidth);
		for (const sel of ["form.confirm-cancel button", "form.confirm-cancel .keep"]) {
			const r = document.querySelector(sel).getBoundingClientRect();
			if (r.height < 44 || r.width < 44) out.push(sel + " is small: " + r.width + "x" + r.height);
			if (r.left < 0 || r.right > innerWidth || r.bottom > innerHeight) out.push(sel + " is off screen: " + JSON.stringify(r));
		}
		return out.join("; ");
	})()`)
	if layout != "" {
		t.Fatalf("confirmation at 390 px: %s (screenshot: %s)", layout, apptest.BrowserScreenshot(t, ctx))
	}
	if got := ticketStatus(t, ta, fang); got != tickets.StatusConfirmed {
		t.Fatalf("asking cancelled: %s", got)
	}
	apptest.BrowserStep(t, ctx, "confirm", 15*time.Second,
		chromedp.Click(chromedp.CSS("form.confirm-cancel button")),
		chromedp.WaitVisible(chromedp.CSS(".state.off")),
		chromedp.WaitVisible(chromedp.CSS("a.rsvp-again")),
	)
	if path := apptest.BrowserEval[string](t, ctx, `location.pathname`); path != "/t/"+fang {
		t.Fatalf("after confirming: %s", path)
	}
	if ticketStatus(t, ta, fang) != tickets.StatusCancelled || ticketStatus(t, ta, bo) != tickets.StatusConfirmed {
		t.Fatalf("after confirming: fang %s, bo %s", ticketStatus(t, ta, fang), ticketStatus(t, ta, bo))
	}
	if again := apptest.BrowserEval[string](t, ctx, `document.querySelector("a.rsvp-again").getAttribute("href")`); !strings.HasSuffix(again, "/salons/"+slug) {
		t.Fatalf("RSVP again links to %q", again)
	}
}
