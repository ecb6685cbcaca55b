package apptest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian installs Chromium.
const ChromiumPath = "/usr/bin/chromium"

// RequireChromium returns the Chromium to drive, skipping the test where
// there is none unless SALON_REQUIRE_BROWSER=1 makes that a failure.
func RequireChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() && os.Getenv("SALON_REQUIRE_BROWSER") != "1" {
		t.Skip("browser test: not in -short mode")
	}
	path := ChromiumPath
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else if os.Getenv("SALON_REQUIRE_BROWSER") == "1" {
			t.Fatalf("SALON_REQUIRE_BROWSER=1 but chromium is not installed at %s", ChromiumPath)
		} else {
			t.Skip("chromium is not installed; set SALON_REQUIRE_BROWSER=1 to make this a failure")
		}
	}
	return path
}

// StartChromium starts a headless Chromium with the flags this network
// needs, sized w×h, plus extra options, and returns a tab's context. The
// tab's console is watched (see watchConsole).
func StartChromium(t *testing.T, exe string, w, h int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// WatchConsole collects a tab's errors and warnings; when the test ends it
// logs them (a goroutine may not log after that) and fails the test on page
// exceptions and CSP violations, which would mean part of a page is broken.
func WatchConsole(t *testing.T, ctx context.Context, who string) {
	var mu sync.Mutex
	var seen []chromedp.ConsoleMessage
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleException || m.Type == "error" || m.Type == "warning" {
				mu.Lock()
				seen = append(seen, m)
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range seen {
			t.Logf("%s browser %s %s", who, m, m.URL)
			if m.Type == chromedp.ConsoleException || strings.Contains(m.Text, "Content Security Policy") {
				t.Errorf("%s browser: %s", who, m)
			}
		}
	})
}

// BrowserStep runs actions with a deadline, saving a screenshot when they fail.
func BrowserStep(t *testing.T, ctx context.Context, name string, d time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v (screenshot: %s)", name, err, BrowserScreenshot(t, ctx))
	}
}

// BrowserEval evaluates expr in the tab, failing the test (with a
// screenshot) when it cannot.
func BrowserEval[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("%s: %v (screenshot: %s)", expr, err, BrowserScreenshot(t, ctx))
	}
	return v
}

// BrowserScreenshot saves what the tab shows, for a failed test, where CI can
// keep it: $SALON_SCREENSHOT_DIR or testdata/screenshots/.
func BrowserScreenshot(t *testing.T, ctx context.Context) string {
	dir := os.Getenv("SALON_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "none: " + err.Error()
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		return "none: " + err.Error()
	}
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "none: " + err.Error()
	}
	abs, _ := filepath.Abs(path)
	return abs
}

// WaitJS polls a JavaScript expression (or promise) until it is truthy.
// chromedp.Poll builds its predicate with new Function, which the page's CSP
// forbids.
func WaitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Promise.resolve("+expr+").then(v => !!v)", chromedp.EvalAwaitPromise))
			if err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", expr, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

// SignIn fills the console's sign-in form, which the page just navigated
// to shows, with email and TestPassword and submits it: one action, to put
// between the navigation and what the signed-in page should show.
func SignIn(email string) chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SetValue(chromedp.CSS("#email"), email),
		chromedp.SetValue(chromedp.CSS("#password"), TestPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
	}
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for _, step := range steps {
			if _, err := step(ctx, tg); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}
