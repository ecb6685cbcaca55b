package console_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// TestConsole_MessageGuests: the salon page offers the form with each
// audience's count; a message without the form's token is refused; a bad
// one is shown again with its field named and nothing sent; a good one is
// queued and listed, escaped; the allowance is shown and enforced.
func TestConsole_MessageGuests(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	sa := apptest.OwnedSalon(t, ta, org, "law-night", func(s *events.Salon) { s.Capacity = 2 })
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "G " + e, Email: e})
	}
	c := apptest.SignedIn(t, base, "mei@example.com")
	page := base + "/admin/salons/law-night"
	status, body := apptest.Get(t, c, page)
	for _, s := range []string{`id="message-form"`, "Confirmed guests (2)", "Guests on the waitlist (1)",
		"Everyone with a place: confirmed and waitlisted (3)", "No messages sent yet.", "Messages left for the next 24 hours: 3."} {
		if status != 200 || !strings.Contains(body, s) {
			t.Fatalf("salon page lacks %q", s)
		}
	}
	post := func(v url.Values) (int, string, string) {
		t.Helper()
		v.Set("_csrf", apptest.FormToken(t, c, page))
		resp, body := apptest.PostForm(t, c, page+"/messages", v)
		return resp.StatusCode, resp.Header.Get("Location"), body
	}
	// Without the CSRF token: refused, nothing queued.
	resp, _ := apptest.PostForm(t, c, page+"/messages", url.Values{"subject": {"s"}, "body": {"b"}, "to": {"all"}})
	if resp.StatusCode != 403 {
		t.Fatalf("no CSRF token: %d", resp.StatusCode)
	}
	for _, tc := range []struct {
		name  string
		v     url.Values
		field string
		text  string
	}{
		{"empty subject", url.Values{"subject": {""}, "body": {"b"}, "to": {"all"}}, "subject-err", "Required."},
		{"huge body", url.Values{"subject": {"s"}, "body": {strings.Repeat("b", storage.MaxMessageBody+1)}, "to": {"all"}}, "body-err", ""},
		{"unknown audience", url.Values{"subject": {"s"}, "body": {"b"}, "to": {"staff"}}, "to-err", "Choose who gets the message."},
	} {
		status, _, body := post(tc.v)
		if status != 422 || !strings.Contains(body, `id="`+tc.field+`"`) || !strings.Contains(body, tc.text) {
			t.Errorf("%s: %d, no %s", tc.name, status, tc.field)
		}
	}
	if list, _ := ta.DB.FindSalonMessages(ctx, sa.ID); len(list) != 0 {
		t.Fatalf("refused forms sent %d messages", len(list))
	}
	// What was typed comes back, escaped.
	_, _, body = post(url.Values{"subject": {xssScript}, "body": {""}, "to": {"all"}})
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || rawHostile.MatchString(body) {
		t.Error("the refused subject is not shown again escaped")
	}

	status, loc, _ := post(url.Values{"subject": {xssScript}, "body": {"Room 4.\n\n" + xssAttr}, "to": {"confirmed"}})
	if status != 303 || loc != "/admin/salons/law-night?ok=message&n=2#messages" {
		t.Fatalf("send: %d %q", status, loc)
	}
	status, body = apptest.Get(t, c, base+loc)
	if status != 200 || !strings.Contains(body, "Message queued. Guests it goes to: 2.") ||
		!strings.Contains(body, "to confirmed guests, guests reached: 2") || !strings.Contains(body, "Messages left for the next 24 hours: 2.") {
		t.Fatalf("after sending: %d", status)
	}
	if rawHostile.MatchString(body) || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the sent subject is not listed escaped")
	}
	msgs, _ := ta.DB.FindMessages(ctx, storage.OutboxFilter{SalonID: sa.ID})
	n := 0
	for _, m := range msgs {
		if m.Kind == tickets.NoticeMessage {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d message mails queued, want 2", n)
	}
	// An empty audience sends nothing and says so.
	ta.DB.CancelTicket(ctx, sa.ID, findTicket(t, ta, sa.ID, "c@example.com").ID)
	if _, loc, _ := post(url.Values{"subject": {"s"}, "body": {"b"}, "to": {"waitlisted"}}); loc != "/admin/salons/law-night?ok=message_none#messages" {
		t.Fatalf("empty audience: %q", loc)
	}
	for i := 0; i < 2; i++ {
		if status, _, _ := post(url.Values{"subject": {"s"}, "body": {"b"}, "to": {"all"}}); status != 303 {
			t.Fatalf("message %d: %d", i+2, status)
		}
	}
	status, _, body = post(url.Values{"subject": {"one more"}, "body": {"b"}, "to": {"all"}})
	if status != 429 || !strings.Contains(body, "This salon has sent its messages for the last 24 hours") ||
		!strings.Contains(body, `id="send-message" disabled`) {
		t.Fatalf("over the allowance: %d", status)
	}
	// The audit log names the message, not its body.
	_, body = apptest.Get(t, c, base+"/admin/audit")
	if !strings.Contains(body, "messaged the guests") || strings.Contains(body, "Room 4.") {
		t.Error("audit log: message not listed, or its body shown")
	}
	// Another organizer cannot message these guests.
	ta.Account("lu@example.com", events.RoleOrganizer)
	other := apptest.SignedIn(t, base, "lu@example.com")
	tok := apptest.FormToken(t, other, base+"/admin")
	if resp, _ := apptest.PostForm(t, other, page+"/messages", url.Values{"_csrf": {tok}, "subject": {"s"}, "body": {"b"}, "to": {"all"}}); resp.StatusCode != 403 {
		t.Fatalf("another organizer: %d", resp.StatusCode)
	}
}

