package site_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
)

// TestSalonPageCoverBrowser, on a 390 px phone at 3x and a 1280 px laptop:
// the cover loads from its srcset (a width suited to the screen), fits the
// column, leaves the title and the RSVP call to action on the first screen,
// and the host block shows.
func TestSalonPageCoverBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	for _, size := range []struct {
		name  string
		w, h  int
		scale float64
	}{{"phone", 390, 844, 3}, {"laptop", 1280, 900, 1}} {
		t.Run(size.name, func(t *testing.T) {
			ta, base := apptest.NewBrowserApp(t)
			slug := ta.Salon(`"slug":"cover-night","title":"Biotech night","host":{"name":"Mei Lin","about":"Runs the circle."},"capacity":5`)
			withCover(t, ta, slug, 1700, 850)
			ctx := apptest.StartChromium(t, exe, size.w, size.h)
			apptest.WatchConsole(t, ctx, size.name)
			apptest.BrowserStep(t, ctx, "open the salon page", 15*time.Second,
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
						Width: int64(size.w), Height: int64(size.h), DeviceScaleFactor: size.scale, Mobile: size.name == "phone"})
					return err
				}),
				chromedp.Navigate(base+"/salons/"+slug), chromedp.WaitVisible(chromedp.CSS("h1")),
				apptest.WaitJS(`document.querySelector(".cover img").complete && document.querySelector(".cover img").naturalWidth > 0`))
			shot := func() string { return apptest.BrowserScreenshot(t, ctx) }
			if n := apptest.BrowserEval[int](t, ctx, `document.querySelector(".cover img").naturalWidth`); n == 0 {
				t.Fatalf("the cover did not load (screenshot: %s)", shot())
			}
			src := apptest.BrowserEval[string](t, ctx, `document.querySelector(".cover img").currentSrc`)
			srcset := apptest.BrowserEval[string](t, ctx, `document.querySelector(".cover img").getAttribute("srcset")`)
			if srcset == "" {
				t.Fatal("no srcset")
			}
			// 390 px at 3x wants 1170 device pixels: the 1600. The laptop's
			// 42rem column at 1x wants 672: the 960.
			want := map[string]string{"phone": "/1600.jpg", "laptop": "/960.jpg"}[size.name]
			if len(src) < len(want) || src[len(src)-len(want):] != want {
				t.Errorf("the browser chose %s, want the %s (srcset %s)", src, want, srcset)
			}
			fits := apptest.BrowserEval[bool](t, ctx, `(() => { const r = document.querySelector(".cover img").getBoundingClientRect();
				const a = document.querySelector("article.salon").getBoundingClientRect();
				return r.width > 0 && r.left >= a.left - 1 && r.right <= a.right + 1 && r.height <= innerHeight / 2 + 1; })()`)
			if !fits {
				t.Errorf("the cover does not fit its column or takes over half the screen (screenshot: %s)", shot())
			}
			onScreen := apptest.BrowserEval[bool](t, ctx, `(() => { const h = document.querySelector("h1").getBoundingClientRect();
				for (const el of document.querySelectorAll(".cta-bar a, #rsvp button[type=submit]")) {
					const r = el.getBoundingClientRect(); if (getComputedStyle(el).display !== "none" && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight) return h.bottom <= innerHeight; }
				return false; })()`)
			if !onScreen {
				t.Errorf("with the cover, the title or the RSVP call to action is off the first screen (screenshot: %s)", shot())
			}
			if got := apptest.BrowserEval[string](t, ctx, `document.querySelector(".host-name").textContent`); got != "Mei Lin" {
				t.Errorf("host = %q", got)
			}
		})
	}
}
