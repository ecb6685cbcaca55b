package door_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
)

// TestDoorPinyinSearch: door staff type "wangf" and find 王芳, type a
// company and find its guest; forgetting the key sits folded away from
// the scan controls and asks before it acts.
func TestDoorPinyinSearch(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	link, _, _ := doorGuest(t, ta, base, "pinyin")
	for _, g := range []string{`{"name":"王芳","email":"fang@example.com","company":"蚂蚁集团"}`,
		`{"name":"李娜","email":"na@example.com","company":"Acme Robotics"}`} {
		if s, out := ta.JSON("POST", "/api/v1/salons/pinyin/rsvps", "", g); s != 201 {
			t.Fatalf("rsvp: %d %v", s, out)
		}
	}
	ctx := apptest.StartChromium(t, exe, 390, 844)
	apptest.WatchConsole(t, ctx, "door")
	apptest.BrowserStep(t, ctx, "open the door link", 20*time.Second,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#door-search")),
		apptest.WaitJS(`document.getElementById("door-count").textContent.indexOf("3") >= 0`),
	)
	names := func() string {
		return apptest.BrowserEval[string](t, ctx, `[...document.querySelectorAll("#door-guests .door-guest-name")].map(e => e.firstChild.textContent).join(",")`)
	}
	for _, c := range []struct{ typed, want string }{
		{"wangf", "王芳"},
		{"wang fang", "王芳"},
		{"wf", "王芳"},
		{"王", "王芳"},
		{"mayi", "王芳"},
		{"robotics", "李娜"},
		{"lina", "李娜"},
		{"acme", "Ana Lima,李娜"},
	} {
		apptest.BrowserStep(t, ctx, "type "+c.typed, 10*time.Second,
			chromedp.Evaluate[chromedp.Void](`void (document.getElementById("door-search").value = "")`),
			chromedp.SendKeys(chromedp.CSS("#door-search"), c.typed),
			apptest.WaitJS(`document.querySelectorAll("#door-guests li").length > 0`),
		)
		if got := names(); got != c.want {
			t.Errorf("typed %q: found %q, want %q", c.typed, got, c.want)
		}
	}

	// The forget button is not among the scan controls, and is folded.
	if apptest.BrowserEval[bool](t, ctx, `document.getElementById("door-scan").contains(document.getElementById("door-forget")) ||
		document.getElementById("door-manual").contains(document.getElementById("door-forget")) ||
		document.getElementById("door-forget").checkVisibility()`) {
		t.Fatal("forget the key is in view beside the scan controls")
	}
	apptest.BrowserStep(t, ctx, "ask to forget, then keep", 10*time.Second,
		chromedp.Click(chromedp.CSS("#door-settings summary")),
		chromedp.WaitVisible(chromedp.CSS("#door-forget")),
		chromedp.Click(chromedp.CSS("#door-forget")),
		chromedp.WaitVisible(chromedp.CSS("#door-forget-confirm")),
		chromedp.Click(chromedp.CSS("#door-forget-no")),
		chromedp.WaitVisible(chromedp.CSS("#door-forget")),
	)
	if key := apptest.BrowserEval[string](t, ctx, `Object.keys(localStorage).filter(k => k.indexOf("key:") >= 0).join()`); key == "" {
		t.Fatal("keeping the key lost it")
	}
	apptest.BrowserStep(t, ctx, "forget for real", 15*time.Second,
		chromedp.Click(chromedp.CSS("#door-forget")),
		chromedp.WaitVisible(chromedp.CSS("#door-forget-yes")),
		chromedp.Click(chromedp.CSS("#door-forget-yes")),
		chromedp.WaitVisible(chromedp.CSS("#door-auth")),
	)
	if key := apptest.BrowserEval[string](t, ctx, `Object.keys(localStorage).filter(k => k.indexOf("key:") >= 0).join()`); strings.Contains(key, "pinyin") {
		t.Fatalf("the key is still kept: %q", key)
	}
}
