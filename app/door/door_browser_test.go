package door_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"salon/app/internal/apptest"
	"salon/static"
)

// doorGuest makes a salon with one confirmed guest and a door link, and
// returns the link, the guest's ticket id and the PNG of its QR code.
func doorGuest(t *testing.T, ta *apptest.App, base, slug string) (link, ticketID string, png []byte) {
	t.Helper()
	ta.Salon(`"slug":"` + slug + `","capacity":5`)
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Ana Lima","email":"ana@example.com","company":"Acme Bio"}`)
	if s != 201 {
		t.Fatalf("rsvp: %d %v", s, out)
	}
	tk := out["ticket"].(map[string]any)
	s, body, _ := ta.Do("GET", strings.TrimPrefix(tk["qr_url"].(string), base), "", "", "")
	if s != 200 {
		t.Fatalf("qr: %d", s)
	}
	s, out = ta.JSON("POST", "/api/v1/salons/"+slug+"/door-links", ta.Token, `{"label":"front door"}`)
	if s != 201 {
		t.Fatalf("door link: %d %v", s, out)
	}
	link = out["door_link"].(map[string]any)["url"].(string)
	if !strings.HasPrefix(link, base+"/door/"+slug+"#key=sld_") {
		t.Fatalf("door link %q", link)
	}
	return link, tk["id"].(string), []byte(body)
}

// writeY4M writes a few 640x480 frames of the QR code centred on white, in
// the YUV4MPEG2 format Chromium's fake camera plays in a loop.
func writeY4M(t *testing.T, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	const w, h = 640, 480
	y := bytes.Repeat([]byte{235}, w*h) // white in video range
	b := img.Bounds()
	scale := 1
	if b.Dx() <= 200 {
		scale = 2
	}
	ox, oy := (w-b.Dx()*scale)/2, (h-b.Dy()*scale)/2
	for py := 0; py < b.Dy()*scale; py++ {
		for px := 0; px < b.Dx()*scale; px++ {
			g := color.GrayModel.Convert(img.At(b.Min.X+px/scale, b.Min.Y+py/scale)).(color.Gray).Y
			y[(oy+py)*w+ox+px] = byte(16 + int(g)*219/255)
		}
	}
	chroma := bytes.Repeat([]byte{128}, 2*(w/2)*(h/2))
	path := filepath.Join(t.TempDir(), "ticket.y4m")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for i := 0; i < 5; i++ {
		bw.WriteString("FRAME\n")
		bw.Write(y)
		bw.Write(chroma)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// doorBrowser starts a headless Chromium sized as a phone whose camera
// films video, and returns a tab's context.
func doorBrowser(t *testing.T, exe, video string) context.Context {
	t.Helper()
	ctx := apptest.StartChromium(t, exe, 375, 667,
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video),
	)
	apptest.WatchConsole(t, ctx, "door")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	return ctx
}

func TestDoorBrowser_ScanOnline(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	link, ticketID, png := doorGuest(t, ta, base, "door-online")
	// A second guest comes without a phone and is found by name.
	s, out := ta.JSON("POST", "/api/v1/salons/door-online/rsvps", "", `{"name":"Bo Chen","email":"bo@example.com","company":"Helix"}`)
	if s != 201 {
		t.Fatalf("rsvp: %d %v", s, out)
	}
	boID := doorID(t, out["ticket"].(map[string]any)["id"].(string))
	ctx := doorBrowser(t, exe, writeY4M(t, png))

	apptest.BrowserStep(t, ctx, "scan", 20*time.Second,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#door-result.ok")),
		apptest.WaitJS(`document.getElementById('door-result').dataset.elapsedMs`),
	)
	if name := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result-name').textContent`); name != "Ana Lima" {
		t.Fatalf("green screen shows %q (screenshot: %s)", name, apptest.BrowserScreenshot(t, ctx))
	}
	if c := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result-company').textContent`); c != "Acme Bio" {
		t.Errorf("company %q", c)
	}
	if off := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result').dataset.offline`); off != "false" {
		t.Errorf("answered offline while online")
	}
	ms := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result').dataset.elapsedMs`)
	t.Logf("online: decode to answer on screen %s ms", ms)

	// The key left the address bar for localStorage.
	if h := apptest.BrowserEval[string](t, ctx, `location.href`); strings.Contains(h, "key=") {
		t.Errorf("key still in the address bar: %s", h)
	}
	if k := apptest.BrowserEval[string](t, ctx, `localStorage.getItem('salon.door.key:door-online') || ''`); !strings.Contains(k, "sld_") {
		t.Errorf("key not kept: %q", k)
	}
	apptest.BrowserStep(t, ctx, "count", 10*time.Second, apptest.WaitJS(`document.getElementById('door-count').textContent === '1 / 2 checked in'`))

	id := doorID(t, ticketID)
	tk, err := ta.FindTicket("door-online", id)
	if err != nil || tk.CheckedInAt == nil {
		t.Fatalf("server has no check-in: %v %+v", err, tk)
	}

	apptest.BrowserStep(t, ctx, "check in by name", 10*time.Second,
		chromedp.Evaluate[chromedp.Void](`document.getElementById('door-result').click()`),
		chromedp.WaitNotVisible(chromedp.CSS("#door-result")),
		chromedp.SendKeys(chromedp.CSS("#door-search"), "bo"),
		chromedp.WaitVisible(chromedp.CSS("#door-guests button")),
		chromedp.Click(chromedp.CSS("#door-guests button")),
		chromedp.WaitVisible(chromedp.CSS("#door-result.ok")),
		apptest.WaitJS(`document.getElementById('door-count').textContent === '2 / 2 checked in'`),
	)
	if name := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result-name').textContent`); name != "Bo Chen" {
		t.Fatalf("check-in by name shows %q (screenshot: %s)", name, apptest.BrowserScreenshot(t, ctx))
	}
	if tk, err := ta.FindTicket("door-online", boID); err != nil || tk.CheckedInAt == nil {
		t.Fatalf("server has no check-in by name: %v", err)
	}
}

