package door_test

import (
	"crypto/ed25519"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"salon/app/i18n"
	"salon/app/internal/apptest"
	"salon/static"
	"salon/tickets"
)

var scriptTag = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)

// TestDoorPage checks the scanner page keeps to the CSP (no inline script,
// style or handlers) and carries every text its script shows.
func TestDoorPage(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"door-page"`)
	status, body, hdr := ta.Do("GET", "/door/"+slug, "", "", "")
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("door page: %d %s", status, hdr.Get("Content-Type"))
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("CSP missing: %q", hdr.Get("Content-Security-Policy"))
	}
	v := static.Version
	for _, want := range []string{`<script type="module" src="/static/` + v + `/door/main.js"></script>`, `href="/static/` + v + `/door.css"`, `data-slug="door-page"`, `id="door-result"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	var strs string
	for _, m := range scriptTag.FindAllStringSubmatch(body, -1) {
		attrs, inner := m[1], strings.TrimSpace(m[2])
		switch {
		case strings.Contains(attrs, `type="application/json"`):
			if strings.Contains(attrs, `id="door-i18n"`) {
				strs = inner // data, which browsers never run
			}
		case strings.Contains(attrs, "src="):
			if inner != "" {
				t.Errorf("script with src and a body: %s", m[0])
			}
		default:
			t.Errorf("inline script: %s", m[0])
		}
	}
	if regexp.MustCompile(`(?i)\son[a-z]+=|\sstyle=|<style`).MatchString(body) {
		t.Error("inline handler or style attribute: the CSP would block it")
	}

	var texts map[string]string
	if err := json.Unmarshal([]byte(strs), &texts); err != nil {
		t.Fatalf("door-i18n block is not JSON: %v\n%s", err, strs)
	}
	keys := i18n.Keys()
	if len(texts) < 30 {
		t.Fatalf("only %d texts", len(texts))
	}
	for k, v := range texts {
		if !slices.Contains(keys, k) || v == "" || v == k || strings.Contains(v, "%!") {
			t.Errorf("text %s = %q: not in the catalogue or badly formatted", k, v)
		}
	}
	for k, want := range map[string]string{
		"door.ok":          "Welcome",
		"door.offline":     "OFFLINE",
		"door.queue":       "{n} waiting to upload",
		"door.already_at":  "First checked in at {time}",
		"door.count":       "{checked} / {confirmed} checked in",
		"door.search_none": "No guest by that name.",
	} {
		if texts[k] != want {
			t.Errorf("%s = %q, want %q", k, texts[k], want)
		}
	}
	if regexp.MustCompile(`sl[dt]_[A-Za-z0-9_-]{8}`).MatchString(body) {
		t.Error("the page must carry no key")
	}
}

func TestDoorStaticFiles(t *testing.T) {
	ta := apptest.New(t)
	h := "/static/" + static.Version
	for _, tc := range []struct {
		name, path, ctype, contains string
	}{
		{"script", h + "/door/main.js", "text/javascript", "from './verify.js'"},
		{"code checks", h + "/door/verify.js", "text/javascript", "config.code_context"},
		{"styles", h + "/door.css", "text/css", ".door-result"},
		{"qr worker", h + "/door/qr-worker.js", "text/javascript", "importScripts('../vendor/jsqr/jsQR.js')"},
		{"jsQR", h + "/vendor/jsqr/jsQR.js", "text/javascript", "jsQR"},
		{"jsQR licence", h + "/vendor/jsqr/LICENSE", "", "Apache License"},
		{"noble", h + "/vendor/noble-ed25519/index.js", "text/javascript", "verifyAsync"},
		{"noble licence", h + "/vendor/noble-ed25519/LICENSE", "", "MIT"},
		{"service worker", "/door/sw.js", "text/javascript", "salon-door-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := ta.Do("GET", tc.path, "", "", "")
			if status != 200 || !strings.Contains(hdr.Get("Content-Type"), tc.ctype) || !strings.Contains(body, tc.contains) {
				t.Fatalf("%s: %d %q, %d bytes", tc.path, status, hdr.Get("Content-Type"), len(body))
			}
		})
	}
	// The worker must be checked for updates on every visit.
	if _, _, hdr := ta.Do("GET", "/door/sw.js", "", "", ""); hdr.Get("Cache-Control") != "no-cache" {
		t.Fatalf("sw.js Cache-Control %q", hdr.Get("Cache-Control"))
	}
}

// staticRef is a reference to a file under /static/ in a page.
var staticRef = regexp.MustCompile(`(?:src|href)="(/static/[^"]*)"`)

