package site_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/app/web"
)

// TestRSVPForm walks the no-JavaScript path: the salon page, the form with
// its CSRF token, errors beside fields, the ticket page and cancelling there.
func TestRSVPForm(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":1,"title":"Design <b>night</b>","description":"<script>alert(1)</script>"`)
	base := ta.Listen()
	c := apptest.Browser(t)

	status, body := apptest.Get(t, c, base+"/salons/"+slug)
	if status != 200 || strings.Contains(body, "<script>alert") || !strings.Contains(body, "Design &lt;b&gt;night&lt;/b&gt;") {
		t.Fatalf("salon page %d does not escape: %s", status, body)
	}
	m := apptest.CSRFRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token in the form")
	}
	csrf := m[1]

	// Without the token the form is refused and nothing is written.
	resp, _ := apptest.PostForm(t, apptest.Browser(t), base+"/salons/"+slug+"/rsvp", url.Values{"name": {"Eve"}, "email": {"eve@example.com"}})
	if resp.StatusCode != 403 {
		t.Fatalf("form without CSRF token: %d", resp.StatusCode)
	}
	// A made-up token in both the cookie and the form (a planted cookie) is
	// refused too: the server only takes tokens it signed.
	forger := apptest.Browser(t)
	u, _ := url.Parse(base)
	made := strings.Repeat("A", len(csrf))
	forger.Jar.SetCookies(u, []*http.Cookie{{Name: "salon_csrf", Value: made, Path: "/"}})
	resp, _ = apptest.PostForm(t, forger, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {made}, "name": {"Eve"}, "email": {"eve@example.com"}})
	if resp.StatusCode != 403 {
		t.Fatalf("form with a made-up token: %d", resp.StatusCode)
	}

	// Bad fields come back beside the fields, with what was typed kept.
	// (on the salon's own address: see TestRSVPForm_ErrorsOnSalonURL).
	resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana <i>"}, "email": {"nope"}})
	if status, body = apptest.Get(t, c, base+"/salons/"+slug); resp.StatusCode != 303 || status != 200 || !strings.Contains(body, `id="email-err"`) || !strings.Contains(body, `value="Ana &lt;i&gt;"`) {
		t.Fatalf("form errors %d: %s", resp.StatusCode, body)
	}

	resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"Ana Lima"}, "email": {"ana@example.com"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/t/") {
		t.Fatalf("rsvp form: %d %q", resp.StatusCode, loc)
	}
	status, body = apptest.Get(t, c, base+loc)
	if status != 200 || !strings.Contains(body, "You have a seat.") || !strings.Contains(body, "Ana Lima") {
		t.Fatalf("ticket page %d: %s", status, body)
	}
	// The page's cancel button asks first; the question's button cancels.
	_, body = apptest.Get(t, c, base+loc+"/cancel")
	m = apptest.CSRFRE.FindStringSubmatch(body)
	resp, _ = apptest.PostForm(t, c, base+loc+"/cancel", url.Values{"_csrf": {m[1]}, "confirm": {"1"}})
	if resp.StatusCode != 303 {
		t.Fatalf("cancel form: %d", resp.StatusCode)
	}
	_, body = apptest.Get(t, c, base+loc)
	if !strings.Contains(body, "This RSVP is cancelled.") {
		t.Fatalf("after cancel: %s", body)
	}
	status, _ = apptest.Get(t, c, base+"/t/not-a-real-token-at-all-000")
	if status != 404 {
		t.Fatalf("unknown ticket page: %d", status)
	}
}

func TestPages_ListingAndHeaders(t *testing.T) {
	ta := apptest.New(t)
	ta.Salon(`"slug":"law-night","industry":"law","title":"Law night"`)
	ta.Salon(`"slug":"fin-night","industry":"fintech","title":"Fin night","waitlist":false,"capacity":1`)
	base := ta.Listen()
	c := apptest.Browser(t)
	status, body := apptest.Get(t, c, base+"/?industry=law")
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
		if status, _ := apptest.Get(t, c, base+p); status != 404 {
			t.Errorf("%s: %d", p, status)
		}
	}
	if status, body := apptest.Get(t, c, base+"/static/style.css"); status != 200 || !strings.Contains(body, "--accent") {
		t.Errorf("style.css: %d", status)
	}
}

