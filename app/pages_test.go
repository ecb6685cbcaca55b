package app_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// browser is a cookie-keeping HTTP client that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func postForm(t *testing.T, c *http.Client, u string, v url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestRSVPForm walks the no-JavaScript path: the salon page, the form with
// its CSRF token, errors beside fields, the ticket page and cancelling there.
func TestRSVPForm(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon(`"capacity":1,"title":"Design <b>night</b>","description":"<script>alert(1)</script>"`)
	base := ta.listen()
	c := browser(t)

	status, body := get(t, c, base+"/salons/"+slug)
	if status != 200 || strings.Contains(body, "<script>alert") || !strings.Contains(body, "Design &lt;b&gt;night&lt;/b&gt;") {
		t.Fatalf("salon page %d does not escape: %s", status, body)
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token in the form")
	}
	csrf := m[1]

	// Without the token the form is refused and nothing is written.
	resp, _ := postForm(t, browser(t), base+"/salons/"+slug+"/rsvp", url.Values{"name": {"Eve"}, "email": {"eve@example.com"}})
	if resp.StatusCode != 403 {
		t.Fatalf("form without CSRF token: %d", resp.StatusCode)
	}

	// Bad fields come back beside the fields, with what was typed kept.
	resp, body = postForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana <i>"}, "email": {"nope"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `id="email-err"`) || !strings.Contains(body, `value="Ana &lt;i&gt;"`) {
		t.Fatalf("form errors %d: %s", resp.StatusCode, body)
	}

	resp, _ = postForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana Lima"}, "email": {"ana@example.com"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/t/") {
		t.Fatalf("rsvp form: %d %q", resp.StatusCode, loc)
	}
	status, body = get(t, c, base+loc)
	if status != 200 || !strings.Contains(body, "You have a seat.") || !strings.Contains(body, "Ana Lima") {
		t.Fatalf("ticket page %d: %s", status, body)
	}
	m = csrfRE.FindStringSubmatch(body)
	resp, _ = postForm(t, c, base+loc+"/cancel", url.Values{"_csrf": {m[1]}})
	if resp.StatusCode != 303 {
		t.Fatalf("cancel form: %d", resp.StatusCode)
	}
	_, body = get(t, c, base+loc)
	if !strings.Contains(body, "This RSVP is cancelled.") {
		t.Fatalf("after cancel: %s", body)
	}
	status, _ = get(t, c, base+"/t/not-a-real-token-at-all-000")
	if status != 404 {
		t.Fatalf("unknown ticket page: %d", status)
	}
}

func TestPages_ListingAndHeaders(t *testing.T) {
	ta := newTestApp(t)
	ta.salon(`"slug":"law-night","industry":"law","title":"Law night"`)
	ta.salon(`"slug":"fin-night","industry":"fintech","title":"Fin night","waitlist":false,"capacity":1`)
	base := ta.listen()
	c := browser(t)
	status, body := get(t, c, base+"/?industry=law")
	if status != 200 || !strings.Contains(body, "Law night") || strings.Contains(body, "Fin night") || !strings.Contains(body, "3 seats left") {
		t.Fatalf("listing %d: %s", status, body)
	}
	if !strings.Contains(body, "/calendar.ics?industry=law") {
		t.Fatal("listing does not offer the industry feed")
	}
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Referrer-Policy":        "same-origin",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if resp.Header.Get(h) != want {
			t.Errorf("%s = %q", h, resp.Header.Get(h))
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	for _, p := range []string{"/static/../salon.db", "/static/%2e%2e/salon.db", "/static/..%2fsalon.db"} {
		if status, _ := get(t, c, base+p); status != 404 {
			t.Errorf("%s: %d", p, status)
		}
	}
	if status, body := get(t, c, base+"/static/style.css"); status != 200 || !strings.Contains(body, "--accent") {
		t.Errorf("style.css: %d", status)
	}
}
