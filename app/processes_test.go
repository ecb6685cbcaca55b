package app_test

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/events"
)

// twoProcesses serves ta and a Twin of it (a second server on the same
// database file) on two listeners, standing for two `salon serve`
// processes behind one load balancer; a browser's cookies go to both, as
// they would to one site.
func twoProcesses(t *testing.T) (ta *apptest.App, a, b string) {
	t.Helper()
	lnA, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lnB, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a, b = "http://"+lnA.Addr().String(), "http://"+lnB.Addr().String()
	site := func(c *app.Config) { c.BaseURL = a }
	ta = apptest.New(t, site)
	tb := ta.Twin(site)
	for _, s := range []*apptest.App{ta, tb} {
		ln := lnA
		if s == tb {
			ln = lnB
		}
		go s.Srv.Listener(ln)
		t.Cleanup(func() { s.Srv.Shutdown(5 * time.Second) })
	}
	return ta, a, b
}

// TestProcesses_ConsoleCSRF: a console form rendered by one process is
// accepted by another, and signing out on one kills the form tokens of
// the session on both.
func TestProcesses_ConsoleCSRF(t *testing.T) {
	ta, a, b := twoProcesses(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, a, "mei@example.com")
	session := apptest.SessionCookie(c, a)

	tok := apptest.FormToken(t, c, a+"/admin/tokens")
	if resp, body := apptest.PostForm(t, c, b+"/admin/tokens", url.Values{"_csrf": {tok}, "label": {"laptop"}}); resp.StatusCode != 200 || !strings.Contains(body, "slt_") {
		t.Fatalf("console form rendered by A, posted to B: %d", resp.StatusCode)
	}

	if resp, _ := apptest.PostForm(t, c, b+"/logout", url.Values{"_csrf": {tok}}); resp.StatusCode != 303 {
		t.Fatalf("sign-out on B with A's token: %d", resp.StatusCode)
	}
	// The token of the ended session, even with its old cookies replayed,
	// no longer passes on A: not on the sign-in form either.
	replay := apptest.Browser(t)
	u, _ := url.Parse(a)
	var cookies []*http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name != "salon_session" {
			cookies = append(cookies, ck)
		}
	}
	cookies = append(cookies, &http.Cookie{Name: "salon_session", Value: session, Path: "/"})
	replay.Jar.SetCookies(u, cookies)
	for _, cl := range []*http.Client{c, replay} {
		creds := url.Values{"_csrf": {tok}, "email": {"mei@example.com"}, "password": {apptest.TestPassword}}
		if resp, _ := apptest.PostForm(t, cl, a+"/login", creds); resp.StatusCode != 403 {
			t.Errorf("a token from before sign-out on B, posted to A: %d, want 403", resp.StatusCode)
		}
	}
}

// TestProcesses_RSVPForm: a salon page read from one process and its form
// posted to another is an RSVP, and a refused form posted to one comes
// back with its errors from the other.
func TestProcesses_RSVPForm(t *testing.T) {
	ta, a, b := twoProcesses(t)
	slug := ta.Salon(`"capacity":3`)
	c := apptest.Browser(t)
	_, body := apptest.Get(t, c, a+"/salons/"+slug)
	tok := apptest.CSRFRE.FindStringSubmatch(body)[1]

	resp, _ := apptest.PostForm(t, c, b+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {tok}, "name": {""}, "email": {"nope"}, "company": {"Acme"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("form with errors posted to the other process: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := apptest.Get(t, c, a+"/salons/"+slug); !strings.Contains(page, `class="error-summary"`) || !strings.Contains(page, `value="nope"`) {
		t.Error("the errors of a form posted to one process are not shown by the other")
	}
	if _, again := apptest.Get(t, c, a+"/salons/"+slug); strings.Contains(again, "nope") {
		t.Error("the errors outlive one showing")
	}

	// A form too long to seal into a cookie comes back with its errors
	// and without what was typed.
	long := strings.Repeat("x", 4000)
	apptest.PostForm(t, c, b+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {tok}, "name": {long}, "email": {"nope"}})
	if _, page := apptest.Get(t, c, a+"/salons/"+slug); !strings.Contains(page, `class="error-summary"`) || strings.Contains(page, long) {
		t.Error("an over-long refused form: want its errors without its values")
	}

	resp, _ = apptest.PostForm(t, c, b+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {tok}, "name": {"Ana"}, "email": {"ana@example.com"}})
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/t/") {
		t.Fatalf("RSVP posted to the other process: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
