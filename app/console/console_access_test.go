package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

var postFormRE = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>(.*?)</form>`)

// checkForms fails when a state-changing form on the page has no token.
func checkForms(t *testing.T, page, body string) int {
	t.Helper()
	forms := postFormRE.FindAllStringSubmatch(body, -1)
	for _, f := range forms {
		if !regexp.MustCompile(`name="_csrf" value="[A-Za-z0-9_-]{16,}"`).MatchString(f[1]) {
			t.Errorf("%s: a POST form without a CSRF token: %.200s", page, f[0])
		}
	}
	// A form without a method would GET, and no state changes on GET.
	for _, m := range regexp.MustCompile(`(?i)<form[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, `method="post"`) && !strings.Contains(m, `method="get"`) {
			t.Errorf("%s: a form without a method: %s", page, m)
		}
	}
	return len(forms)
}

// TestConsole_CSRFEveryForm posts to every console form with a valid session
// but no token, or another browser's, and checks nothing changed.
func TestConsole_CSRFEveryForm(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	admin := ta.Account("root@example.com", events.RoleAdmin)
	sa := apptest.OwnedSalon(t, ta, admin, "csrf-night", func(s *events.Salon) { s.Status = events.StatusDraft })
	pub := apptest.OwnedSalon(t, ta, admin, "csrf-open", nil)
	tk := apptest.Guest(t, ta, pub.Slug, tickets.RSVPInput{Name: "Ana", Email: "ana@example.com"})
	_, linkTok, err := ta.DB.CreateDoorLink(context.Background(), pub.ID, "front", admin.ID)
	if err != nil || linkTok == "" {
		t.Fatal(err)
	}
	links, _ := ta.DB.FindDoorLinks(context.Background(), pub.ID)
	if _, err := ta.DB.CreateAPIToken(context.Background(), admin.ID, "laptop"); err != nil {
		t.Fatal(err)
	}
	toks, _ := ta.DB.FindAPITokens(context.Background(), admin.ID)
	msgs, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{SalonID: pub.ID})

	c := apptest.SignedIn(t, base, "root@example.com")
	// Every page's POST forms carry a token.
	pages := []string{"/admin", "/admin/salons/new", "/admin/salons/csrf-night", "/admin/salons/csrf-night/edit",
		"/admin/salons/csrf-open/attendees", "/admin/salons/csrf-open/cancel", "/admin/outbox", "/admin/audit",
		"/admin/tokens", "/admin/users", "/admin/salons/csrf-open"}
	total := 0
	for _, p := range pages {
		status, body := apptest.Get(t, c, base+p)
		if status != 200 {
			t.Fatalf("%s: %d", p, status)
		}
		total += checkForms(t, p, body)
	}
	if total < 12 {
		t.Fatalf("only %d POST forms found on the console pages", total)
	}

	stolen := apptest.FormToken(t, apptest.Browser(t), base+"/login")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	posts := map[string]url.Values{
		"/admin/salons/new":                                                 {"title": {"Forged"}, "industry": {"x"}, "starts_at": {"2030-01-01T19:00"}, "ends_at": {"2030-01-01T21:00"}, "timezone": {"UTC"}, "capacity": {"3"}, "action": {"publish"}},
		"/admin/salons/csrf-night/edit":                                     {"title": {"Forged"}},
		"/admin/salons/csrf-night/publish":                                  {},
		"/admin/salons/csrf-open/cancel":                                    {},
		"/admin/salons/csrf-open/attendees/" + id(tk.ID) + "/cancel":        {},
		"/admin/salons/csrf-open/attendees/" + id(tk.ID) + "/checkin":       {},
		"/admin/salons/csrf-open/attendees/" + id(tk.ID) + "/undo":          {},
		"/admin/salons/csrf-open/door-links":                                {"label": {"forged"}},
		"/admin/salons/csrf-open/door-links/" + id(links[0].ID) + "/revoke": {},
		"/admin/outbox/" + id(msgs[0].ID) + "/retry":                        {},
		"/admin/tokens": {"label": {"forged"}},
		"/admin/tokens/" + id(toks[0].ID) + "/revoke": {},
		"/admin/users": {"email": {"forged@example.com"}, "role": {"admin"}},
		"/logout":      {},
		"/setup/made-up-setup-token-0000000000000000": {"email": {"x@example.com"}},
	}
	for path, v := range posts {
		for name, tok := range map[string]string{"no token": "", "another browser's token": stolen} {
			form := url.Values{}
			for k, vs := range v {
				form[k] = vs
			}
			if tok != "" {
				form.Set("_csrf", tok)
			}
			if resp, _ := apptest.PostForm(t, c, base+path, form); resp.StatusCode != 403 {
				t.Errorf("POST %s with %s: %d", path, name, resp.StatusCode)
			}
		}
	}
	// Nothing changed.
	ctx := context.Background()
	if s, _ := ta.DB.FindSalonByID(ctx, sa.ID); s.Status != events.StatusDraft || s.Title != sa.Title {
		t.Errorf("draft changed: %+v", s)
	}
	if s, _ := ta.DB.FindSalonByID(ctx, pub.ID); s.Status != events.StatusPublished || s.CheckedIn != 0 {
		t.Errorf("published salon changed: %s, %d checked in", s.Status, s.CheckedIn)
	}
	if got, _ := ta.DB.FindTicketByID(ctx, tk.SalonID, tk.ID); got.Status != tickets.StatusConfirmed {
		t.Errorf("ticket %s", got.Status)
	}
	if l, _ := ta.DB.FindDoorLinks(ctx, pub.ID); len(l) != 1 || l[0].RevokedAt != nil {
		t.Errorf("door links changed")
	}
	if tk, _ := ta.DB.FindAPITokens(ctx, admin.ID); len(tk) != 1 || tk[0].RevokedAt != nil {
		t.Errorf("tokens changed")
	}
	if _, err := ta.DB.FindUserByEmail(ctx, "forged@example.com"); err == nil {
		t.Error("an account was forged")
	}
	log, _ := ta.DB.FindAudit(ctx, storage.AuditFilter{})
	for _, e := range log {
		if e.Action != "login" {
			t.Errorf("audit shows a forged action: %+v", e)
		}
	}
	if status, _ := apptest.Get(t, c, base+"/admin"); status != 200 {
		t.Error("signed out by a forged POST")
	}
}

