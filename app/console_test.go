package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"salon/app/web"
	"salon/events"
)

const testPassword = "correct horse battery"

// account creates a user who can sign in with testPassword.
func (ta *testApp) account(email, role string) *events.User {
	ta.t.Helper()
	u := &events.User{Email: email, Role: role, Name: "Test " + role, PasswordHash: web.HashPassword(testPassword)}
	if err := ta.db.CreateUser(context.Background(), u); err != nil {
		ta.t.Fatal(err)
	}
	return u
}

// formToken opens a page and returns the CSRF token of its first form.
func formToken(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	status, body := get(t, c, u)
	m := csrfRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("GET %s: %d, no form token: %.300s", u, status, body)
	}
	return m[1]
}

// login signs c in and returns the answer to the login form.
func login(t *testing.T, c *http.Client, base, email, password string) (*http.Response, string) {
	t.Helper()
	tok := formToken(t, c, base+"/login")
	return postForm(t, c, base+"/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}})
}

// signedIn returns a client signed in as email.
func signedIn(t *testing.T, base, email string) *http.Client {
	t.Helper()
	c := browser(t)
	resp, body := login(t, c, base, email, testPassword)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("login %s: %d %q %.300s", email, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return c
}

func sessionCookie(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "salon_session" {
			return ck.Value
		}
	}
	return ""
}

// consoleApp serves a test app on plain http whose BaseURL is its own
// listener, as a developer runs it.
func consoleApp(t *testing.T) (*testApp, string) { return newBrowserApp(t) }

// tokenRE finds form tokens, which differ between otherwise equal answers.
var tokenRE = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

func TestConsoleLogin(t *testing.T) {
	ta, base := consoleApp(t)
	ta.account("mei@example.com", events.RoleOrganizer)
	if err := ta.db.CreateUser(context.Background(), &events.User{Email: "tokens-only@example.com", Role: events.RoleOrganizer}); err != nil {
		t.Fatal(err)
	}

	// Not signed in: the console sends you to the login page and back.
	c := browser(t)
	resp, err := c.Get(base + "/admin/outbox?status=failed")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?next="+url.QueryEscape("/admin/outbox?status=failed") {
		t.Fatalf("console without a session: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Wrong password, unknown account, account without a password: one answer.
	var bodies []string
	for _, tc := range []struct{ name, email, password string }{
		{"wrong password", "mei@example.com", "not the password"},
		{"unknown account", "nobody@example.com", "not the password"},
		{"no password set", "tokens-only@example.com", "not the password"},
	} {
		resp, body := login(t, browser(t), base, tc.email, tc.password)
		if resp.StatusCode != 401 || !strings.Contains(body, "Wrong email or password.") {
			t.Fatalf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
		for _, h := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(h, "salon_session=") {
				t.Fatalf("%s: a session cookie was set: %q", tc.name, h)
			}
		}
		bodies = append(bodies, strings.ReplaceAll(tokenRE.ReplaceAllString(body, ""), tc.email, "EMAIL"))
	}
	if bodies[0] != bodies[1] || bodies[0] != bodies[2] {
		t.Fatal("a failed login answers differently for unknown accounts")
	}

	// The right password: a session cookie, HttpOnly and SameSite=Lax.
	c = browser(t)
	resp, _ = login(t, c, base, "MEI@example.com ", testPassword)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var set string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "salon_session=") {
			set = strings.ToLower(h)
		}
	}
	if !strings.Contains(set, "httponly") || !strings.Contains(set, "samesite=lax") || strings.Contains(set, "secure") {
		t.Fatalf("session cookie on http: %q", set)
	}
	status, body := get(t, c, base+"/admin")
	if status != 200 || !strings.Contains(body, "mei@example.com") || !strings.Contains(body, "Organizer console") {
		t.Fatalf("console %d: %.500s", status, body)
	}
	// The next parameter is followed only inside the console.
	for next, want := range map[string]string{
		"/admin/outbox":        "/admin/outbox",
		"https://evil.example": "/admin",
		"//evil.example/admin": "/admin",
		"/admin/../login":      "/admin/../login",
		"/administrator":       "/admin",
		"/admin\\@evil":        "/admin",
	} {
		c := browser(t)
		tok := formToken(t, c, base+"/login")
		resp, _ := postForm(t, c, base+"/login", url.Values{"_csrf": {tok}, "email": {"mei@example.com"}, "password": {testPassword}, "next": {next}})
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
}

// TestConsoleLogin_SecureCookie checks the cookie flags when the site is
// served over https.
func TestConsoleLogin_SecureCookie(t *testing.T) {
	ta := newTestApp(t) // BaseURL https://salon.example
	ta.account("mei@example.com", events.RoleOrganizer)
	status, body, h := ta.do("GET", "/login", "", "", "")
	m := csrfRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("login page %d", status)
	}
	var csrfCookie string
	for _, v := range h.Values("Set-Cookie") {
		if strings.HasPrefix(v, "salon_console_csrf=") {
			csrfCookie = strings.SplitN(v, ";", 2)[0]
			if !strings.Contains(strings.ToLower(v), "secure") {
				t.Errorf("CSRF cookie not Secure on https: %q", v)
			}
		}
	}
	form := url.Values{"_csrf": {m[1]}, "email": {"mei@example.com"}, "password": {testPassword}}.Encode()
	status, _, h = ta.do("POST", "/login", "", "application/x-www-form-urlencoded", form,
		"Cookie", csrfCookie)
	if status != 303 {
		t.Fatalf("login: %d", status)
	}
	var set string
	for _, v := range h.Values("Set-Cookie") {
		if strings.HasPrefix(v, "salon_session=") {
			set = strings.ToLower(v)
		}
	}
	for _, want := range []string{"secure", "httponly", "samesite=lax", "path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie %q lacks %s", set, want)
		}
	}
}
