package console_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
)

func TestConsoleLogin(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	if err := ta.DB.CreateUser(context.Background(), &events.User{Email: "tokens-only@example.com", Role: events.RoleOrganizer}); err != nil {
		t.Fatal(err)
	}

	// Not signed in: the console sends you to the login page and back.
	c := apptest.Browser(t)
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
		resp, body := apptest.Login(t, apptest.Browser(t), base, tc.email, tc.password)
		if resp.StatusCode != 401 || !strings.Contains(body, "Wrong email or password.") {
			t.Fatalf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
		for _, h := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(h, "salon_session=") {
				t.Fatalf("%s: a session cookie was set: %q", tc.name, h)
			}
		}
		bodies = append(bodies, strings.ReplaceAll(apptest.TokenRE.ReplaceAllString(body, ""), tc.email, "EMAIL"))
	}
	if bodies[0] != bodies[1] || bodies[0] != bodies[2] {
		t.Fatal("a failed login answers differently for unknown accounts")
	}

	// The right password: a session cookie, HttpOnly and SameSite=Lax.
	c = apptest.Browser(t)
	resp, _ = apptest.Login(t, c, base, "MEI@example.com ", apptest.TestPassword)
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
	status, body := apptest.Get(t, c, base+"/admin")
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
		c := apptest.Browser(t)
		tok := apptest.FormToken(t, c, base+"/login")
		resp, _ := apptest.PostForm(t, c, base+"/login", url.Values{"_csrf": {tok}, "email": {"mei@example.com"}, "password": {apptest.TestPassword}, "next": {next}})
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
}

// TestConsoleLogin_SecureCookie checks the cookie flags when the site is
// served over https.
func TestConsoleLogin_SecureCookie(t *testing.T) {
	ta := apptest.New(t) // BaseURL https://salon.example
	ta.Account("mei@example.com", events.RoleOrganizer)
	status, body, h := ta.Do("GET", "/login", "", "", "")
	m := apptest.CSRFRE.FindStringSubmatch(body)
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
	form := url.Values{"_csrf": {m[1]}, "email": {"mei@example.com"}, "password": {apptest.TestPassword}}.Encode()
	status, _, h = ta.Do("POST", "/login", "", "application/x-www-form-urlencoded", form,
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
