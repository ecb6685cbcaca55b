package console_test

import (
	"context"
	"encoding/csv"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/tickets"
)

// Hostile input in every field an attendee or organizer can type.
const (
	xssScript = `<script>alert(1)</script>`
	xssJS     = `javascript:alert(1)`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	xssCSV    = `=HYPERLINK("javascript:alert(1)")`
)

// rawHostile finds hostile input that reached a page unescaped.
var rawHostile = regexp.MustCompile(`(?i)<script>alert|<img src=x|(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:`)

// TestConsole_Escaping puts script and javascript: URLs into every field
// and opens every page that shows them.
func TestConsole_Escaping(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	admin := ta.Account("root@example.com", events.RoleAdmin)
	sa := apptest.OwnedSalon(t, ta, admin, "hostile-night", func(s *events.Salon) {
		s.Title, s.Description, s.Venue, s.Address = xssScript, xssScript+"\n"+xssJS+"\n"+xssAttr, xssAttr, xssJS
	})
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: xssScript, Email: "a@example.com", Company: xssAttr, JobTitle: xssCSV})
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: xssJS, Email: "b@example.com", Company: "+cmd|' /C calc'!A0", JobTitle: "@SUM(1+1)"})
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "-2+3", Email: "c@example.com", Company: "\tx", JobTitle: xssJS})
	if _, _, err := ta.DB.CreateDoorLink(ctx, sa.ID, xssScript, admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.DB.CreateAPIToken(ctx, admin.ID, xssAttr); err != nil {
		t.Fatal(err)
	}
	if err := ta.DB.CreateUser(ctx, &events.User{Email: "x@example.com", Name: xssScript, Role: events.RoleStaff}); err != nil {
		t.Fatal(err)
	}
	claimed, err := ta.DB.ClaimMessages(ctx, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatal(err)
	}
	if err := ta.DB.MarkFailed(ctx, claimed[0].ID, claimed[0].Claim, "550 "+xssScript); err != nil {
		t.Fatal(err)
	}

	c := apptest.SignedIn(t, base, "root@example.com")
	check := func(name, body string) {
		t.Helper()
		if m := rawHostile.FindString(body); m != "" {
			t.Errorf("%s: unescaped %q", name, m)
		}
	}
	// The audit log gets typed text too.
	tok := apptest.FormToken(t, c, base+"/admin/salons/hostile-night")
	linkResp, linkBody := apptest.PostForm(t, c, base+"/admin/salons/hostile-night/door-links", url.Values{"_csrf": {tok}, "label": {xssAttr}})
	if linkResp.StatusCode != 200 || !strings.Contains(linkBody, "&#34;&gt;&lt;img src=x") {
		t.Fatalf("door link not made, or its label not shown escaped: %d", linkResp.StatusCode)
	}
	check("the new door link's page", linkBody)
	for _, p := range []string{"/admin", "/admin/salons/hostile-night", "/admin/salons/hostile-night/edit",
		"/admin/salons/hostile-night/attendees", "/admin/salons/hostile-night/attendees?q=" + url.QueryEscape(xssScript),
		"/admin/salons/hostile-night/cancel", "/admin/outbox", "/admin/audit", "/admin/tokens", "/admin/users",
		"/salons/hostile-night", "/", "/login?next=" + url.QueryEscape(xssJS), "/admin/salons/hostile-night?ok=" + url.QueryEscape(xssScript)} {
		status, body := apptest.Get(t, c, base+p)
		if status != 200 {
			t.Errorf("%s: %d", p, status)
		}
		check(p, body)
	}
	// What was typed is shown, escaped.
	_, body := apptest.Get(t, c, base+"/admin/salons/hostile-night/attendees")
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, "&#34;&gt;&lt;img src=x") {
		t.Error("attendee fields not shown escaped")
	}
	_, body = apptest.Get(t, c, base+"/admin/outbox")
	// The mail error is shown in plain words, so what the server answered
	// never reaches the page at all.
	if !strings.Contains(body, "(code 550)") || strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;</td>") {
		t.Error("mail error not shown in plain words")
	}

	// Forms echo what was typed, escaped: the preview and a refused login.
	tok = apptest.FormToken(t, c, base+"/admin/salons/new")
	v := salonFormValues(tok)
	v.Set("title", xssScript)
	v.Set("venue", xssAttr)
	v.Set("address", xssJS)
	v.Set("description", xssScript+xssAttr)
	v.Set("action", "preview")
	resp, body := apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="preview-card"`) {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	check("preview", body)
	v.Set("capacity", "ten")
	_, body = apptest.PostForm(t, c, base+"/admin/salons/new", v)
	check("refused salon form", body)
	lc := apptest.Browser(t)
	ltok := apptest.FormToken(t, lc, base+"/login")
	_, body = apptest.PostForm(t, lc, base+"/login", url.Values{"_csrf": {ltok}, "email": {xssAttr}, "password": {"x"}, "next": {xssJS}})
	check("refused login", body)
	tok = apptest.FormToken(t, c, base+"/admin/users")
	_, body = apptest.PostForm(t, c, base+"/admin/users", url.Values{"_csrf": {tok}, "email": {xssAttr}, "name": {xssScript}, "role": {xssScript}})
	check("refused account", body)

	// The CSV neutralises formulas; a spreadsheet sees text.
	status, body := apptest.Get(t, c, base+"/admin/salons/hostile-night/attendees.csv")
	if status != 200 {
		t.Fatalf("csv: %d", status)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %v %d rows", err, len(rows))
	}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("csv cell %d %q can run as a formula", i, cell)
			}
		}
	}
	if rows[1][1] != xssScript || rows[1][4] != "'"+xssCSV || rows[2][3] != "'+cmd|' /C calc'!A0" || rows[3][1] != "'-2+3" {
		t.Errorf("csv rows %q", rows[1:])
	}
}
