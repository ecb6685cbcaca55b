package console_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/events"
)

func TestConsoleLogin_Throttle(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	ta.Account("bo@example.com", events.RoleOrganizer)

	// Five failures lock the account, even against the right password, and
	// an unknown account is locked the same way, with the same answer.
	for _, email := range []string{"mei@example.com", "ghost@example.com"} {
		c := apptest.Browser(t)
		for i := 0; i < 5; i++ {
			if resp, _ := apptest.Login(t, c, base, email, "wrong password "+email); resp.StatusCode != 401 {
				t.Fatalf("%s failure %d: %d", email, i+1, resp.StatusCode)
			}
		}
		for _, pw := range []string{"wrong password", apptest.TestPassword} {
			resp, body := apptest.Login(t, c, base, email, pw)
			if resp.StatusCode != 429 || !strings.Contains(body, "Too many failed sign-ins") {
				t.Fatalf("%s locked, %q: %d", email, pw, resp.StatusCode)
			}
		}
	}
	// Another account from the same address still signs in.
	apptest.SignedIn(t, base, "bo@example.com")

	// Twenty failures from one address lock every account from there.
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ { // 10 failures above + 10 here
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Jar: apptest.Browser(t).Jar, CheckRedirect: apptest.Browser(t).CheckRedirect}
			tok := apptest.FormToken(t, c, base+"/login")
			resp, _ := apptest.PostForm(t, c, base+"/login", url.Values{"_csrf": {tok}, "email": {"spray" + string(rune('a'+i)) + "@example.com"}, "password": {"guess"}})
			if resp.StatusCode != 401 {
				t.Errorf("spray %d: %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if resp, _ := apptest.Login(t, apptest.Browser(t), base, "bo@example.com", apptest.TestPassword); resp.StatusCode != 429 {
		t.Fatalf("address over its limit still signs in: %d", resp.StatusCode)
	}
}

// TestConsoleLogin_Timing measures that an unknown account costs about as
// much as a known one: both run one argon2id verification.
func TestConsoleLogin_Timing(t *testing.T) {
	if testing.Short() {
		t.Skip("timing: not in -short mode")
	}
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	once := func(email string) time.Duration {
		c := apptest.Browser(t)
		tok := apptest.FormToken(t, c, base+"/login")
		start := time.Now()
		resp, _ := apptest.PostForm(t, c, base+"/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {"wrong password"}})
		d := time.Since(start)
		if resp.StatusCode != 401 {
			t.Fatalf("%s: %d", email, resp.StatusCode)
		}
		return d
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
	}
	once("warm-up@example.com")
	// Interleaved, so whatever else the machine is doing weighs on both
	// alike; four each stays under the per-account throttle of five.
	var known, unknown []time.Duration
	for i := 0; i < 4; i++ {
		known = append(known, once("mei@example.com"))
		unknown = append(unknown, once("nobody@example.com"))
	}
	k, u := median(known), median(unknown)
	t.Logf("failed login, median of 4: known account %v, unknown account %v", k, u)
	if r := float64(u) / float64(k); r < 0.4 || r > 2.5 {
		t.Errorf("unknown/known login time ratio %.2f: timing tells accounts apart", r)
	}
}

func TestConsoleSession_Fixation(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	ta.Account("eve@example.com", events.RoleOrganizer)
	u, _ := url.Parse(base)

	// An id the attacker made up, and a real session of the attacker's own
	// account: neither is the victim's session after login.
	eve := apptest.SignedIn(t, base, "eve@example.com")
	for name, planted := range map[string]string{"made up": "attacker-chosen-session-id-0123456789", "attacker's own session": apptest.SessionCookie(eve, base)} {
		c := apptest.Browser(t)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "salon_session", Value: planted, Path: "/"}})
		resp, _ := apptest.Login(t, c, base, "mei@example.com", apptest.TestPassword)
		after := apptest.SessionCookie(c, base)
		if resp.StatusCode != 303 || after == "" || after == planted {
			t.Fatalf("%s: %d, session after login %q", name, resp.StatusCode, after)
		}
		// The planted id is worth nothing now, not even as the attacker.
		other := apptest.Browser(t)
		other.Jar.SetCookies(u, []*http.Cookie{{Name: "salon_session", Value: planted, Path: "/"}})
		if status, body := apptest.Get(t, other, base+"/admin"); status != 303 || strings.Contains(body, "mei@example.com") {
			t.Fatalf("%s: the planted id opens the console: %d", name, status)
		}
	}
}