func TestDoorBrowser_Offline(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	link, ticketID, png := doorGuest(t, ta, base, "door-offline")
	ctx := doorBrowser(t, exe, writeY4M(t, png))

	// The wifi is down for check-ins from the start, and the phone knows
	// it; the guest list still arrives, as it would have earlier in the day.
	offline := func(all bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			pattern := base + "/api/v1/salons/*/checkins"
			if all {
				pattern = ""
			}
			if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				EmulateOfflineServiceWorker: &all,
				MatchedNetworkConditions:    []*network.Conditions{{URLPattern: pattern, Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
			}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
			return err
		})
	}
	online := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		no := false
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &no,
			MatchedNetworkConditions:    []*network.Conditions{},
		}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: false, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})

	apptest.BrowserStep(t, ctx, "scan offline", 20*time.Second,
		offline(false),
		chromedp.Navigate(link),
		apptest.WaitJS(`document.getElementById('door-count').textContent.startsWith('0 / 1')`),
		// The service worker has installed and kept the page, as it would
		// have on the venue's wifi before it failed.
		apptest.WaitJS(`navigator.serviceWorker.ready.then(() => caches.match(location.pathname))`),
		// It fetched the versioned modules on install, into this build's cache.
		apptest.WaitJS(`caches.open('salon-door-`+static.Version+`').then(c => c.match('`+static.URL("door/verify.js")+`'))`),
		offline(true),
		chromedp.WaitVisible(chromedp.CSS("#door-result.ok")),
		chromedp.WaitVisible(chromedp.CSS("#door-result-offline")),
		chromedp.WaitVisible(chromedp.CSS("#door-offline")),
		apptest.WaitJS(`document.getElementById('door-queue').dataset.n === '1'`),
		apptest.WaitJS(`document.getElementById('door-result').dataset.elapsedMs`),
	)
	if name := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result-name').textContent`); name != "Ana Lima" {
		t.Fatalf("green screen shows %q (screenshot: %s)", name, apptest.BrowserScreenshot(t, ctx))
	}
	if q := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-queue').textContent`); q != "1 waiting to upload" {
		t.Errorf("queue shows %q", q)
	}
	ms := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result').dataset.elapsedMs`)
	t.Logf("offline: decode to answer on screen %s ms (local Ed25519 check)", ms)
	id := doorID(t, ticketID)
	if tk, _ := ta.FindTicket("door-offline", id); tk.CheckedInAt != nil {
		t.Fatal("the server saw a check-in while the phone was offline")
	}

	// A reload with no network at all: the service worker has the page,
	// localStorage the list and the queue, and the phone remembers that
	// this guest is already in.
	apptest.BrowserStep(t, ctx, "reload offline", 20*time.Second,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#door-result.warn")),
		chromedp.WaitVisible(chromedp.CSS("#door-result-offline")),
		chromedp.WaitVisible(chromedp.CSS("#door-offline")),
		apptest.WaitJS(`document.getElementById('door-queue').dataset.n === '1'`),
	)
	if title := apptest.BrowserEval[string](t, ctx, `document.getElementById('door-result-title').textContent`); title != "Already checked in" {
		t.Errorf("rescan after reload: %q", title)
	}
	wentOnline := time.Now()

	apptest.BrowserStep(t, ctx, "upload", 15*time.Second,
		online,
		apptest.WaitJS(`document.getElementById('door-queue').dataset.n === '0'`),
		chromedp.WaitNotVisible(chromedp.CSS("#door-offline")),
	)
	t.Logf("queue uploaded %v after the network came back", time.Since(wentOnline).Round(time.Millisecond))
	tk, err := ta.FindTicket("door-offline", id)
	if err != nil || tk.CheckedInAt == nil {
		t.Fatalf("server has no check-in after upload: %v", err)
	}
	scans, err := ta.DB.FindScans(context.Background(), tk.SalonID)
	if err != nil || len(scans) != 1 {
		t.Fatalf("scans: %v %d", err, len(scans))
	}
	sc := scans[0]
	if sc.Result != "ok" || sc.Nonce == "" || sc.Device == "" || sc.DoorLinkID == 0 {
		t.Errorf("scan logged as %+v", sc)
	}
	// The check-in keeps the time of the scan, not of the upload.
	if sc.ScannedAt.After(wentOnline) {
		t.Errorf("scanned_at %v is the upload time, not the scan's (online again at %v)", sc.ScannedAt, wentOnline)
	}
}

