package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	_ "github.com/emersion/go-message/charset"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/app/mailer/smtptest"
)

func TestMail_Confirmation(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon(`"capacity":1,"title":"Fintech, founders; & \\friends","venue":"WeWork"`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"李娜 Lina","email":"lina@example.com","company":"Ant"}`)
	msgs := apptest.WaitMail(t, smtp, 1)
	h, parts := apptest.ParseMail(t, msgs[0].Data)

	if from, _ := h.AddressList("From"); len(from) != 1 || from[0].Address != "no-reply@salon.example" || from[0].Name != "Salon 沙龙" {
		t.Fatalf("From %v", from)
	}
	if to, _ := h.AddressList("To"); len(to) != 1 || to[0].Name != "李娜 Lina" || to[0].Address != "lina@example.com" {
		t.Fatalf("To %v (raw %q)", to, h.Get("To"))
	}
	if rt, _ := h.AddressList("Reply-To"); len(rt) != 1 || rt[0].Address != "org@example.com" {
		t.Fatalf("Reply-To must be the organizer: %v", rt)
	}
	if subj, _ := h.Subject(); !strings.Contains(subj, "Fintech, founders; & \\friends") {
		t.Fatalf("subject %q", subj)
	}
	if id := h.Get("Message-Id"); !strings.HasSuffix(id, "@salon.example>") {
		t.Fatalf("Message-ID %q", id)
	}
	text := apptest.FindPart(parts, "text/plain")
	if text == nil || !strings.Contains(text.Body, "https://salon.example/t/") || !strings.Contains(text.Body, "https://salon.example/feeds/") {
		t.Fatalf("text part: %+v", text)
	}
	html := apptest.FindPart(parts, "text/html")
	if html == nil || !strings.Contains(html.Body, `src="cid:ticket-qr@salon"`) {
		t.Fatalf("html part lacks the inline QR: %+v", html)
	}
	img := apptest.FindPart(parts, "image/png")
	if img == nil || img.ContentID != "<ticket-qr@salon>" || !strings.HasPrefix(img.Body, "\x89PNG") {
		t.Fatalf("inline QR image: %+v", img)
	}
	var cal, att *apptest.Part
	for i := range parts {
		if parts[i].ContentType == "text/calendar" {
			cal = &parts[i]
		}
		if parts[i].Filename == "invite.ics" {
			att = &parts[i]
		}
	}
	if cal == nil || cal.Params["method"] != "REQUEST" || !strings.Contains(cal.Body, "METHOD:REQUEST") {
		t.Fatalf("calendar part: %+v", cal)
	}
	if att == nil || !strings.Contains(att.Body, "METHOD:REQUEST") || !strings.Contains(att.Body, "ATTENDEE") {
		t.Fatalf("invite attachment: %+v", att)
	}
}

func TestMail_EveryNotice(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon(`"capacity":1`)
	tokA, _ := ta.RSVPToken(slug, "a@example.com")
	ta.RSVPToken(slug, "b@example.com") // waitlisted
	apptest.WaitMail(t, smtp, 2)
	ta.JSON("POST", "/api/v1/tickets/"+tokA+"/cancel", "", "") // a cancelled, b promoted
	apptest.WaitMail(t, smtp, 4)
	ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"venue":"A new place"}`) // b changed
	apptest.WaitMail(t, smtp, 5)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/cancel", ta.Token, "") // b salon cancelled
	msgs := apptest.WaitMail(t, smtp, 6)

	want := []struct{ to, subject, method, body string }{
		{"a@example.com", "Your seat at", "REQUEST", "You have a seat"},
		{"b@example.com", "waitlist", "", "position 1"},
		{"a@example.com", "RSVP cancelled", "CANCEL", "cancelled"},
		{"b@example.com", "A seat opened up", "REQUEST", "it is yours"},
		{"b@example.com", "Updated", "REQUEST", "A new place"},
		{"b@example.com", "Cancelled", "CANCEL", "has been cancelled"},
	}
	got := map[string][]string{}
	for _, m := range msgs {
		h, parts := apptest.ParseMail(t, m.Data)
		subj, _ := h.Subject()
		method := ""
		if cal := apptest.FindPart(parts, "text/calendar"); cal != nil {
			method = cal.Params["method"]
			if !strings.Contains(cal.Body, "METHOD:"+method) {
				t.Errorf("%s: MIME method=%s but the file says otherwise", subj, method)
			}
		}
		got[m.To[0]] = append(got[m.To[0]], subj+"|"+method+"|"+apptest.FindPart(parts, "text/plain").Body)
	}
	idx := map[string]int{}
	for _, w := range want {
		list := got[w.to]
		i := idx[w.to]
		if i >= len(list) {
			t.Fatalf("missing mail %q for %s", w.subject, w.to)
		}
		idx[w.to]++
		f := strings.SplitN(list[i], "|", 3)
		if !strings.Contains(f[0], w.subject) || f[1] != w.method || !strings.Contains(f[2], w.body) {
			t.Errorf("mail %d to %s: subject %q method %q body %q; want %q %q %q", i, w.to, f[0], f[1], f[2], w.subject, w.method, w.body)
		}
	}
	if len(smtp.Messages()) != 6 {
		t.Fatalf("%d mails, want 6", len(smtp.Messages()))
	}
	for id, n := range smtp.DeliveriesByID() {
		if n != 1 {
			t.Fatalf("message %s delivered %d times", id, n)
		}
	}
}

