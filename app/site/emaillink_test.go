package site_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/storage"
	"salon/tickets"
)

// linkRE finds the one-time link in the plain text of the link's mail.
var linkRE = regexp.MustCompile(`https://salon\.example/me/([A-Za-z0-9_-]{40,})`)

// TestEmailLinkFlow: a ticket page mails its address a link to every
// ticket of that address; the link's page lists them, downloads all their
// data through its form, and erases them all after a confirmation, freeing
// seats to the waitlist. Asking again at once is refused with a page that
// says why.
func TestEmailLinkFlow(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	law := ta.Salon(`"title":"Law night","capacity":1`)
	bio := ta.Salon(`"title":"Bio night"`)
	anaLaw := rsvpIn(t, ta, law, "Ana Lima", "ana@example.com", "en")
	rsvpIn(t, ta, bio, "Ana Lima", "ana@example.com", "en")
	bo := rsvpIn(t, ta, law, "Bo", "bo@example.com", "en") // waitlisted
	carl := rsvpIn(t, ta, bio, "Carl", "carl@example.com", "en")
	base := ta.Listen()
	c := apptest.Browser(t)
	apptest.WaitMail(t, smtp, 4)

	_, page := apptest.Get(t, c, base+"/t/"+anaLaw)
	m := apptest.CSRFRE.FindStringSubmatch(page)
	if !strings.Contains(page, `action="/t/`+anaLaw+`/all"`) || m == nil {
		t.Fatalf("the ticket page offers no link to all tickets: %s", page)
	}
	if resp, _ := apptest.PostForm(t, c, base+"/t/"+anaLaw+"/all", url.Values{"_csrf": {"forged"}}); resp.StatusCode != 403 {
		t.Fatalf("asking without the form token: %d", resp.StatusCode)
	}
	resp, body := apptest.PostForm(t, c, base+"/t/"+anaLaw+"/all", url.Values{"_csrf": {m[1]}})
	if resp.StatusCode != 200 || !strings.Contains(body, "We mailed a link to ana@example.com.") {
		t.Fatalf("asking for the link: %d %s", resp.StatusCode, body)
	}
	resp, body = apptest.PostForm(t, c, base+"/t/"+anaLaw+"/all", url.Values{"_csrf": {m[1]}})
	if resp.StatusCode != 429 || !strings.Contains(body, "a short while ago") {
		t.Fatalf("asking again at once: %d %s", resp.StatusCode, body)
	}

	mails := apptest.WaitMail(t, smtp, 5)
	link := mails[4]
	if len(link.To) != 1 || link.To[0] != "ana@example.com" {
		t.Fatalf("the link went to %v", link.To)
	}
	h, parts := apptest.ParseMail(t, link.Data)
	text := apptest.FindPart(parts, "text/plain")
	if subj, _ := h.Subject(); subj != "Your tickets on Salon" || text == nil || !linkRE.MatchString(text.Body) {
		t.Fatalf("link mail %q: %+v", subj, parts)
	}
	token := linkRE.FindStringSubmatch(text.Body)[1]
	// The worker marks the mail sent just after the server took it.
	for i := 0; ; i++ {
		msgs, _ := ta.DB.FindMessages(t.Context(), ticketMail(t, ta, anaLaw))
		if mailForgotLink(msgs) {
			break
		} else if i == 100 {
			t.Fatal("the sent mail still holds the link")
		}
		time.Sleep(50 * time.Millisecond)
	}

	status, me := apptest.Get(t, c, base+"/me/"+token)
	if status != 200 || !strings.Contains(me, "Law night") || !strings.Contains(me, "Bio night") ||
		strings.Contains(me, "Carl") || !strings.Contains(me, `action="/me/`+token+`/export"`) {
		t.Fatalf("the link's page: %d %s", status, me)
	}
	csrf := apptest.CSRFRE.FindStringSubmatch(me)[1]
	if resp, _ := apptest.PostForm(t, c, base+"/me/"+token+"/export", url.Values{}); resp.StatusCode != 403 {
		t.Fatalf("export without the form token: %d", resp.StatusCode)
	}
	resp, body = apptest.PostForm(t, c, base+"/me/"+token+"/export", url.Values{"_csrf": {csrf}})
	var ex struct {
		Email   string `json:"email"`
		Tickets []struct {
			Ticket struct{ Email, Name string }       `json:"ticket"`
			Salon  struct{ Title string }             `json:"salon"`
			Mail   []struct{ Kind, Recipient string } `json:"mail"`
		} `json:"tickets"`
	}
	if err := json.Unmarshal([]byte(body), &ex); err != nil || resp.StatusCode != 200 ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %d %v %s", resp.StatusCode, err, body)
	}
	if ex.Email != "ana@example.com" || len(ex.Tickets) != 2 || ex.Tickets[0].Salon.Title != "Law night" ||
		ex.Tickets[1].Salon.Title != "Bio night" || ex.Tickets[1].Ticket.Name != "Ana Lima" || len(ex.Tickets[0].Mail) != 2 {
		t.Fatalf("export of every ticket: %+v", ex)
	}

	status, confirm := apptest.Get(t, c, base+"/me/"+token+"/erase")
	if status != 200 || !strings.Contains(confirm, "(2 in all)") || !strings.Contains(confirm, "2 of them are active") {
		t.Fatalf("erase confirmation: %d %s", status, confirm)
	}
	if resp, _ := apptest.PostForm(t, c, base+"/me/"+token+"/erase", url.Values{"confirm": {"1"}}); resp.StatusCode != 403 {
		t.Fatalf("erase without the form token: %d", resp.StatusCode)
	}
	if resp, _ := apptest.PostForm(t, c, base+"/me/"+token+"/erase", url.Values{"_csrf": {csrf}}); resp.StatusCode != 200 ||
		ticketStatus(t, ta, anaLaw) != tickets.StatusConfirmed {
		t.Fatalf("a post without confirm erased, or did not ask: %d", resp.StatusCode)
	}
	resp, _ = apptest.PostForm(t, c, base+"/me/"+token+"/erase", url.Values{"_csrf": {csrf}, "confirm": {"1"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/privacy?erased=1" {
		t.Fatalf("erase: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if ticketStatus(t, ta, anaLaw) != tickets.StatusCancelled || ticketStatus(t, ta, bo) != tickets.StatusConfirmed ||
		ticketStatus(t, ta, carl) != tickets.StatusConfirmed {
		t.Fatal("the erasure did not cancel Ana's tickets and promote Bo, or touched Carl's")
	}
	if found, _ := ta.DB.FindTickets(t.Context(), emailFilter("ana@example.com")); len(found) != 0 {
		t.Fatalf("%d tickets still carry the address", len(found))
	}
	_, priv := apptest.Get(t, c, base+"/privacy?erased=1")
	if !strings.Contains(priv, "erased from every ticket of your address") {
		t.Fatalf("the privacy page after erasing: %s", priv)
	}
	if status, _ := apptest.Get(t, c, base+"/me/"+token); status != 404 {
		t.Fatalf("the link after erasing: %d, want 404", status)
	}
}

// TestEmailLinkChinese: the link's mail and page follow the ticket's
// language, with no English left on the pages.
func TestEmailLinkChinese(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon(`"title":"Law night","title_zh":"法律之夜"`)
	fang := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh")
	base := ta.Listen()
	c := apptest.Browser(t)
	apptest.WaitMail(t, smtp, 1)
	_, page := getIn(t, c, base+"/t/"+fang, "en-US")
	csrf := apptest.CSRFRE.FindStringSubmatch(page)[1]
	resp, body := apptest.PostForm(t, c, base+"/t/"+fang+"/all", url.Values{"_csrf": {csrf}})
	if resp.StatusCode != 200 || !isChinese(body) || !strings.Contains(body, "我们已向 fang@example.com 发送了链接。") {
		t.Fatalf("zh: %d %s", resp.StatusCode, body)
	}
	h, parts := apptest.ParseMail(t, apptest.WaitMail(t, smtp, 2)[1].Data)
	text := apptest.FindPart(parts, "text/plain")
	if subj, _ := h.Subject(); subj != "你在 Salon 上的门票" || text == nil || !linkRE.MatchString(text.Body) {
		t.Fatalf("zh link mail %q: %+v", subj, parts)
	}
	token := linkRE.FindStringSubmatch(text.Body)[1]
	for _, path := range []string{"/t/" + fang + "/all", "/me/" + token, "/me/" + token + "/erase", "/privacy"} {
		req := base + path
		var got string
		if path == "/t/"+fang+"/all" {
			got = body
		} else {
			_, got = getIn(t, c, req, "zh-CN")
		}
		if leaks := apptest.EnglishLeaks(got); len(leaks) > 0 || !isChinese(got) {
			t.Errorf("zh %s shows English: %q", path, leaks)
		}
	}
}

// emailFilter selects the tickets of an address.
func emailFilter(email string) storage.TicketFilter { return storage.TicketFilter{Email: email} }

// ticketMail selects the outbox rows of the ticket a manage token opens.
func ticketMail(t *testing.T, ta *apptest.App, token string) storage.OutboxFilter {
	t.Helper()
	tk, err := ta.DB.FindTicketByToken(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	return storage.OutboxFilter{TicketID: tk.ID}
}

// mailForgotLink reports whether the ticket's email link mail was sent and
// holds no link any more.
func mailForgotLink(msgs []*storage.Message) bool {
	for _, m := range msgs {
		if m.Kind == tickets.NoticeEmailLink {
			return m.Status == storage.OutboxSent && len(m.Payload) == 0
		}
	}
	return false
}