// TestConsole_OtherOrganizersSalon: an organizer cannot see or change another
// organizer's salon by naming it in a URL or a form.
func TestConsole_OtherOrganizersSalon(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	mei := ta.Account("mei@example.com", events.RoleOrganizer)
	bo := ta.Account("bo@example.com", events.RoleOrganizer)
	apptest.OwnedSalon(t, ta, mei, "meis-night", nil)
	theirs := apptest.OwnedSalon(t, ta, bo, "bos-night", func(s *events.Salon) { s.Title = "Bo's secret salon" })
	draft := apptest.OwnedSalon(t, ta, bo, "bos-draft", func(s *events.Salon) { s.Status = events.StatusDraft })
	their := apptest.Guest(t, ta, theirs.Slug, tickets.RSVPInput{Name: "Their Guest", Email: "their@example.com"})
	ctx := context.Background()
	l, _, _ := ta.DB.CreateDoorLink(ctx, theirs.ID, "theirs", bo.ID)
	theirMsgs, _ := ta.DB.FindMessages(ctx, storage.OutboxFilter{SalonID: theirs.ID})
	if _, err := ta.DB.CreateAPIToken(ctx, bo.ID, "bo's laptop"); err != nil {
		t.Fatal(err)
	}
	theirToks, _ := ta.DB.FindAPITokens(ctx, bo.ID)

	// Bo works on their salon through the console (a check-in by hand,
	// undone), so the audit log has Bo's entries to keep from Mei; Bo's own
	// pages show the salon, its mail and those entries.
	boc := apptest.SignedIn(t, base, "bo@example.com")
	boTok := apptest.FormToken(t, boc, base+"/admin/salons/bos-night/attendees")
	guestPath := "/admin/salons/bos-night/attendees/" + strconv.FormatInt(their.ID, 10)
	for _, p := range []string{guestPath + "/checkin", guestPath + "/undo"} {
		if resp, _ := apptest.PostForm(t, boc, base+p, url.Values{"_csrf": {boTok}}); resp.StatusCode != 303 {
			t.Fatalf("Bo: POST %s: %d", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"/admin", "/admin/outbox", "/admin/audit"} {
		if _, body := apptest.Get(t, boc, base+p); !strings.Contains(body, "bos-night") {
			t.Fatalf("Bo's %s does not show bos-night", p)
		}
	}

	c := apptest.SignedIn(t, base, "mei@example.com")
	for _, p := range []string{"/admin/salons/bos-night", "/admin/salons/bos-night/edit", "/admin/salons/bos-night/attendees",
		"/admin/salons/bos-night/attendees.csv", "/admin/salons/bos-night/cancel", "/admin/salons/bos-draft"} {
		status, body := apptest.Get(t, c, base+p)
		if status != 403 && status != 404 {
			t.Errorf("GET %s: %d", p, status)
		}
		if strings.Contains(body, "Their Guest") || strings.Contains(body, "their@example.com") {
			t.Errorf("GET %s shows their attendee", p)
		}
	}
	for _, p := range []string{"/admin", "/admin/outbox", "/admin/audit"} {
		_, body := apptest.Get(t, c, base+p)
		if strings.Contains(body, "bos-night") || strings.Contains(body, "Bo&#39;s secret salon") || strings.Contains(body, "their@example.com") {
			t.Errorf("%s shows another organizer's salon or mail", p)
		}
	}
	tok := apptest.FormToken(t, c, base+"/admin")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for path, want := range map[string]int{
		"/admin/salons/bos-night/edit":                                    403,
		"/admin/salons/bos-draft/publish":                                 403,
		"/admin/salons/bos-night/cancel":                                  403,
		"/admin/salons/bos-night/door-links":                              403,
		"/admin/salons/bos-night/attendees/" + id(their.ID) + "/cancel":   403,
		"/admin/salons/bos-night/attendees/" + id(their.ID) + "/checkin":  403,
		"/admin/salons/meis-night/attendees/" + id(their.ID) + "/cancel":  404, // their ticket through my salon
		"/admin/salons/meis-night/attendees/" + id(their.ID) + "/checkin": 404,
		"/admin/salons/meis-night/attendees/" + id(their.ID) + "/undo":    404,
		"/admin/salons/meis-night/door-links/" + id(l.ID) + "/revoke":     404,
		"/admin/outbox/" + id(theirMsgs[0].ID) + "/retry":                 403,
		"/admin/tokens/" + id(theirToks[0].ID) + "/revoke":                404,
		"/admin/users": 403,
	} {
		resp, _ := apptest.PostForm(t, c, base+path, url.Values{"_csrf": {tok}, "title": {"Taken over"}, "label": {"x"}})
		if resp.StatusCode != want {
			t.Errorf("POST %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	if s, _ := ta.DB.FindSalonByID(ctx, theirs.ID); s.Status != events.StatusPublished || s.Title != "Bo's secret salon" || s.CheckedIn != 0 {
		t.Errorf("their salon changed: %+v", s)
	}
	if s, _ := ta.DB.FindSalonByID(ctx, draft.ID); s.Status != events.StatusDraft {
		t.Error("their draft was published")
	}
	if got, _ := ta.DB.FindTicketByID(ctx, their.SalonID, their.ID); got.Status != tickets.StatusConfirmed || got.CheckedInAt != nil {
		t.Errorf("their ticket changed: %+v", got)
	}
	if links, _ := ta.DB.FindDoorLinks(ctx, theirs.ID); len(links) != 1 || links[0].RevokedAt != nil {
		t.Error("their door links changed")
	}
	if toks, _ := ta.DB.FindAPITokens(ctx, bo.ID); len(toks) != 1 || toks[0].RevokedAt != nil {
		t.Error("their API token was revoked")
	}
}

// TestConsole_Roles: staff reach only the door list and their tokens;
// organizers cannot manage accounts.
func TestConsole_Roles(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	ta.Account("door2@example.com", events.RoleStaff)
	apptest.OwnedSalon(t, ta, org, "door-night", nil)
	staff := apptest.SignedIn(t, base, "door2@example.com")
	status, body := apptest.Get(t, staff, base+"/admin")
	if status != 200 || !strings.Contains(body, `href="/door/door-night"`) || strings.Contains(body, "/admin/salons/new") {
		t.Fatalf("staff home %d: %.400s", status, body)
	}
	if status, _ := apptest.Get(t, staff, base+"/admin/tokens"); status != 200 {
		t.Errorf("staff tokens page: %d", status)
	}
	for _, p := range []string{"/admin/salons/new", "/admin/salons/door-night", "/admin/salons/door-night/attendees",
		"/admin/salons/door-night/attendees.csv", "/admin/outbox", "/admin/audit", "/admin/users"} {
		if status, _ := apptest.Get(t, staff, base+p); status != 403 {
			t.Errorf("staff GET %s: %d", p, status)
		}
	}
	tok := apptest.FormToken(t, staff, base+"/admin")
	if resp, _ := apptest.PostForm(t, staff, base+"/admin/salons/new", url.Values{"_csrf": {tok}, "title": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("staff creates a salon: %d", resp.StatusCode)
	}
	orgc := apptest.SignedIn(t, base, "mei@example.com")
	if status, _ := apptest.Get(t, orgc, base+"/admin/users"); status != 403 {
		t.Errorf("organizer opens accounts: %d", status)
	}
}

func TestConsole_StaticTraversal(t *testing.T) {
	_, base := apptest.ConsoleApp(t)
	c := apptest.Browser(t)
	for _, p := range []string{
		"/static/../salon.db", "/static/%2e%2e/salon.db", "/static/..%2fsalon.db", "/static/%2e%2e%2fsalon.db",
		"/static/%252e%252e/salon.db", "/static/..%252fsalon.db", "/static/%252e%252e%252fsalon.db",
		"/static/..%5csalon.db", "/static/....//salon.db", "/static/%2e%2e/%2e%2e/go.mod", "/static/../../go.mod",
		"/static/%2e%2e%2f%2e%2e%2fgo.mod", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
	} {
		req, err := http.NewRequest("GET", base+p, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawPath, req.URL.Path = p, p // send exactly these bytes
		req.URL.Opaque = p
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 512)
		n, _ := resp.Body.Read(buf)
		resp.Body.Close()
		if resp.StatusCode != 404 || strings.Contains(string(buf[:n]), "SQLite format") || strings.Contains(string(buf[:n]), "module salon") {
			t.Errorf("%s: %d %q", p, resp.StatusCode, buf[:n])
		}
	}
	if status, body := apptest.Get(t, c, base+"/static/console.js"); status != 200 || !strings.Contains(body, "data-live") {
		t.Errorf("console.js: %d", status)
	}
}
