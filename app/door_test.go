package app_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"salon/app/i18n"
)

var scriptTag = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)

// TestDoorPage checks the scanner page keeps to the CSP (no inline script,
// style or handlers) and carries every text its script shows.
func TestDoorPage(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon(`"slug":"door-page"`)
	status, body, hdr := ta.do("GET", "/door/"+slug, "", "", "")
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("door page: %d %s", status, hdr.Get("Content-Type"))
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("CSP missing: %q", hdr.Get("Content-Security-Policy"))
	}
	for _, want := range []string{`<script src="/static/door.js" defer></script>`, `href="/static/door.css"`, `data-slug="door-page"`, `id="door-result"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	var strs string
	for _, m := range scriptTag.FindAllStringSubmatch(body, -1) {
		attrs, inner := m[1], strings.TrimSpace(m[2])
		switch {
		case strings.Contains(attrs, `type="application/json"`):
			strs = inner // data, which browsers never run
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
	ta := newTestApp(t)
	for _, tc := range []struct {
		name, path, ctype, contains string
	}{
		{"script", "/static/door.js", "javascript", "salon ticket code"},
		{"styles", "/static/door.css", "text/css", ".door-result"},
		{"qr worker", "/static/door-qr-worker.js", "javascript", "importScripts('/static/vendor/jsqr/jsQR.js')"},
		{"jsQR", "/static/vendor/jsqr/jsQR.js", "javascript", "jsQR"},
		{"jsQR licence", "/static/vendor/jsqr/LICENSE", "", "Apache License"},
		{"noble", "/static/vendor/noble-ed25519/index.js", "javascript", "verifyAsync"},
		{"noble licence", "/static/vendor/noble-ed25519/LICENSE", "", "MIT"},
		{"service worker", "/door/sw.js", "javascript", "salon-door-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := ta.do("GET", tc.path, "", "", "")
			if status != 200 || !strings.Contains(hdr.Get("Content-Type"), tc.ctype) || !strings.Contains(body, tc.contains) {
				t.Fatalf("%s: %d %q, %d bytes", tc.path, status, hdr.Get("Content-Type"), len(body))
			}
		})
	}
	// The worker must be checked for updates on every visit.
	if _, _, hdr := ta.do("GET", "/door/sw.js", "", "", ""); hdr.Get("Cache-Control") != "no-cache" {
		t.Fatalf("sw.js Cache-Control %q", hdr.Get("Cache-Control"))
	}
}
