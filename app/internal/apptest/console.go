package apptest

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"salon/app"
	"salon/app/web"
	"salon/events"
)

// TestPassword is the password of every account Account makes.
const TestPassword = "correct horse battery"

// Account creates a user who can sign in with TestPassword.
func (ta *App) Account(email, role string) *events.User {
	ta.T.Helper()
	u := &events.User{Email: email, Role: role, Name: "Test " + role, PasswordHash: web.HashPassword(TestPassword)}
	if err := ta.DB.CreateUser(context.Background(), u); err != nil {
		ta.T.Fatal(err)
	}
	return u
}

// FormToken opens a page and returns the CSRF token of its first form.
func FormToken(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	status, body := Get(t, c, u)
	m := CSRFRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("GET %s: %d, no form token: %.300s", u, status, body)
	}
	return m[1]
}

// Login signs c in and returns the answer to the login form.
func Login(t *testing.T, c *http.Client, base, email, password string) (*http.Response, string) {
	t.Helper()
	tok := FormToken(t, c, base+"/login")
	return PostForm(t, c, base+"/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}})
}

// SignedIn returns a client signed in as email.
func SignedIn(t *testing.T, base, email string) *http.Client {
	t.Helper()
	c := Browser(t)
	resp, body := Login(t, c, base, email, TestPassword)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("login %s: %d %q %.300s", email, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return c
}

// SessionCookie is the console session cookie c holds for base, or "".
func SessionCookie(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "salon_session" {
			return ck.Value
		}
	}
	return ""
}

// ConsoleApp serves a test app on plain http whose BaseURL is its own
// listener, as a developer runs it.
func ConsoleApp(t *testing.T) (*App, string) { return NewBrowserApp(t) }

// TokenRE finds form tokens, which differ between otherwise equal answers.
var TokenRE = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

// NewBrowserApp serves a test app whose BaseURL is its own listener, so the
// links the app makes (door links, ticket URLs) open in the browser.
func NewBrowserApp(t *testing.T) (*App, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ta := New(t, func(c *app.Config) { c.BaseURL = base })
	go ta.Srv.Listener(ln)
	t.Cleanup(func() { ta.Srv.Shutdown(5 * time.Second) })
	return ta, base
}
