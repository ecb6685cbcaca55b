package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/app/web"
	"salon/events"
	"salon/storage"
)

var linkRE = regexp.MustCompile(`value="(http[^"]*/invite/[A-Za-z0-9_-]+)"`)

// post sends a console form with the CSRF token of page.
func post(t *testing.T, c *http.Client, base, page, path string, v url.Values) (*http.Response, string) {
	t.Helper()
	v.Set("_csrf", apptest.FormToken(t, c, base+page))
	return apptest.PostForm(t, c, base+path, v)
}

func userPath(u *events.User, action string) string {
	return "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/" + action
}

// TestAccounts_Invite: an account added without a password gets a link,
// shown once, where its owner sets a password and then signs in; the link
// dies after use.
func TestAccounts_Invite(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("root@example.com", events.RoleAdmin)
	admin := apptest.SignedIn(t, base, "root@example.com")
	resp, body := post(t, admin, base, "/admin/users", "/admin/users", url.Values{"email": {"Mei@Example.com"}, "name": {`<b>Mei</b>`}, "role": {"organizer"}})
	m := linkRE.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, "no --smtp") {
		t.Fatalf("add without password: %d %.600s", resp.StatusCode, body)
	}
	if strings.Contains(body, "<b>Mei</b>") || !strings.Contains(body, "&lt;b&gt;Mei&lt;/b&gt;") {
		t.Fatal("the name is not escaped on the Accounts page")
	}
	link := html.UnescapeString(m[1])
	if !strings.HasPrefix(link, base+web.InvitePath) {
		t.Fatalf("link %q", link)
	}
	token := strings.TrimPrefix(link, base+web.InvitePath)
	if _, again := apptest.Get(t, admin, base+"/admin/users"); strings.Contains(again, token) {
		t.Fatal("the link is shown again")
	}

	owner := apptest.Browser(t)
	status, page := apptest.Get(t, owner, link)
	if status != 200 || !strings.Contains(page, "mei@example.com") || checkForms(t, "invite", page) != 1 {
		t.Fatalf("link page: %d %.400s", status, page)
	}
	for _, bad := range []url.Values{
		{"password": {"short"}, "password2": {"short"}},
		{"password": {"a long passphrase"}, "password2": {"another passphrase"}},
	} {
		if resp, _ := post(t, owner, base, strings.TrimPrefix(link, base), strings.TrimPrefix(link, base), bad); resp.StatusCode != 422 {
			t.Fatalf("bad password %v: %d", bad, resp.StatusCode)
		}
	}
	// Without the form token nothing is set.
	if resp, _ := apptest.PostForm(t, owner, link, url.Values{"password": {"a long passphrase"}, "password2": {"a long passphrase"}}); resp.StatusCode != 403 {
		t.Fatalf("no CSRF token: %d", resp.StatusCode)
	}
	resp, _ = post(t, owner, base, strings.TrimPrefix(link, base), strings.TrimPrefix(link, base), url.Values{"password": {"a long passphrase"}, "password2": {"a long passphrase"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?ok=password_set" {
		t.Fatalf("set password: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if status, _ := apptest.Get(t, owner, link); status != 404 {
		t.Fatalf("a used link answers %d", status)
	}
	if resp, _ := apptest.Login(t, apptest.Browser(t), base, "mei@example.com", "a long passphrase"); resp.StatusCode != 303 {
		t.Fatalf("sign in with the new password: %d", resp.StatusCode)
	}
}

// TestAccounts_ExpiredLink: an expired link says so.
func TestAccounts_ExpiredLink(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	u := ta.Account("mei@example.com", events.RoleOrganizer)
	token, err := ta.DB.CreateInvite(context.Background(), storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkReset, TTL: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	status, body := apptest.Get(t, apptest.Browser(t), base+web.InvitePath+token)
	if status != 410 || !strings.Contains(body, `id="invite-expired"`) || strings.Contains(body, `name="password"`) {
		t.Fatalf("expired link: %d %.400s", status, body)
	}
	if status, _ := apptest.Get(t, apptest.Browser(t), base+web.InvitePath+"made-up"); status != 404 {
		t.Fatalf("unknown link: %d", status)
	}
}

// TestAccounts_Disable: a disabled account's session cookie and API token
// are refused on the very next request; enabling lets it sign in again,
// with its old tokens still revoked.
func TestAccounts_Disable(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	root := ta.Account("root@example.com", events.RoleAdmin)
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	token, err := ta.DB.CreateAPIToken(context.Background(), org.ID, "laptop")
	if err != nil {
		t.Fatal(err)
	}
	admin := apptest.SignedIn(t, base, "root@example.com")
	mei := apptest.SignedIn(t, base, "mei@example.com")
	if status, _ := apptest.Get(t, mei, base+"/admin"); status != 200 {
		t.Fatalf("before: %d", status)
	}
	api := func() int {
		req, _ := http.NewRequest("POST", base+"/api/v1/salons", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := api(); got != 422 {
		t.Fatalf("token before: %d", got)
	}
	if resp, _ := post(t, admin, base, "/admin/users", userPath(root, "disable"), url.Values{}); resp.StatusCode != 409 {
		t.Fatalf("an admin disabling their own account: %d", resp.StatusCode)
	}
	resp, _ := post(t, admin, base, "/admin/users", userPath(org, "disable"), url.Values{})
	if resp.StatusCode != 303 {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp, err := mei.Get(base + "/admin"); err != nil || resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("a disabled account's session: %v %v", resp.StatusCode, err)
	}
	if got := api(); got != 401 {
		t.Fatalf("a disabled account's token: %d", got)
	}
	if resp, _ := apptest.Login(t, apptest.Browser(t), base, "mei@example.com", apptest.TestPassword); resp.StatusCode != 401 {
		t.Fatalf("a disabled account signs in: %d", resp.StatusCode)
	}
	if _, page := apptest.Get(t, admin, base+"/admin/users"); !strings.Contains(page, userPath(org, "enable")) {
		t.Fatal("no enable button for the disabled account")
	}
	if resp, _ := post(t, admin, base, "/admin/users", userPath(org, "enable"), url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	apptest.SignedIn(t, base, "mei@example.com")
	if got := api(); got != 401 {
		t.Fatalf("enabling revived a token: %d", got)
	}
	log, _ := ta.DB.FindAudit(context.Background(), storage.AuditFilter{})
	seen := map[string]string{}
	for _, e := range log {
		seen[e.Action] = e.Actor
	}
	if seen[storage.ActionUserDisable] != "root@example.com" || seen[storage.ActionUserEnable] != "root@example.com" {
		t.Fatalf("audit: %v", seen)
	}
	if _, page := apptest.Get(t, admin, base+"/admin/audit"); !strings.Contains(page, "disabled an account") {
		t.Fatal("the audit page does not name the action")
	}
}

// TestAccounts_OnlyAdminsManage: organizers and staff cannot list, reset,
// disable or enable accounts, and nothing changes when they try.
func TestAccounts_OnlyAdminsManage(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	root := ta.Account("root@example.com", events.RoleAdmin)
	ta.Account("mei@example.com", events.RoleOrganizer)
	ta.Account("staffer@example.com", events.RoleStaff)
	for _, who := range []string{"mei@example.com", "staffer@example.com"} {
		c := apptest.SignedIn(t, base, who)
		if status, _ := apptest.Get(t, c, base+"/admin/users"); status != 403 {
			t.Errorf("%s opens Accounts: %d", who, status)
		}
		for _, a := range []string{"reset", "disable", "enable"} {
			if resp, _ := post(t, c, base, "/admin/account", userPath(root, a), url.Values{}); resp.StatusCode != 403 {
				t.Errorf("%s %s: %d", who, a, resp.StatusCode)
			}
		}
	}
	if u, _ := ta.DB.FindUserByID(context.Background(), root.ID); u.Disabled() {
		t.Fatal("an organizer disabled an admin")
	}
	if list, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{}); len(list) != 0 {
		t.Fatal("mail was queued")
	}
}

// TestAccounts_Own: anyone changes their own name and, with the current
// password, their own password, and only their own.
func TestAccounts_Own(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("root@example.com", events.RoleAdmin)
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "mei@example.com")
	status, page := apptest.Get(t, c, base+"/admin/account")
	if status != 200 || checkForms(t, "/admin/account", page) < 3 {
		t.Fatalf("account page: %d", status)
	}
	for path, v := range map[string]url.Values{"/admin/account": {"name": {"x"}}, "/admin/account/password": {"current": {apptest.TestPassword}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}}} {
		if resp, _ := apptest.PostForm(t, c, base+path, v); resp.StatusCode != 403 {
			t.Errorf("%s without CSRF token: %d", path, resp.StatusCode)
		}
	}
	resp, _ := post(t, c, base, "/admin/account", "/admin/account", url.Values{"name": {`<script>x</script>Mei`}, "id": {"1"}})
	if resp.StatusCode != 303 {
		t.Fatalf("rename: %d", resp.StatusCode)
	}
	if _, page = apptest.Get(t, c, base+"/admin/account"); strings.Contains(page, "<script>x") || !strings.Contains(page, "&lt;script&gt;x&lt;/script&gt;Mei") {
		t.Fatal("the name is not escaped")
	}
	if resp, _ := post(t, c, base, "/admin/account", "/admin/account", url.Values{"name": {"bad\u202ename"}}); resp.StatusCode != 422 {
		t.Fatalf("bad name: %d", resp.StatusCode)
	}
	if root, _ := ta.DB.FindUserByEmail(context.Background(), "root@example.com"); root.Name != "Test admin" {
		t.Fatalf("another account was renamed: %q", root.Name)
	}
	if resp, _ := post(t, c, base, "/admin/account", "/admin/account/password", url.Values{"current": {"wrong password!"}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}}); resp.StatusCode != 422 {
		t.Fatalf("wrong current password: %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, base, "/admin/account", "/admin/account/password", url.Values{"current": {apptest.TestPassword}, "password": {"short"}, "password2": {"short"}}); resp.StatusCode != 422 {
		t.Fatalf("short password: %d", resp.StatusCode)
	}
	resp, _ = post(t, c, base, "/admin/account", "/admin/account/password", url.Values{"current": {apptest.TestPassword}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}})
	if resp.StatusCode != 303 {
		t.Fatalf("change password: %d", resp.StatusCode)
	}
	if resp, _ := apptest.Login(t, apptest.Browser(t), base, "mei@example.com", "a long passphrase"); resp.StatusCode != 303 {
		t.Fatalf("new password: %d", resp.StatusCode)
	}
	if resp, _ := apptest.Login(t, apptest.Browser(t), base, "root@example.com", apptest.TestPassword); resp.StatusCode != 303 {
		t.Fatal("another account's password changed")
	}
	got, _ := ta.DB.FindUserByID(context.Background(), org.ID)
	if got.Name != "<script>x</script>Mei" {
		t.Fatalf("name %q", got.Name)
	}
}

// TestAccounts_ResetMailed: with mail configured, a reset link is shown
// and mailed, and the mailed link sets the password.
func TestAccounts_ResetMailed(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	base := ta.Listen()
	ta.Account("root@example.com", events.RoleAdmin)
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	admin := apptest.SignedIn(t, base, "root@example.com")
	resp, body := post(t, admin, base, "/admin/users", userPath(org, "reset"), url.Values{})
	m := linkRE.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, "mailed") {
		t.Fatalf("reset: %d %.500s", resp.StatusCode, body)
	}
	token := m[1][strings.LastIndex(m[1], "/")+1:]
	mails := apptest.WaitMail(t, smtp, 1)
	raw := string(mails[0].Data)
	if mails[0].To[0] != "mei@example.com" || !strings.Contains(raw, token) || !strings.Contains(raw, "password") {
		t.Fatalf("mail: %v %.800s", mails[0].To, raw)
	}
	owner := apptest.Browser(t)
	resp, _ = post(t, owner, base, web.InvitePath+token, web.InvitePath+token, url.Values{"password": {"a long passphrase"}, "password2": {"a long passphrase"}})
	if resp.StatusCode != 303 {
		t.Fatalf("use mailed link: %d", resp.StatusCode)
	}
	msgs, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{})
	for _, m := range msgs {
		if _, ok := m.Payload["url"]; ok {
			t.Fatal("the used link is still in the outbox")
		}
	}
}