// TestMail_HeaderInjection: names and titles with line breaks never reach
// a header; the API refuses them before anything is queued.
func TestMail_HeaderInjection(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon("")
	for _, body := range []string{
		`{"name":"Eve\r\nBcc: victim@example.com","email":"eve@example.com"}`,
		`{"name":"Eve","email":"eve@example.com\r\nBcc: victim@example.com"}`,
		`{"name":"Eve\nSubject: pwned","email":"eve2@example.com"}`,
	} {
		if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", body); s != 422 {
			t.Fatalf("%s: %d %v", body, s, out)
		}
	}
	if s, _ := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"title":"Hi\r\nBcc: victim@example.com"}`); s != 422 {
		t.Fatalf("title with CRLF accepted: %d", s)
	}
	// A name full of header syntax but no line break is encoded, not obeyed.
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Eve: <x@evil.example>, Bcc","email":"eve3@example.com"}`)
	msgs := apptest.WaitMail(t, smtp, 1)
	if len(msgs[0].To) != 1 || msgs[0].To[0] != "eve3@example.com" {
		t.Fatalf("recipients %v", msgs[0].To)
	}
	h, _ := apptest.ParseMail(t, msgs[0].Data)
	if h.Get("Bcc") != "" {
		t.Fatal("a Bcc header appeared")
	}
}

