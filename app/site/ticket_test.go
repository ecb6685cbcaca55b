package site_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/storage"
	"salon/tickets"
)

// rsvpIn RSVPs through the API in lang and returns the manage token.
func rsvpIn(t *testing.T, ta *apptest.App, slug, name, email, lang string) string {
	t.Helper()
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"`+name+`","email":"`+email+`","lang":"`+lang+`"}`)
	if s != 201 {
		t.Fatalf("rsvp %s: %d %v", email, s, out)
	}
	u := out["ticket"].(map[string]any)["manage_url"].(string)
	return u[strings.LastIndex(u, "/")+1:]
}

// getIn fetches u with c as a browser set to acceptLanguage.
func getIn(t *testing.T, c *http.Client, u, acceptLanguage string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func ticketStatus(t *testing.T, ta *apptest.App, token string) string {
	t.Helper()
	tk, err := ta.DB.FindTicketByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return tk.Status
}

func isChinese(body string) bool { return strings.Contains(body, `<html lang="zh-Hans">`) }

// TestTicketPageLanguage: a ticket page reads in the language of its RSVP,
// whatever the browser asks for, until the reader switches explicitly.
func TestTicketPageLanguage(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"title":"Law night","title_zh":"法律之夜","capacity":5`)
	zhTok := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh")
	enTok := rsvpIn(t, ta, slug, "Ana Lima", "ana@example.com", "en")
	base := ta.Listen()

	// An English browser opens a Chinese RSVP's link (say, forwarded from WeChat).
	status, body := getIn(t, apptest.Browser(t), base+"/t/"+zhTok, "en-US,en;q=0.9")
	if status != 200 || !isChinese(body) || !strings.Contains(body, "你已获得座位") || !strings.Contains(body, "法律之夜") {
		t.Fatalf("zh ticket in an English browser is not Chinese: %d %.400q", status, body)
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Fatalf("zh ticket page shows English: %q", leaks)
	}
	status, body = getIn(t, apptest.Browser(t), base+"/t/"+enTok, "zh-CN,zh;q=0.9")
	if status != 200 || isChinese(body) || !strings.Contains(body, "You have a seat.") || !strings.Contains(body, "Law night") {
		t.Fatalf("en ticket in a Chinese browser is not English: %d %.400q", status, body)
	}

	// The explicit switch wins over the ticket's language, both ways.
	for _, tc := range []struct {
		name, switchTo, token, accept string
		zh                            bool
	}{
		{"zh ticket, switched to English", "en", zhTok, "zh-CN", false},
		{"en ticket, switched to Chinese", "zh", enTok, "en-US", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := apptest.Browser(t)
			r, err := c.Get(base + "/lang/" + tc.switchTo + "?next=" + url.QueryEscape("/t/"+tc.token))
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			_, body := getIn(t, c, base+"/t/"+tc.token, tc.accept)
			if isChinese(body) != tc.zh {
				t.Fatalf("after switching to %s the page is zh=%v: %.400q", tc.switchTo, isChinese(body), body)
			}
			if tc.zh {
				if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 || !strings.Contains(body, "你已获得座位") {
					t.Fatalf("switched page shows English: %q", leaks)
				}
			} else if !strings.Contains(body, "You have a seat.") {
				t.Fatalf("switched page is not English: %.400q", body)
			}
		})
	}
}

var confirmRE = regexp.MustCompile(`<input type="hidden" name="confirm" value="1">`)