// TestPageCache: the salon page is served from memory, yet shows the seats
// left after every RSVP, and each reader gets their own CSRF token.
func TestPageCache(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":3`)
	base := ta.Listen()
	a, b := apptest.Browser(t), apptest.Browser(t)
	_, pa := apptest.Get(t, a, base+"/salons/"+slug)
	_, pb := apptest.Get(t, b, base+"/salons/"+slug)
	ta1, tb1 := apptest.CSRFRE.FindStringSubmatch(pa), apptest.CSRFRE.FindStringSubmatch(pb)
	if ta1 == nil || tb1 == nil || ta1[1] == tb1[1] || strings.Contains(pa, "csrf-") {
		t.Fatalf("readers must get their own tokens, never the placeholder")
	}
	if !strings.Contains(pa, "3 of 3 seats left") {
		t.Fatal("seats")
	}
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"A","email":"a@example.com"}`)
	// Seat counts may lag an RSVP by web.PageTicketsStale, no more.
	rsvped := time.Now()
	for {
		_, p := apptest.Get(t, a, base+"/salons/"+slug)
		if strings.Contains(p, "2 of 3 seats left") {
			break
		}
		if !strings.Contains(p, "3 of 3 seats left") || time.Since(rsvped) > web.PageTicketsStale+time.Second {
			t.Fatalf("a cached page outlived an RSVP by %s", time.Since(rsvped))
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Both readers' forms work: b's token was spliced into a cached page.
	resp, _ := apptest.PostForm(t, b, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {tb1[1]}, "name": {"B"}, "email": {"b@example.com"}})
	if resp.StatusCode != 303 {
		t.Fatalf("form with a token from the cached page: %d", resp.StatusCode)
	}
	// The listing follows salon edits too.
	if _, p := apptest.Get(t, a, base+"/"); !strings.Contains(p, "Biotech evening") {
		t.Fatal("listing")
	}
	ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"title":"Renamed evening"}`)
	if _, p := apptest.Get(t, a, base+"/"); !strings.Contains(p, "Renamed evening") {
		t.Fatal("a cached listing outlived an edit")
	}
	// Pages are kept by what they show, not by URL: query strings the page
	// ignores are the same page and cost no render.
	renders := apptest.PageRenders(ta.Srv)
	for _, q := range []string{"?x=1", "?x=2", "?utm_source=mail&x=3"} {
		if _, p := apptest.Get(t, a, base+"/"+q); !strings.Contains(p, "Renamed evening") {
			t.Fatalf("listing %s", q)
		}
	}
	if n := apptest.PageRenders(ta.Srv) - renders; n != 0 {
		t.Fatalf("the listing under made-up query strings rendered %d times, want 0 (cached as /)", n)
	}
	renders = apptest.PageRenders(ta.Srv)
	for _, q := range []string{"?x=1", "?x=2"} {
		if _, p := apptest.Get(t, a, base+"/salons/"+slug+q); !strings.Contains(p, "Renamed evening") || !strings.Contains(p, "1 of 3 seats left") {
			t.Fatalf("salon page %s", q)
		}
	}
	if n := apptest.PageRenders(ta.Srv) - renders; n != 1 {
		t.Fatalf("the salon page under two query strings rendered %d times, want 1", n)
	}
	// The same filter spelled two ways is one page; another filter is another.
	renders = apptest.PageRenders(ta.Srv)
	apptest.Get(t, a, base+"/?industry=biotech&x=1")
	apptest.Get(t, a, base+"/?x=2&industry=BIOTECH")
	if n := apptest.PageRenders(ta.Srv) - renders; n != 1 {
		t.Fatalf("one filter spelled two ways rendered %d times, want 1", n)
	}
	apptest.Get(t, a, base+"/?industry=law")
	if n := apptest.PageRenders(ta.Srv) - renders; n != 2 {
		t.Fatalf("another filter should render: %d renders", n)
	}
}

func TestListingPages(t *testing.T) {
	ta := apptest.New(t)
	for i := 0; i < 21; i++ {
		ta.Salon(fmt.Sprintf(`"slug":"s-%02d","industry":"law"`, i))
	}
	base := ta.Listen()
	_, p := apptest.Get(t, apptest.Browser(t), base+"/?industry=law")
	if strings.Count(p, `class="card`) != 20 || !strings.Contains(p, `href="/?industry=law&amp;offset=20"`) {
		t.Fatalf("first page: %d cards", strings.Count(p, `class="card`))
	}
	_, p = apptest.Get(t, apptest.Browser(t), base+"/?industry=law&offset=20")
	if strings.Count(p, `class="card`) != 1 || strings.Contains(p, `rel="next"`) {
		t.Fatalf("second page: %d cards", strings.Count(p, `class="card`))
	}
}