func TestConsoleLogout(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "mei@example.com")
	id := apptest.SessionCookie(c, base)

	// No state change on GET, and no logout without the form's token.
	if status, _ := apptest.Get(t, c, base+"/logout"); status != 404 && status != 405 {
		t.Fatalf("GET /logout: %d", status)
	}
	if resp, _ := apptest.PostForm(t, c, base+"/logout", url.Values{}); resp.StatusCode != 403 {
		t.Fatalf("logout without token: %d", resp.StatusCode)
	}
	if status, _ := apptest.Get(t, c, base+"/admin"); status != 200 {
		t.Fatalf("signed out by a tokenless POST: %d", status)
	}
	tok := apptest.FormToken(t, c, base+"/admin")
	resp, _ := apptest.PostForm(t, c, base+"/logout", url.Values{"_csrf": {tok}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?ok=logged_out" {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The old id, replayed, is gone from the server, not only the browser.
	u, _ := url.Parse(base)
	replay := apptest.Browser(t)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: "salon_session", Value: id, Path: "/"}})
	if status, _ := apptest.Get(t, replay, base+"/admin"); status != 303 {
		t.Fatalf("session still valid after logout: %d", status)
	}
	if _, err := ta.DB.FindSession(context.Background(), id); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("session row kept: %v", err)
	}
}

func TestConsoleLogin_CSRF(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	creds := url.Values{"email": {"mei@example.com"}, "password": {apptest.TestPassword}}
	// No token at all.
	if resp, _ := apptest.PostForm(t, apptest.Browser(t), base+"/login", creds); resp.StatusCode != 403 {
		t.Fatalf("login without token: %d", resp.StatusCode)
	}
	// A token from another browser (an attacker's) does not match this one's cookie.
	stolen := apptest.FormToken(t, apptest.Browser(t), base+"/login")
	c := apptest.Browser(t)
	apptest.FormToken(t, c, base+"/login")
	v := url.Values{"_csrf": {stolen}, "email": creds["email"], "password": creds["password"]}
	if resp, _ := apptest.PostForm(t, c, base+"/login", v); resp.StatusCode != 403 || apptest.SessionCookie(c, base) != "" {
		t.Fatalf("login with another browser's token: %d", resp.StatusCode)
	}
	// The token seen before login is replaced at login.
	c = apptest.Browser(t)
	before := apptest.FormToken(t, c, base+"/login")
	v.Set("_csrf", before)
	if resp, _ := apptest.PostForm(t, c, base+"/login", v); resp.StatusCode != 303 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if after := apptest.FormToken(t, c, base+"/admin"); after == before {
		t.Fatal("the CSRF token survived login")
	}
}

// TestConsole_BearerAndSessionApart: a console session does not open the
// API, and an API token does not open the console.
func TestConsole_BearerAndSessionApart(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "mei@example.com")
	req, _ := http.NewRequest("POST", base+"/api/v1/salons", strings.NewReader(`{"title":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("API with a session cookie and no token: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", base+"/admin", nil)
	req.Header.Set("Authorization", "Bearer "+ta.Token)
	resp, err = apptest.Browser(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("console with an API token: %d", resp.StatusCode)
	}
}

func TestConsoleSetupLink(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	link, err := ta.Srv.SetupLink(ctx)
	if err != nil || !strings.HasPrefix(link, base+"/setup/") {
		t.Fatalf("setup link %q %v", link, err)
	}
	path := strings.TrimPrefix(link, base)
	c := apptest.Browser(t)
	tok := apptest.FormToken(t, c, base+path)
	// A bad password is refused beside its field; the link still works.
	resp, body := apptest.PostForm(t, c, base+path, url.Values{"_csrf": {tok}, "email": {"root@example.com"}, "password": {"short"}, "password2": {"short"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `id="password-err"`) {
		t.Fatalf("short password: %d", resp.StatusCode)
	}
	good := url.Values{"_csrf": {tok}, "email": {"root@example.com"}, "name": {"Root"}, "password": {apptest.TestPassword}, "password2": {apptest.TestPassword}}
	resp, _ = apptest.PostForm(t, c, base+path, good)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?ok=setup" {
		t.Fatalf("setup: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Once only.
	good.Set("email", "second@example.com")
	if resp, _ := apptest.PostForm(t, c, base+path, good); resp.StatusCode != 404 {
		t.Fatalf("setup link used twice: %d", resp.StatusCode)
	}
	if status, _ := apptest.Get(t, c, base+path); status != 404 {
		t.Fatalf("spent setup page: %d", status)
	}
	if _, err := ta.DB.FindUserByEmail(ctx, "second@example.com"); err == nil {
		t.Fatal("a second admin was made")
	}
	u, err := ta.DB.FindUserByEmail(ctx, "root@example.com")
	if err != nil || u.Role != events.RoleAdmin {
		t.Fatalf("admin: %v %+v", err, u)
	}
	c = apptest.SignedIn(t, base, "root@example.com")
	if status, body := apptest.Get(t, c, base+"/admin/users"); status != 200 || !strings.Contains(body, "org@example.com") {
		t.Fatalf("admin's accounts page: %d", status)
	}
	// With an admin present there is no link to print.
	if link, err := ta.Srv.SetupLink(ctx); err != nil || link != "" {
		t.Fatalf("setup link with an admin: %q %v", link, err)
	}
}