// TestPagesUseHashedStatic checks every page links its CSS and scripts by
// the content version, so a phone never runs yesterday's scanner from its
// cache against today's API.
func TestPagesUseHashedStatic(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"hashed-static"`)
	for _, path := range []string{"/door/" + slug, "/", "/salons/" + slug, "/login"} {
		status, body, _ := ta.Do("GET", path, "", "", "")
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		refs := staticRef.FindAllStringSubmatch(body, -1)
		if len(refs) == 0 {
			t.Fatalf("%s links no static file", path)
		}
		for _, m := range refs {
			if !strings.HasPrefix(m[1], "/static/"+static.Version+"/") {
				t.Errorf("%s links %s, not under the version %s", path, m[1], static.Version)
			}
		}
	}
}

// TestStaticCaching checks the caching of each kind of static URL: the
// current version's files forever, old URLs without the version only after
// asking again, and another version's not at all.
func TestStaticCaching(t *testing.T) {
	ta := apptest.New(t)
	v := static.Version
	other := "0123456789abcdef"
	if other == v {
		other = "fedcba9876543210"
	}
	for _, tc := range []struct {
		path          string
		status        int
		ctype, cached string
	}{
		{"/static/" + v + "/door/main.js", 200, "text/javascript", "public, max-age=31536000, immutable"},
		{"/static/" + v + "/door/ui.js", 200, "text/javascript", "public, max-age=31536000, immutable"},
		{"/static/" + v + "/style.css", 200, "text/css", "public, max-age=31536000, immutable"},
		{"/static/" + v + "/vendor/jsqr/jsQR.js", 200, "text/javascript", "public, max-age=31536000, immutable"},
		{"/static/style.css", 200, "text/css", "no-cache"},
		{"/static/door/main.js", 200, "text/javascript", "no-cache"},
		{"/static/" + other + "/door/main.js", 404, "", "no-store"},
		{"/static/" + v + "/door/nothing.js", 404, "", "no-store"},
	} {
		status, _, hdr := ta.Do("GET", tc.path, "", "", "")
		if status != tc.status || !strings.HasPrefix(hdr.Get("Content-Type"), tc.ctype) || hdr.Get("Cache-Control") != tc.cached {
			t.Errorf("%s: %d %q Cache-Control %q, want %d %q %q", tc.path, status, hdr.Get("Content-Type"), hdr.Get("Cache-Control"), tc.status, tc.ctype, tc.cached)
		}
	}
}

// TestDoorConfig checks the page hands its modules the code format from the Go
// constants, so the phone and the server cannot disagree on what a code is.
func TestDoorConfig(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"door-config"`)
	_, body, _ := ta.Do("GET", "/door/"+slug, "", "", "")
	m := regexp.MustCompile(`(?s)<script type="application/json" id="door-config">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no door-config block:\n%s", body)
	}
	var cfg struct {
		MaxCodeLen    int    `json:"max_code_len"`
		CodeVersion   int    `json:"code_version"`
		CodeContext   string `json:"code_context"`
		CodeAlphabet  string `json:"code_alphabet"`
		MinPayload    int    `json:"min_payload"`
		SignatureSize int    `json:"signature_size"`
		DoorURL       string `json:"door_url"`
		CheckinsURL   string `json:"checkins_url"`
		ServiceWorker string `json:"service_worker"`
		Scope         string `json:"service_worker_scope"`
		Cache         string `json:"cache"`
	}
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("door-config is not JSON: %v\n%s", err, m[1])
	}
	if cfg.MaxCodeLen != tickets.MaxCodeLen || cfg.CodeVersion != tickets.CodeVersion || cfg.CodeContext != tickets.CodeContext ||
		cfg.CodeAlphabet != tickets.CodeAlphabet || cfg.MinPayload != tickets.MinPayload || cfg.SignatureSize != ed25519.SignatureSize {
		t.Errorf("code format in the page %+v differs from the Go constants", cfg)
	}
	if cfg.DoorURL != "/api/v1/salons/door-config/door" || cfg.CheckinsURL != "/api/v1/salons/door-config/checkins" {
		t.Errorf("API URLs %q %q", cfg.DoorURL, cfg.CheckinsURL)
	}
	if cfg.ServiceWorker != "/door/sw.js" || cfg.Scope != "/door/" || cfg.Cache != "salon-door-"+static.Version {
		t.Errorf("service worker %q %q cache %q", cfg.ServiceWorker, cfg.Scope, cfg.Cache)
	}
	// The same code is valid in both: a real one from the server verifies
	// by the format the page states (checked in the browser tests); here,
	// that the context really is what Sign signs over.
	if !strings.HasSuffix(cfg.CodeContext, "\x00") {
		t.Errorf("context %q", cfg.CodeContext)
	}
}

// TestDoorServiceWorkerVersion checks the worker's body names the static
// version and precaches the hashed URLs the page loads: a new version makes
// a new worker body, which is what makes browsers install it.
func TestDoorServiceWorkerVersion(t *testing.T) {
	ta := apptest.New(t)
	status, body, _ := ta.Do("GET", "/door/sw.js", "", "", "")
	if status != 200 {
		t.Fatalf("sw.js: %d", status)
	}
	h := "/static/" + static.Version + "/"
	for _, want := range []string{`"salon-door-` + static.Version + `"`, h + "door/main.js", h + "door/ui.js", h + "door/qr-worker.js", h + "door.css", h + "style.css", h + "app.js", h + "vendor/jsqr/jsQR.js", h + "vendor/noble-ed25519/index.js"} {
		if !strings.Contains(body, want) {
			t.Errorf("sw.js lacks %s", want)
		}
	}
	if strings.Contains(body, h+"door/sw.js") {
		t.Error("the worker precaches itself")
	}
}
