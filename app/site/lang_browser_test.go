package site_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/storage"
)

// TestLanguageBrowser: a reader switches to Chinese with the link on the
// page, RSVPs and reads the ticket in Chinese; the salon's zone is shown to
// a browser elsewhere and hidden from one in Shanghai.
func TestLanguageBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	slug := ta.Salon(`"slug":"bilingual","title":"Law night","title_zh":"法律之夜","capacity":5`)
	ctx := apptest.StartChromium(t, exe, 1280, 900)
	apptest.WatchConsole(t, ctx, "reader")

	apptest.BrowserStep(t, ctx, "open the salon page", 15*time.Second,
		chromedp.Navigate(base+"/salons/"+slug),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	)
	if h1 := apptest.BrowserEval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Law night" {
		t.Fatalf("before the switch: %q", h1)
	}
	// The browser runs in UTC here: the salon's zone is named.
	if hidden := apptest.BrowserEval[bool](t, ctx, `document.querySelector(".tz").hidden`); hidden {
		t.Fatal("the zone is hidden from a reader in another zone")
	}
	apptest.BrowserStep(t, ctx, "switch to Chinese", 15*time.Second,
		chromedp.Click(chromedp.CSS("nav.lang a")),
		apptest.WaitJS(`document.documentElement.lang === "zh-Hans" && document.querySelector("h1").textContent === "法律之夜"`),
	)
	apptest.BrowserStep(t, ctx, "RSVP in Chinese", 15*time.Second,
		chromedp.SetValue(chromedp.CSS("#name"), "王芳"),
		chromedp.SetValue(chromedp.CSS("#email"), "fang@example.com"),
		chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button[type=submit]`)),
		apptest.WaitJS(`location.pathname.startsWith("/t/")`),
		chromedp.WaitVisible(chromedp.CSS(".state.ok")),
	)
	if state := apptest.BrowserEval[string](t, ctx, `document.querySelector(".state.ok").textContent`); !strings.Contains(state, "你已获得座位") {
		t.Fatalf("ticket page: %q", state)
	}
	// The same page for a reader whose browser is in Shanghai: no zone.
	apptest.BrowserStep(t, ctx, "reload in Shanghai", 15*time.Second,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Shanghai"})
			return err
		}),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(".state.ok")),
		apptest.WaitJS(`document.querySelector(".tz").hidden === true`),
	)
	list, err := ta.DB.FindTickets(context.Background(), ticketsByEmail("fang@example.com"))
	if err != nil || len(list) != 1 || list[0].Lang != "zh" {
		t.Fatalf("the RSVP did not keep its language: %v %v", list, err)
	}
}

func ticketsByEmail(email string) storage.TicketFilter { return storage.TicketFilter{Email: email} }