func doorID(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}

// TestDoorBrowser_CameraFailureMovesNothing: when the camera cannot start
// (here: no camera at all), its message and start button appear over the
// viewfinder, so the guest search and its buttons stay where they were. A
// button that moves as it is tapped checks in whoever slid under the
// finger.
func TestDoorBrowser_CameraFailureMovesNothing(t *testing.T) {
	exe := apptest.RequireChromium(t)
	t.Parallel()
	ta, base := apptest.NewBrowserApp(t)
	link, _, _ := doorGuest(t, ta, base, "door-steady")
	ctx := apptest.StartChromium(t, exe, 375, 667)
	apptest.WatchConsole(t, ctx, "door")
	apptest.BrowserStep(t, ctx, "camera fails", 20*time.Second,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#door-search")),
		chromedp.WaitVisible(chromedp.CSS("#door-camera-start")),
	)
	// The same page in both states, switched by hand so the measure does
	// not depend on when the camera gave up.
	shift := apptest.BrowserEval[float64](t, ctx, `(function () {
		var b = document.getElementById('door-camera-start'), m = document.getElementById('door-camera-msg');
		var top = function () { return document.getElementById('door-search').getBoundingClientRect().top; };
		var failed = top();
		b.hidden = true; m.textContent = 'x';
		var running = top();
		b.hidden = false; m.textContent = 'A much longer message, one that takes two or three lines on a phone.';
		return Math.abs(failed - running) + Math.abs(top() - running);
	})()`)
	if shift != 0 {
		t.Fatalf("the guest search moves %.1f px with the camera's state (screenshot: %s)", shift, apptest.BrowserScreenshot(t, ctx))
	}
	// The start button is on the viewfinder and can be tapped.
	inside := apptest.BrowserEval[bool](t, ctx, `(function () {
		var v = document.querySelector('.door-video').getBoundingClientRect();
		var b = document.getElementById('door-camera-start').getBoundingClientRect();
		var hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
		return b.top >= v.top && b.bottom <= v.bottom && hit && hit.id === 'door-camera-start';
	})()`)
	if !inside {
		t.Fatalf("the start button is not on the viewfinder (screenshot: %s)", apptest.BrowserScreenshot(t, ctx))
	}
}
