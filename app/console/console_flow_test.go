package console_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// salonFormValues is a valid salon form.
func salonFormValues(tok string) url.Values {
	return url.Values{"_csrf": {tok}, "title": {"Fintech founders"}, "industry": {"fintech"}, "description": {"Talks and drinks."},
		"venue": {"WeWork Weihai Lu"}, "address": {"Weihai Lu 696"}, "timezone": {"America/New_York"},
		"starts_at": {"2030-01-15T19:00"}, "ends_at": {"2030-01-15T21:30"}, "capacity": {"2"}, "waitlist": {"on"}}
}

// TestConsole_Flow runs the organizer's evening through the console without
// JavaScript: create with errors, preview, publish, attendees, door links,
// mail, cancel.
func TestConsole_Flow(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	mei := ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "mei@example.com")
	tok := apptest.FormToken(t, c, base+"/admin/salons/new")

	// Errors beside each field, what was typed kept.
	bad := salonFormValues(tok)
	bad.Set("ends_at", "2030-01-15T18:00")
	bad.Set("capacity", "ten")
	bad.Set("industry", "Not A Tag!")
	bad.Set("timezone", "Mars/Olympus")
	bad.Set("title", "Kept <title>")
	resp, body := apptest.PostForm(t, c, base+"/admin/salons/new", bad)
	if resp.StatusCode != 422 {
		t.Fatalf("bad form: %d", resp.StatusCode)
	}
	for _, f := range []string{"industry", "capacity", "timezone"} {
		if !strings.Contains(body, `id="`+f+`-err"`) {
			t.Errorf("no error beside %s", f)
		}
	}
	if !strings.Contains(body, `value="Kept &lt;title&gt;"`) || !strings.Contains(body, `value="ten"`) {
		t.Error("typed values not kept")
	}
	bad = salonFormValues(tok)
	bad.Set("ends_at", "2030-01-15T18:00")
	if resp, body := apptest.PostForm(t, c, base+"/admin/salons/new", bad); resp.StatusCode != 422 || !strings.Contains(body, `id="ends_at-err"`) || !strings.Contains(body, "Must be after the start.") {
		t.Errorf("ends before start: %d", resp.StatusCode)
	}

	// Preview: the public card from the unsaved form, in the chosen zone.
	v := salonFormValues(tok)
	v.Set("action", "preview")
	resp, body = apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="preview-card"`) || !strings.Contains(body, "Tue 15 Jan, 19:00–21:30 (America/New_York)") {
		t.Fatalf("preview %d: %s", resp.StatusCode, body)
	}
	if list, _ := ta.DB.FindSalons(ctx, events.SalonFilter{OrganizerID: &mei.ID}); len(list) != 0 {
		t.Fatal("preview saved the salon")
	}

	// Publish.
	v.Set("action", "publish")
	resp, _ = apptest.PostForm(t, c, base+"/admin/salons/new", v)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/salons/fintech-founders?ok=created" {
		t.Fatalf("publish: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	sa, err := ta.DB.FindSalonBySlug(ctx, "fintech-founders")
	if err != nil || sa.Status != events.StatusPublished || sa.OrganizerID != mei.ID || sa.Timezone != "America/New_York" ||
		!sa.StartsAt.Equal(time.Date(2030, 1, 16, 0, 0, 0, 0, time.UTC)) || !sa.RSVPDeadline.Equal(sa.StartsAt) {
		t.Fatalf("saved salon: %v %+v", err, sa)
	}
	if status, body := apptest.Get(t, apptest.Browser(t), base+"/salons/fintech-founders"); status != 200 || !strings.Contains(body, "Fintech founders") {
		t.Fatalf("public page: %d", status)
	}

	// RSVPs appear with their counts.
	ana := apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "Ana Lima", Email: "ana@example.com", Company: "Acme"})
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "Bo Chen", Email: "bo@example.com"})
	cy := apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "Cy Wu", Email: "cy@example.com"})
	_, body = apptest.Get(t, c, base+"/admin")
	if !regexp.MustCompile(`id="confirmed-\d+" data-live>2 / 2<`).MatchString(body) || !regexp.MustCompile(`id="waitlisted-\d+" data-live>1<`).MatchString(body) {
		t.Fatalf("counts on the console: %s", body)
	}
	_, body = apptest.Get(t, c, base+"/admin/salons/fintech-founders/attendees?q=ana")
	if !strings.Contains(body, "Ana Lima") || strings.Contains(body, "Bo Chen") {
		t.Fatal("search")
	}
	_, body = apptest.Get(t, c, base+"/admin/salons/fintech-founders/attendees?status=waitlisted")
	if !strings.Contains(body, "Cy Wu") || strings.Contains(body, "Ana Lima") || !strings.Contains(body, "(#1)") {
		t.Fatal("status filter")
	}
	if status, _ := apptest.Get(t, c, base+"/admin/salons/fintech-founders/attendees?status=bogus"); status != 422 {
		t.Errorf("bad status filter: %d", status)
	}

	// Check in by hand, undo, cancel an RSVP: the waitlist moves up.
	tok = apptest.FormToken(t, c, base+"/admin/salons/fintech-founders/attendees")
	act := func(path, wantLoc string) {
		t.Helper()
		resp, _ := apptest.PostForm(t, c, base+path, url.Values{"_csrf": {tok}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != wantLoc {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	anaPath := "/admin/salons/fintech-founders/attendees/" + strconv.FormatInt(ana.ID, 10)
	act(anaPath+"/checkin", "/admin/salons/fintech-founders/attendees?ok=checked_in")
	if got, _ := ta.DB.FindTicketByID(ctx, ana.SalonID, ana.ID); got.CheckedInAt == nil {
		t.Fatal("not checked in")
	}
	act(anaPath+"/checkin", "/admin/salons/fintech-founders/attendees?ok=already_done")
	act(anaPath+"/undo", "/admin/salons/fintech-founders/attendees?ok=undone")
	if got, _ := ta.DB.FindTicketByID(ctx, ana.SalonID, ana.ID); got.CheckedInAt != nil {
		t.Fatal("check-in not undone")
	}
	act(anaPath+"/cancel", "/admin/salons/fintech-founders/attendees?ok=ticket")
	if got, _ := ta.DB.FindTicketByID(ctx, ana.SalonID, ana.ID); got.Status != tickets.StatusCancelled {
		t.Fatal("not cancelled")
	}
	if got, _ := ta.DB.FindTicketByID(ctx, cy.SalonID, cy.ID); got.Status != tickets.StatusConfirmed {
		t.Fatal("waitlist not promoted")
	}

	// CSV through the session.
	status, body := apptest.Get(t, c, base+"/admin/salons/fintech-founders/attendees.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if status != 200 || err != nil || len(rows) != 4 || rows[0][1] != "name" || rows[1][1] != "Ana Lima" || rows[1][6] != "cancelled" {
		t.Fatalf("csv %d %v: %q", status, err, rows)
	}

	// A door link is shown once.
	tok = apptest.FormToken(t, c, base+"/admin/salons/fintech-founders")
	resp, body = apptest.PostForm(t, c, base+"/admin/salons/fintech-founders/door-links", url.Values{"_csrf": {tok}, "label": {"front door"}})
	if resp.StatusCode != 200 || !regexp.MustCompile(`value="`+regexp.QuoteMeta(base)+`/door/fintech-founders#key=sld_[A-Za-z0-9_-]+"`).MatchString(body) {
		t.Fatalf("door link: %d %s", resp.StatusCode, body)
	}
	if _, body = apptest.Get(t, c, base+"/admin/salons/fintech-founders"); strings.Contains(body, "sld_") || !strings.Contains(body, "front door") {
		t.Fatal("door link shown again, or not listed")
	}
	links, _ := ta.DB.FindDoorLinks(ctx, sa.ID)
	act("/admin/salons/fintech-founders/door-links/"+strconv.FormatInt(links[0].ID, 10)+"/revoke", "/admin/salons/fintech-founders?ok=revoked")
	if links, _ = ta.DB.FindDoorLinks(ctx, sa.ID); links[0].RevokedAt == nil {
		t.Fatal("door link not revoked")
	}

	// Edit: a new title mails attendees.
	tok = apptest.FormToken(t, c, base+"/admin/salons/fintech-founders/edit")
	v = salonFormValues(tok)
	v.Set("title", "Fintech founders, second edition")
	v.Set("action", "save")
	resp, _ = apptest.PostForm(t, c, base+"/admin/salons/fintech-founders/edit", v)
	if resp.StatusCode != 303 {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	if got, _ := ta.DB.FindSalonByID(ctx, sa.ID); got.Title != "Fintech founders, second edition" || got.Sequence != 1 {
		t.Fatalf("edit saved %+v", got)
	}

	// The outbox: a failed message is retried.
	claimed, err := ta.DB.ClaimMessages(ctx, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatal(err)
	}
	if err := ta.DB.MarkFailed(ctx, claimed[0].ID, claimed[0].Claim, "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	status, body = apptest.Get(t, c, base+"/admin/outbox?status=failed")
	// The error in plain words, never the mailer's own text.
	if status != 200 || !strings.Contains(body, "The receiving mail server refused it (code 550).") ||
		strings.Contains(body, "mailbox unavailable") {
		t.Fatalf("outbox %d", status)
	}
	if !strings.Contains(body, `<a href="/admin/salons/fintech-founders">Fintech founders, second edition</a>`) {
		t.Error("outbox row does not link its salon by title")
	}
	tok = apptest.FormToken(t, c, base+"/admin/outbox")
	resp, _ = apptest.PostForm(t, c, base+"/admin/outbox/"+strconv.FormatInt(claimed[0].ID, 10)+"/retry", url.Values{"_csrf": {tok}})
	if resp.StatusCode != 303 {
		t.Fatalf("retry: %d", resp.StatusCode)
	}
	if m, _ := ta.DB.FindMessages(ctx, storage.OutboxFilter{ID: claimed[0].ID}); m[0].Status != storage.OutboxQueued {
		t.Fatalf("retried message is %s", m[0].Status)
	}

	// Cancel: a confirmation page first, then attendees are mailed.
	status, body = apptest.Get(t, c, base+"/admin/salons/fintech-founders/cancel")
	if status != 200 || !strings.Contains(body, "2 confirmed and 0 waitlisted attendees will be mailed") {
		t.Fatalf("cancel page %d: %s", status, body)
	}
	if got, _ := ta.DB.FindSalonByID(ctx, sa.ID); got.Status != events.StatusPublished {
		t.Fatal("the confirmation page cancelled the salon")
	}
	tok = apptest.FormToken(t, c, base+"/admin/salons/fintech-founders/cancel")
	act("/admin/salons/fintech-founders/cancel", "/admin/salons/fintech-founders?ok=cancelled")
	if got, _ := ta.DB.FindSalonByID(ctx, sa.ID); got.Status != events.StatusCancelled {
		t.Fatal("not cancelled")
	}
	if m, _ := ta.DB.FindMessages(ctx, storage.OutboxFilter{SalonID: sa.ID, NewestFirst: true}); m[0].Kind != tickets.NoticeSalonCancelled {
		t.Fatalf("no cancellation mail: %s", m[0].Kind)
	}

	// The audit log tells who did what.
	_, body = apptest.Get(t, c, base+"/admin/audit")
	for _, want := range []string{"created the salon", "checked a guest in by hand", "undid a check-in", "cancelled an RSVP",
		"made a door link", "revoked a door link", "edited the salon", "retried a message", "cancelled the salon"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// TestConsole_TokensAndAccounts: a token is shown once and works until
// revoked; an admin adds an account that can sign in.
func TestConsole_TokensAndAccounts(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("root@example.com", events.RoleAdmin)
	c := apptest.SignedIn(t, base, "root@example.com")
	tok := apptest.FormToken(t, c, base+"/admin/tokens")
	resp, body := apptest.PostForm(t, c, base+"/admin/tokens", url.Values{"_csrf": {tok}, "label": {"laptop"}})
	m := regexp.MustCompile(`value="(slt_[A-Za-z0-9_-]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("new token %d: %s", resp.StatusCode, body)
	}
	api := func() int {
		req, _ := http.NewRequest("POST", base+"/api/v1/salons", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+m[1])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := api(); status != 422 {
		t.Fatalf("new token: %d", status)
	}
	if _, body := apptest.Get(t, c, base+"/admin/tokens"); strings.Contains(body, "slt_") || !strings.Contains(body, "laptop") {
		t.Fatal("token shown again, or not listed")
	}
	toks, _ := ta.DB.FindAPITokens(context.Background(), mustUser(t, ta, "root@example.com").ID)
	tok = apptest.FormToken(t, c, base+"/admin/tokens")
	resp, _ = apptest.PostForm(t, c, base+"/admin/tokens/"+strconv.FormatInt(toks[0].ID, 10)+"/revoke", url.Values{"_csrf": {tok}})
	if resp.StatusCode != 303 || api() != 401 {
		t.Fatalf("revoke: %d, token still works", resp.StatusCode)
	}

	// Accounts.
	tok = apptest.FormToken(t, c, base+"/admin/users")
	resp, body = apptest.PostForm(t, c, base+"/admin/users", url.Values{"_csrf": {tok}, "email": {"bad"}, "role": {"organizer"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `id="email-err"`) {
		t.Fatalf("bad account: %d", resp.StatusCode)
	}
	resp, _ = apptest.PostForm(t, c, base+"/admin/users", url.Values{"_csrf": {tok}, "email": {"new@example.com"}, "name": {"New"}, "role": {"staff"}, "password": {apptest.TestPassword}})
	if resp.StatusCode != 303 {
		t.Fatalf("add account: %d", resp.StatusCode)
	}
	if u := mustUser(t, ta, "new@example.com"); u.Role != events.RoleStaff {
		t.Fatalf("role %s", u.Role)
	}
	apptest.SignedIn(t, base, "new@example.com")
}

func mustUser(t *testing.T, ta *apptest.App, email string) *events.User {
	t.Helper()
	u, err := ta.DB.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