// snapshot is what a write would change: the tickets, the mail queued and
// the ticket change counter.
func snapshot(t *testing.T, ta *apptest.App) string {
	t.Helper()
	ctx := context.Background()
	list, err := ta.DB.FindTickets(ctx, storage.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tk := range list {
		b.WriteString(tk.Email + "=" + tk.Status + " ")
	}
	msgs, err := ta.DB.FindMessages(ctx, storage.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(strings.Repeat("m", len(msgs)))
	b.WriteString(" v" + strconv.FormatUint(ta.DB.TicketsVersion(), 10))
	return b.String()
}

// TestTicketCancelTwoSteps: the cancel button asks first and says what will
// happen; only the confirmed second step cancels, and both steps need the
// form token.
func TestTicketCancelTwoSteps(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"title":"Law night","title_zh":"法律之夜","capacity":1`)
	ana := rsvpIn(t, ta, slug, "Ana", "ana@example.com", "en")  // confirmed
	bo := rsvpIn(t, ta, slug, "Bo", "bo@example.com", "en")     // waitlisted 1
	fang := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh") // waitlisted 2
	base := ta.Listen()
	c := apptest.Browser(t)

	_, page := apptest.Get(t, c, base+"/t/"+ana)
	if !strings.Contains(page, `action="/t/`+ana+`/cancel"`) {
		t.Fatalf("the ticket page has no way to cancel: %s", page)
	}
	before := snapshot(t, ta)

	// Step one, by GET (the ticket page's button) and by POST without
	// confirm (an old page): a question, nothing written.
	status, get := apptest.Get(t, c, base+"/t/"+ana+"/cancel")
	csrf := apptest.CSRFRE.FindStringSubmatch(get)[1]
	resp, post := apptest.PostForm(t, c, base+"/t/"+ana+"/cancel", url.Values{"_csrf": {csrf}})
	for how, body := range map[string]string{"GET": get, "POST": post} {
		if !strings.Contains(body, "Your seat goes to the next person on the waitlist.") || !confirmRE.MatchString(body) ||
			!apptest.CSRFRE.MatchString(body) || !strings.Contains(body, `href="/t/`+ana+`"`) {
			t.Fatalf("%s confirmation page: %s", how, body)
		}
	}
	if status != 200 || resp.StatusCode != 200 {
		t.Fatalf("confirmation: GET %d, POST %d", status, resp.StatusCode)
	}
	if after := snapshot(t, ta); after != before || ticketStatus(t, ta, ana) != tickets.StatusConfirmed {
		t.Fatalf("the first step wrote: %s -> %s", before, after)
	}

	// Both steps refuse a request without the form token, and write nothing.
	for _, v := range []url.Values{{}, {"confirm": {"1"}}, {"confirm": {"1"}, "_csrf": {"forged"}}} {
		if resp, _ := apptest.PostForm(t, c, base+"/t/"+ana+"/cancel", v); resp.StatusCode != 403 {
			t.Fatalf("cancel with %v: %d", v, resp.StatusCode)
		}
	}
	if after := snapshot(t, ta); after != before {
		t.Fatalf("a refused step wrote: %s -> %s", before, after)
	}

	// A waitlisted guest is told they leave the waitlist, never that a seat frees.
	_, body := apptest.Get(t, c, base+"/t/"+bo+"/cancel")
	if !strings.Contains(body, "You leave the waitlist") || strings.Contains(body, "seat") {
		t.Fatalf("waitlisted confirmation: %s", body)
	}
	if _, body = apptest.Get(t, c, base+"/t/"+bo); strings.Contains(body, "frees your seat") || strings.Contains(body, "seat goes") {
		t.Fatalf("waitlisted ticket page talks of a seat: %s", body)
	}
	// The same in Chinese, in the ticket's language, with no English.
	_, body = getIn(t, c, base+"/t/"+fang+"/cancel", "en-US")
	if !isChinese(body) || !strings.Contains(body, "你将退出候补名单") || strings.Contains(body, "座位") {
		t.Fatalf("zh waitlisted confirmation: %s", body)
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Fatalf("zh confirmation shows English: %q", leaks)
	}

	// Step two cancels and gives the seat to the first waiting.
	resp, _ = apptest.PostForm(t, c, base+"/t/"+ana+"/cancel", url.Values{"_csrf": {csrf}, "confirm": {"1"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/t/"+ana {
		t.Fatalf("confirmed cancel: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if ticketStatus(t, ta, ana) != tickets.StatusCancelled || ticketStatus(t, ta, bo) != tickets.StatusConfirmed {
		t.Fatalf("after cancel: ana %s, bo %s", ticketStatus(t, ta, ana), ticketStatus(t, ta, bo))
	}
	// Bo holds the seat now and Fang waits: Bo's seat would go on to her.
	if _, body = apptest.Get(t, c, base+"/t/"+bo+"/cancel"); !strings.Contains(body, "Your seat goes to the next person on the waitlist.") {
		t.Fatalf("bo's confirmation after promotion: %s", body)
	}
	// A cancelled ticket has nothing to confirm: back to its page.
	if r, err := c.Get(base + "/t/" + ana + "/cancel"); err != nil || r.StatusCode != 303 || r.Header.Get("Location") != "/t/"+ana {
		t.Fatalf("confirming a cancelled ticket: %v %v", r, err)
	}
}

// TestTicketCancelSeatFreed: with nobody waiting, a confirmed guest is told
// the seat is freed, not that it goes to a waitlist.
func TestTicketCancelSeatFreed(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":5`)
	tok := rsvpIn(t, ta, slug, "Ana", "ana@example.com", "en")
	base := ta.Listen()
	_, body := apptest.Get(t, apptest.Browser(t), base+"/t/"+tok+"/cancel")
	if !strings.Contains(body, "Your seat is freed") || strings.Contains(body, "waitlist") {
		t.Fatalf("confirmation with nobody waiting: %s", body)
	}
}

// TestCancelledTicketRSVPAgain: a cancelled ticket's page links back to the
// salon while it takes RSVPs, and not once the salon is cancelled.
func TestCancelledTicketRSVPAgain(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":5`)
	tok := rsvpIn(t, ta, slug, "Ana", "ana@example.com", "zh")
	base := ta.Listen()
	c := apptest.Browser(t)
	if s, _ := ta.JSON("POST", "/api/v1/tickets/"+tok+"/cancel", "", ""); s != 200 {
		t.Fatalf("api cancel: %d", s)
	}
	again := `<a href="/salons/` + slug + `" class="rsvp-again">`
	_, body := apptest.Get(t, c, base+"/t/"+tok)
	if !strings.Contains(body, again) || !strings.Contains(body, "重新报名") {
		t.Fatalf("cancelled ticket offers no new RSVP: %s", body)
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Fatalf("zh cancelled page shows English: %q", leaks)
	}
	// Following it works: the same email may RSVP again.
	if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Ana","email":"ana@example.com"}`); s != 201 {
		t.Fatalf("rsvp again: %d %v", s, out)
	}
	if s, _ := ta.JSON("POST", "/api/v1/salons/"+slug+"/cancel", ta.Token, ""); s != 200 {
		t.Fatalf("cancel salon: %d", s)
	}
	if _, body = apptest.Get(t, c, base+"/t/"+tok); strings.Contains(body, "rsvp-again") {
		t.Fatalf("a cancelled salon's ticket offers a new RSVP: %s", body)
	}
}

