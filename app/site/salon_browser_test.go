package site_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
)

// TestSalonPageBrowser, on a 390 px phone and a 1280 px laptop: the RSVP
// call to action is on the first screen, a refused form comes back on the
// salon's address with the bad field focused and the typing kept, then the
// RSVP goes through; the poster is a PNG whose QR code opens the salon.
func TestSalonPageBrowser(t *testing.T) {
	exe := apptest.RequireChromium(t)
	type sized struct {
		name string
		w, h int
		lang string
	}
	var runs []sized
	// Both sizes in both languages: the Chinese page has its own line
	// lengths, error texts and poster fonts.
	for _, lang := range []string{"en-US", "zh-CN"} {
		for _, z := range []sized{{"phone", 390, 844, lang}, {"laptop", 1280, 900, lang}} {
			runs = append(runs, z)
		}
	}
	for _, size := range runs {
		t.Run(size.name+"/"+size.lang, func(t *testing.T) {
			ta, base := apptest.NewBrowserApp(t)
			long := strings.Repeat("A long paragraph about the evening, its talks and who should come. ", 12)
			slug := ta.Salon(`"slug":"phone-night","title":"法律之夜 Law night","venue":"WeWork","address":"威海路 755 号","description":"` +
				long + `\n\n` + long + `\n\n- one\n- two\n- three","capacity":5`)
			ctx := apptest.StartChromium(t, exe, size.w, size.h, chromedp.Flag("lang", size.lang))
			apptest.WatchConsole(t, ctx, size.name)
			page := base + "/salons/" + slug
			// The language switch sets the reader's choice, as a person does.
			first := page
			if size.lang == "zh-CN" {
				first = base + "/lang/zh?next=" + url.QueryEscape("/salons/"+slug)
			}

			// A window is at least 500 px wide; the phone is emulated.
			apptest.BrowserStep(t, ctx, "open the salon page", 15*time.Second,
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
						Width: int64(size.w), Height: int64(size.h), DeviceScaleFactor: 1, Mobile: size.name == "phone"})
					return err
				}),
				chromedp.Navigate(first), chromedp.WaitVisible(chromedp.CSS("h1")))
			if l := apptest.BrowserEval[string](t, ctx, `document.documentElement.lang`); l[:2] != size.lang[:2] {
				t.Fatalf("page language %q, want %s", l, size.lang)
			}
			if w := apptest.BrowserEval[int](t, ctx, `window.innerWidth`); w > size.w {
				t.Fatalf("viewport %d px wide, want at most %d", w, size.w)
			}
			// Something that starts an RSVP is wholly on the first screen.
			cta := `(() => { for (const el of document.querySelectorAll(".cta-bar a, #rsvp button[type=submit]")) {
				const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
				if (s.display !== "none" && s.visibility !== "hidden" && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight) return el.className || el.tagName; }
				return ""; })()`
			if got := apptest.BrowserEval[string](t, ctx, cta); got == "" {
				t.Fatalf("no RSVP call to action above the fold (screenshot: %s)", apptest.BrowserScreenshot(t, ctx))
			}
			cols := apptest.BrowserEval[int](t, ctx, `getComputedStyle(document.querySelector(".salon-layout")).gridTemplateColumns.split(" ").filter(Boolean).length`)
			if size.name == "laptop" && cols != 2 {
				t.Errorf("laptop layout has %d columns, want 2", cols)
			}
			if size.name == "phone" && cols > 1 {
				t.Errorf("phone layout has %d columns, want 1", cols)
			}

			apptest.BrowserStep(t, ctx, "RSVP with a bad email", 15*time.Second,
				chromedp.SetValue(chromedp.CSS("#name"), "Ana Lima"),
				chromedp.SetValue(chromedp.CSS("#email"), "not-an-address"),
				chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(".error-summary")))
			if p := apptest.BrowserEval[string](t, ctx, `location.pathname`); p != "/salons/"+slug {
				t.Errorf("after the error the address is %q, want the salon's", p)
			}
			apptest.BrowserStep(t, ctx, "focus on the bad field", 5*time.Second, apptest.WaitJS(`document.activeElement && document.activeElement.id === "email"`))
			if v := apptest.BrowserEval[string](t, ctx, `document.querySelector("#name").value + "|" + document.querySelector("#email").value`); v != "Ana Lima|not-an-address" {
				t.Errorf("typed values after the error: %q", v)
			}
			apptest.BrowserStep(t, ctx, "fix it and RSVP", 15*time.Second,
				chromedp.SetValue(chromedp.CSS("#email"), "ana@example.com"),
				chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button[type=submit]`)),
				apptest.WaitJS(`location.pathname.startsWith("/t/")`),
				chromedp.WaitVisible(chromedp.CSS(".state.ok")))

			apptest.BrowserStep(t, ctx, "make the poster", 20*time.Second,
				chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#poster-make")),
				chromedp.Click(chromedp.CSS("#poster-make")),
				apptest.WaitJS(`document.querySelector("#poster").getAttribute("data-ready") === "1"`))
			save := apptest.BrowserEval[string](t, ctx, `(() => { const a = document.querySelector("#poster-save"); return a.href.slice(0, 5) + "|" + a.download + "|" + a.hidden; })()`)
			if save != "blob:|phone-night-poster.png|false" {
				t.Errorf("poster link: %q", save)
			}
			data := apptest.BrowserEval[string](t, ctx, `document.querySelector("#poster canvas").toDataURL("image/png")`)
			b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(data, "data:image/png;base64,"))
			if err != nil {
				t.Fatal(err)
			}
			if got := decodePNGQR(t, b); got != page {
				t.Fatalf("the poster's QR says %q, want %q", got, page)
			}
		})
	}
}