func findTicket(t *testing.T, ta *apptest.App, salonID int64, email string) *tickets.Ticket {
	t.Helper()
	list, err := ta.DB.FindTickets(context.Background(), storage.TicketFilter{SalonID: salonID})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range list {
		if tk.Email == email {
			return tk
		}
	}
	t.Fatalf("no ticket of %s", email)
	return nil
}

// TestConsole_SalonTools: duplicating opens a new draft a week later; the
// reminder time is edited in the form; the warning with its count sits
// above Save; saving says how many guests will be told; the audit log
// shows what changed.
func TestConsole_SalonTools(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	org := ta.Account("mei@example.com", events.RoleOrganizer)
	sa := apptest.OwnedSalon(t, ta, org, "law-night", func(s *events.Salon) { s.Venue = "Hall A" })
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "G " + e, Email: e})
	}
	c := apptest.SignedIn(t, base, "mei@example.com")

	// Duplicate: CSRF first, then a draft copy.
	if resp, _ := apptest.PostForm(t, c, base+"/admin/salons/law-night/duplicate", url.Values{}); resp.StatusCode != 403 {
		t.Fatalf("duplicate without CSRF: %d", resp.StatusCode)
	}
	tok := apptest.FormToken(t, c, base+"/admin/salons/law-night")
	resp, _ := apptest.PostForm(t, c, base+"/admin/salons/law-night/duplicate", url.Values{"_csrf": {tok}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/admin/salons/") || strings.HasPrefix(loc, "/admin/salons/law-night?") {
		t.Fatalf("duplicate: %d %q", resp.StatusCode, loc)
	}
	copySlug := strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/salons/"), "?ok=duplicated")
	cp, err := ta.DB.FindSalonBySlug(ctx, copySlug)
	if err != nil || cp.Status != events.StatusDraft || cp.Confirmed != 0 || !cp.StartsAt.Equal(sa.StartsAt.Add(7*24*time.Hour)) || cp.Venue != "Hall A" {
		t.Fatalf("copy %+v %v", cp, err)
	}
	if status, body := apptest.Get(t, c, base+loc); status != 200 || !strings.Contains(body, "This is the copy, saved as a draft.") {
		t.Fatalf("copy page %d", status)
	}

	// The form: reminder select, and the warning above the Save button.
	status, body := apptest.Get(t, c, base+"/admin/salons/law-night/edit")
	warn, save := strings.Index(body, `id="edit-notice"`), strings.Index(body, `id="save"`)
	if status != 200 || warn < 0 || save < 0 || warn > save {
		t.Fatalf("the warning is not above Save: %d %d", warn, save)
	}
	if !strings.Contains(body, "mails every guest on the list (3 now)") || !strings.Contains(body, `<option value="1440" selected>1 day before</option>`) {
		t.Fatal("the form lacks the guest count or the reminder time")
	}
	v := formOf(sa)
	v.Set("_csrf", apptest.FormToken(t, c, base+"/admin/salons/law-night/edit"))
	v.Set("reminder_before_minutes", "180")
	v.Set("capacity", "9")
	resp, _ = apptest.PostForm(t, c, base+"/admin/salons/law-night/edit", v)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/salons/law-night?ok=saved&n=0" {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	got, _ := ta.DB.FindSalonByID(ctx, sa.ID)
	if got.ReminderBefore != 3*time.Hour || got.Capacity != 9 {
		t.Fatalf("saved %v %d", got.ReminderBefore, got.Capacity)
	}
	v.Set("venue", "Hall B")
	resp, _ = apptest.PostForm(t, c, base+"/admin/salons/law-night/edit", v)
	if loc := resp.Header.Get("Location"); loc != "/admin/salons/law-night?ok=saved&n=3" {
		t.Fatalf("venue change: %q", loc)
	}
	status, body = apptest.Get(t, c, base+"/admin/salons/law-night?ok=saved&n=3")
	if status != 200 || !strings.Contains(body, "Saved. Guests who will be told of the change: 3.") {
		t.Fatal("the saved page does not say how many were told")
	}
	if !strings.Contains(body, "Venue: Hall A → Hall B") || !strings.Contains(body, "Seats: 5 → 9; Reminder mail: 24h → 3h") {
		t.Fatal("the audit log does not show what changed")
	}
	// A bad reminder is refused and named.
	v.Set("reminder_before_minutes", "-5")
	resp, body = apptest.PostForm(t, c, base+"/admin/salons/law-night/edit", v)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="reminder-err"`) {
		t.Fatalf("bad reminder: %d", resp.StatusCode)
	}
	// No reminder on a new salon stays none.
	nv := formOf(sa)
	nv.Set("_csrf", apptest.FormToken(t, c, base+"/admin/salons/new"))
	nv.Set("title", "Quiet night")
	nv.Set("reminder_before_minutes", "0")
	nv.Set("action", "draft")
	resp, _ = apptest.PostForm(t, c, base+"/admin/salons/new", nv)
	if resp.StatusCode != 303 {
		t.Fatalf("new salon: %d", resp.StatusCode)
	}
	quiet, err := ta.DB.FindSalonBySlug(ctx, "quiet-night")
	if err != nil || quiet.ReminderBefore != 0 {
		t.Fatalf("no reminder became %v (%v)", quiet.ReminderBefore, err)
	}
}

// formOf is the edit form of sa as the browser would send it back.
func formOf(sa *events.Salon) url.Values {
	loc := sa.Location()
	return url.Values{"title": {sa.Title}, "industry": {sa.Industry}, "venue": {sa.Venue}, "address": {sa.Address},
		"timezone": {sa.Timezone}, "starts_at": {sa.StartsAt.In(loc).Format("2006-01-02T15:04")},
		"ends_at": {sa.EndsAt.In(loc).Format("2006-01-02T15:04")}, "capacity": {"5"}, "waitlist": {"on"},
		"reminder_before_minutes": {"1440"}, "action": {"save"}}
}

// TestConsole_PasswordChangeEndsOtherSessions: changing one's password
// signs out every other browser of the account and keeps this one.
func TestConsole_PasswordChangeEndsOtherSessions(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)
	ta.Account("lu@example.com", events.RoleOrganizer)
	here := apptest.SignedIn(t, base, "mei@example.com")
	phone := apptest.SignedIn(t, base, "mei@example.com")
	colleague := apptest.SignedIn(t, base, "lu@example.com")
	tok := apptest.FormToken(t, here, base+"/admin/account")
	resp, _ := apptest.PostForm(t, here, base+"/admin/account/password", url.Values{"_csrf": {tok},
		"current": {apptest.TestPassword}, "password": {"a much longer passphrase"}, "password2": {"a much longer passphrase"}})
	if resp.StatusCode != 303 {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if status, _ := apptest.Get(t, here, base+"/admin"); status != 200 {
		t.Fatalf("this browser was signed out: %d", status)
	}
	r, err := phone.Get(base + "/admin")
	if err != nil || r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("the other browser is still signed in: %v %v", r.StatusCode, err)
	}
	if status, _ := apptest.Get(t, colleague, base+"/admin"); status != 200 {
		t.Fatalf("another account was signed out: %d", status)
	}
	again := apptest.Browser(t)
	if resp, _ := apptest.Login(t, again, base, "mei@example.com", "a much longer passphrase"); resp.StatusCode != 303 {
		t.Fatalf("the new password does not sign in: %d", resp.StatusCode)
	}
}

// TestConsole_OutboxReadable: rows name their kind and salon in the
// console's language, and a real delivery failure reads in plain words.
func TestConsole_OutboxReadable(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	base := ta.Listen()
	ta.Account("root@example.com", events.RoleAdmin)
	slug := ta.Salon(`"slug":"law-night","title":"Law night","title_zh":"法律之夜"`)
	smtp.RejectRecipient("bounce@example.com", 550)
	ta.RSVPToken(slug, "ok@example.com")
	ta.RSVPToken(slug, "bounce@example.com")
	apptest.WaitMail(t, smtp, 1)
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{Status: storage.OutboxFailed})
		if len(msgs) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the rejected mail never failed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c := apptest.SignedIn(t, base, "root@example.com")
	status, body := apptest.Get(t, c, base+"/admin/outbox")
	if status != 200 || !strings.Contains(body, ">Confirmation<") || !strings.Contains(body, ">Law night</a>") ||
		!strings.Contains(body, "The receiving mail server refused it (code 550).") {
		t.Fatalf("outbox: %d %s", status, body)
	}
	for _, raw := range []string{"mailer:", "smtp", "RCPT", ">confirmed<"} {
		if strings.Contains(body[strings.Index(body, `id="outbox"`):], raw) {
			t.Errorf("the outbox shows %q", raw)
		}
	}
	zh := apptest.Browser(t)
	zh.Get(base + "/lang/zh?next=/login")
	apptest.Login(t, zh, base, "root@example.com", apptest.TestPassword)
	_, body = apptest.Get(t, zh, base+"/admin/outbox")
	if !strings.Contains(body, ">报名确认<") || !strings.Contains(body, "收件方邮件服务器拒收（代码 550）。") {
		t.Fatalf("Chinese outbox: %s", body)
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Errorf("Chinese outbox shows English: %q", leaks)
	}
}

// TestConsole_OrganizerToolsChinese: the salon page with a sent message
// and an edit in its log, the salon form and the outbox read in Chinese.
func TestConsole_OrganizerToolsChinese(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	org := ta.Account("wang@example.com", events.RoleOrganizer)
	sa := apptest.OwnedSalon(t, ta, org, "zh-night", func(s *events.Salon) { s.Title = "金融科技沙龙"; s.Venue = "一号厅" })
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "李娜", Email: "li@example.com", Lang: "zh"})
	actx := storage.WithActor(ctx, storage.Actor{UserID: org.ID, Email: org.Email})
	venue, capacity := "二号厅", 8
	if _, err := ta.DB.UpdateSalon(actx, sa.ID, events.SalonUpdate{Venue: &venue, Capacity: &capacity}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.DB.QueueSalonMessage(actx, storage.MessageRequest{SalonID: sa.ID, Subject: "换场地", Body: "见面再聊",
		Audience: storage.AudienceAll}); err != nil {
		t.Fatal(err)
	}
	c := apptest.Browser(t)
	c.Get(base + "/lang/zh?next=/login")
	if resp, _ := apptest.Login(t, c, base, "wang@example.com", apptest.TestPassword); resp.StatusCode != 303 {
		t.Fatal("login")
	}
	for _, p := range []string{"/admin/salons/zh-night", "/admin/salons/zh-night?ok=message&n=1", "/admin/salons/zh-night?ok=saved&n=1",
		"/admin/salons/zh-night/edit", "/admin/outbox", "/admin/audit"} {
		status, body := apptest.Get(t, c, base+p)
		if status != 200 {
			t.Fatalf("%s: %d", p, status)
		}
		if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
			t.Errorf("%s shows English: %q", p, leaks)
		}
		for _, en := range []string{"guests reached", "Guests who will", "Message guests", "venue:", "capacity:", ">Message from the organizers<"} {
			if strings.Contains(body, en) {
				t.Errorf("%s shows %q", p, en)
			}
		}
	}
	_, body := apptest.Get(t, c, base+"/admin/salons/zh-night")
	if !strings.Contains(body, "场地: 一号厅 → 二号厅; 座位数: 5 → 8") || !strings.Contains(body, "发给已确认和候补的嘉宾，共 1 人") {
		t.Error("the Chinese salon page lacks the change or the message")
	}
}