// TestTicketUpdatedNotice: a ticket whose salon moved after the RSVP says
// so, with when; a ticket made after the change, or after an edit that
// notifies nobody, does not.
func TestTicketUpdatedNotice(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":5`)
	before := rsvpIn(t, ta, slug, "Ana", "ana@example.com", "en")
	zh := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh")
	base := ta.Listen()
	c := apptest.Browser(t)

	if s, _ := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"description":"More words"}`); s != 200 {
		t.Fatalf("edit description: %d", s)
	}
	if _, body := apptest.Get(t, c, base+"/t/"+before); strings.Contains(body, `class="updated"`) {
		t.Fatalf("a description edit shows as a change: %s", body)
	}
	if s, _ := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"venue":"Another room"}`); s != 200 {
		t.Fatalf("move salon: %d", s)
	}
	after := rsvpIn(t, ta, slug, "Bo", "bo@example.com", "en")

	_, body := apptest.Get(t, c, base+"/t/"+before)
	if !strings.Contains(body, `class="updated"`) || !strings.Contains(body, "This salon was changed on ") || !strings.Contains(body, "Another room") {
		t.Fatalf("no change notice: %s", body)
	}
	_, body = getIn(t, c, base+"/t/"+zh, "en-US")
	if !strings.Contains(body, `class="updated"`) || !strings.Contains(body, "本场沙龙已于") {
		t.Fatalf("no zh change notice: %s", body)
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Fatalf("zh notice shows English: %q", leaks)
	}
	if _, body = apptest.Get(t, c, base+"/t/"+after); strings.Contains(body, `class="updated"`) {
		t.Fatalf("a ticket made after the change shows it: %s", body)
	}
}
