package app_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/events"
)

// axeSource is axe-core, vendored for this test only (see its README).
//
//go:embed internal/apptest/testdata/axe/axe.min.js
var axeSource string

// axeRun checks the page against WCAG 2.0/2.1 A and AA and answers the
// serious and critical violations, one line each with rule and targets.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
	.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.impact + " " + v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", ")))`

// tapTargets lists links and buttons in the main content smaller than
// 44×44 CSS px. Links inside running text are allowed (WCAG 2.5.8 exempts
// inline targets): an inline <a> whose block holds more text than it.
const tapTargets = `(() => {
	const out = [];
	for (const el of document.querySelectorAll("main a[href], main button, main input[type=submit], main select, main summary")) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) continue; // hidden
		const cs = getComputedStyle(el);
		if (el.tagName === "A" && cs.display === "inline") {
			const block = el.closest("p, li, dd, td, figcaption, h1, h2, h3");
			if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
		}
		if (r.width < 44 || r.height < 44) {
			out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).split(" ").join(".") : "") +
				" «" + el.textContent.trim().slice(0, 30) + "» " + Math.round(r.width) + "x" + Math.round(r.height));
		}
	}
	return out;
})()`

// TestAccessibility: every kind of page passes axe-core's WCAG 2.1 AA
// rules with no serious or critical finding, on a 390 px phone and a
// 1280 px laptop, in English and Chinese, and its links and buttons are
// big enough to tap.
func TestAccessibility(t *testing.T) {
	exe := apptest.RequireChromium(t)
	ta, base := apptest.NewBrowserApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	mei, _ := ta.DB.FindUserByEmail(t.Context(), "mei@example.com")
	tok, err := ta.DB.CreateAPIToken(t.Context(), mei.ID, "a11y")
	if err != nil {
		t.Fatal(err)
	}
	ta.Token = tok
	open := ta.Salon(`"title":"Law night","title_zh":"法律之夜","capacity":1,"venue":"WeWork","address":"Weihai Lu 1"`)
	full := ta.Salon(`"title":"Full house","capacity":1,"waitlist":false`)
	gone := ta.Salon(`"title":"Called off"`)
	// The app's links start with its own listener here.
	rsvp := func(slug, email string) string {
		_, tk := ta.RSVPToken(slug, email)
		u := tk["manage_url"].(string)
		return u[strings.LastIndex(u, "/")+1:]
	}
	confirmed := rsvp(open, "ana@example.com")
	waitlisted := rsvp(open, "bo@example.com")
	cancelled := rsvp(full, "carl@example.com")
	if s, out := ta.JSON("POST", "/api/v1/tickets/"+cancelled+"/cancel", "", ""); s != 200 {
		t.Fatalf("cancel: %d %v", s, out)
	}
	ta.RSVPToken(full, "dee@example.com")
	if s, out := ta.JSON("POST", "/api/v1/salons/"+gone+"/cancel", tok, ""); s != 200 {
		t.Fatalf("cancel salon: %d %v", s, out)
	}

	dir := os.Getenv("SALON_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	type check struct {
		name string
		// go opens the page; it runs in a tab with its language chosen.
		go_ func(ctx context.Context) error
	}
	nav := func(path, wait string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(wait)))
		}
	}
	checks := []check{
		{"listing", nav("/", "main")},
		{"salon-open", nav("/salons/"+open, "main form")},
		{"salon-full", nav("/salons/"+full, "main")},
		{"salon-cancelled", nav("/salons/"+gone, "main")},
		{"salon-rsvp-error", func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.Navigate(base+"/salons/"+open), chromedp.WaitVisible(chromedp.CSS("main form")),
				chromedp.SendKeys(chromedp.CSS("#email"), "not an address"),
				chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`[aria-invalid="true"]`)))
		}},
		{"ticket-confirmed", nav("/t/"+confirmed, ".state.ok")},
		{"ticket-waitlisted", nav("/t/"+waitlisted, ".state.wait")},
		{"ticket-cancelled", nav("/t/"+cancelled, ".state.off")},
		{"ticket-cancel-confirm", nav("/t/"+confirmed+"/cancel", "form.confirm-cancel")},
		{"privacy", nav("/privacy", "main h1")},
		{"console-login", nav("/login", "main form")},
		{"console-home", nav("/admin", "main h1")},
		{"console-salon", nav("/admin/salons/"+open, "main h1")},
		{"door", nav("/door/"+open, "#door")},
	}

	for _, size := range []struct {
		name string
		w, h int64
		opts []chromedp.EmulateViewportOption
	}{{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}}, {"laptop", 1280, 800, nil}} {
		for _, lang := range []string{"en", "zh"} {
			t.Run(size.name+"-"+lang, func(t *testing.T) {
				ctx := apptest.StartChromium(t, exe, int(size.w), int(size.h))
				apptest.BrowserStep(t, ctx, "set up", 30*time.Second,
					chromedp.EmulateViewport(size.w, size.h, size.opts...),
					// axe is injected by the test, not served: let it past the CSP.
					chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
						_, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
						return err
					}),
					chromedp.Navigate(base+"/lang/"+lang+"?next=/"),
				)
				signIn(t, ctx, base)
				// The check can fail: an image without a text alternative is
				// a critical finding.
				apptest.BrowserStep(t, ctx, "broken page", 30*time.Second, chromedp.Navigate(base+"/privacy"), chromedp.WaitVisible(chromedp.CSS("main h1")))
				apptest.BrowserEval[bool](t, ctx, `document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/static/none.png" width="50" height="50">') || true`)
				if got, err := audit(ctx); err != nil || len(got) == 0 || !strings.Contains(got[0], "critical image-alt") {
					t.Fatalf("axe missed an image without alt: %v %v", got, err)
				}
				for _, c := range checks {
					cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
					err := c.go_(cctx)
					var findings []string
					if err == nil {
						findings, err = audit(cctx)
					}
					if err == nil {
						if want := map[string]string{"en": "en", "zh": "zh-Hans"}[lang]; apptest.BrowserEval[string](t, ctx, `document.documentElement.lang`) != want {
							findings = append(findings, "html lang is not "+want)
						}
					}
					cancel()
					if err != nil || len(findings) > 0 {
						shot := screenshot(ctx, filepath.Join(dir, size.name+"-"+lang+"-"+c.name+".png"))
						t.Errorf("%s (%s, %s): %v\n\t%s\n\tscreenshot: %s", c.name, size.name, lang, err, strings.Join(findings, "\n\t"), shot)
					}
				}
			})
		}
	}
}

// signIn signs the tab in to the console as mei@example.com.
func signIn(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	apptest.BrowserStep(t, ctx, "sign in", 30*time.Second,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "mei@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), apptest.TestPassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("nav.console-nav")),
	)
}

// audit injects axe-core into the tab's page and answers its serious and
// critical findings, then the tap targets that are too small.
func audit(ctx context.Context) ([]string, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axeSource+";0")); err != nil {
		return nil, fmt.Errorf("inject axe: %w", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe: %w", err)
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](tapTargets))
	if err != nil {
		return nil, fmt.Errorf("tap targets: %w", err)
	}
	for _, s := range small {
		out = append(out, "tap target under 44 px: "+s)
	}
	return out, nil
}

// screenshot saves the whole page at path and answers the path, or why not.
func screenshot(ctx context.Context, path string) string {
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(90))
	if err != nil {
		return "none: " + err.Error()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "none: " + err.Error()
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "none: " + err.Error()
	}
	return path
}