// TestMail_PermanentFailureListedAndRetried: a 550 marks the mail failed at
// once; admins see it with its error and can queue it again.
func TestMail_PermanentFailureListedAndRetried(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	_, admin := ta.User("admin@example.com", "admin")
	smtp.RejectRecipient("bounce@example.com", 550)
	slug := ta.Salon("")
	ta.RSVPToken(slug, "ok@example.com")
	ta.RSVPToken(slug, "bounce@example.com")
	apptest.WaitMail(t, smtp, 1)
	var failed []any
	for i := 0; i < 100; i++ {
		_, out := ta.JSON("GET", "/api/v1/outbox?status=failed", admin, "")
		if failed = out["messages"].([]any); len(failed) == 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(failed) != 1 {
		t.Fatalf("failed mail not listed: %v", failed)
	}
	m := failed[0].(map[string]any)
	if m["recipient"] != "bounce@example.com" || !strings.Contains(m["last_error"].(string), "550") || m["attempts"].(float64) != 1 {
		t.Fatalf("failed message %v", m)
	}
	if s, out := ta.JSON("GET", "/api/v1/outbox", ta.Token, ""); s != 403 {
		t.Fatalf("an organizer listed all mail: %d %v", s, out)
	}
	if s, out := ta.JSON("GET", "/api/v1/outbox?salon="+slug, ta.Token, ""); s != 200 || len(out["messages"].([]any)) != 2 {
		t.Fatalf("organizer's own salon mail: %d %v", s, out)
	}
	smtp.RejectRecipient("bounce@example.com", 0)
	for _, id := range []string{"999999", "0", "-1", "abc"} {
		if s, out := ta.JSON("POST", "/api/v1/outbox/"+id+"/retry", admin, ""); s != 404 {
			t.Errorf("retry of message %s: %d %v", id, s, out)
		}
	}
	if s, out := ta.JSON("POST", "/api/v1/outbox/"+m["id"].(string)+"/retry", admin, ""); s != 200 ||
		out["message"].(map[string]any)["id"] != m["id"] || out["message"].(map[string]any)["status"] == "failed" {
		t.Fatalf("retry: %d %v", s, out)
	}
	msgs := apptest.WaitMail(t, smtp, 2)
	if msgs[1].To[0] != "bounce@example.com" {
		t.Fatalf("retried mail went to %v", msgs[1].To)
	}
}

// TestMail_Chinese: a Chinese attendee's confirmation, end to end, reads
// Chinese: subject, body, and dates written the Chinese way.
func TestMail_Chinese(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon(`"title":"生物科技之夜","starts_at":"2027-12-04T19:00:00+08:00","ends_at":"2027-12-04T21:00:00+08:00"`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"王芳","email":"fang@example.com","lang":"zh-CN"}`)
	msgs := apptest.WaitMail(t, smtp, 1)
	h, parts := apptest.ParseMail(t, msgs[0].Data)
	if subj, _ := h.Subject(); subj != "你在「生物科技之夜」的座位" {
		t.Fatalf("subject %q", subj)
	}
	for _, ct := range []string{"text/plain", "text/html"} {
		p := apptest.FindPart(parts, ct)
		if !strings.Contains(p.Body, "王芳，你好") || !strings.Contains(p.Body, "12月4日 周六 19:00") {
			t.Fatalf("%s not in Chinese: %s", ct, p.Body)
		}
		for _, en := range []string{"Hello", "You have a seat", "When:", "Where:", "Your ticket", "Show this QR code", "Cannot come?", "You get this mail"} {
			if strings.Contains(p.Body, en) {
				t.Errorf("%s shows English %q", ct, en)
			}
		}
	}
}

// TestMail_ReminderAndAlreadyRegistered: the reminder goes out once when
// its time has come, and RSVPing again mails the existing ticket.
func TestMail_ReminderAndAlreadyRegistered(t *testing.T) {
	smtp := smtptest.Start(t)
	ta := apptest.New(t, func(c *app.Config) { c.SMTP = smtp.URL() })
	start := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	slug := ta.Salon(`"slug":"soon","reminder_before_minutes":180,"starts_at":"` + start.Format(time.RFC3339) +
		`","ends_at":"` + start.Add(time.Hour).Format(time.RFC3339) + `"`)
	ta.RSVPToken(slug, "r@example.com")
	ctx, cancel := context.WithCancel(context.Background())
	if err := ta.Srv.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); ta.Srv.Wait() }()
	msgs := apptest.WaitMail(t, smtp, 2)
	subjects := map[string]bool{}
	for _, m := range msgs {
		h, parts := apptest.ParseMail(t, m.Data)
		s, _ := h.Subject()
		subjects[s] = true
		if strings.HasPrefix(s, "Reminder") && (apptest.FindPart(parts, "image/png") == nil || apptest.FindPart(parts, "text/calendar") == nil) {
			t.Fatal("the reminder lacks the QR code or the invitation")
		}
	}
	if !subjects["Reminder: Biotech evening"] || !subjects["Your seat at Biotech evening"] {
		t.Fatalf("subjects %v", subjects)
	}
	// RSVPing again minutes after the first confirmation mails the ticket
	// again: only resends count against the anti-flood window.
	if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"R","email":"R@example.com"}`); s != 409 || apptest.ErrCode(out) != "already_registered" {
		t.Fatalf("%d %v", s, out)
	}
	msgs = apptest.WaitMail(t, smtp, 3)
	h, parts := apptest.ParseMail(t, msgs[2].Data)
	if s, _ := h.Subject(); s != "Your RSVP for Biotech evening" || apptest.FindPart(parts, "image/png") == nil {
		t.Fatalf("already-registered mail: %q", s)
	}
	// A second repeat is held back: the address is not flooded.
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"R","email":"r@example.com"}`)
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 3 {
		t.Fatalf("%d mails; a second repeat within 10 minutes of a resend must not mail again", n)
	}
	// Eleven minutes later (the clock moves only while no worker runs, so
	// nothing reads it as it changes) the owner gets the ticket again.
	cancel()
	ta.Srv.Wait()
	ta.DB.Clock = func() time.Time { return time.Now().Add(11 * time.Minute) }
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2() // runs before the deferred Wait above
	if err := ta.Srv.StartWorkers(ctx2); err != nil {
		t.Fatal(err)
	}
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"R","email":"r@example.com"}`)
	msgs = apptest.WaitMail(t, smtp, 4)
	h, _ = apptest.ParseMail(t, msgs[3].Data)
	if s, _ := h.Subject(); s != "Your RSVP for Biotech evening" {
		t.Fatalf("second already-registered mail: %q", s)
	}
}
