package site_test

import (
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/tickets"
)

// TestTicketEraseTwoSteps: the ticket page offers the export and the
// erasure; the erasure asks first, needs the form token, then erases and
// shows the erased ticket, in English and in Chinese.
func TestTicketEraseTwoSteps(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"title":"Law night","title_zh":"法律之夜","capacity":1`)
	ana := rsvpIn(t, ta, slug, "Ana Lima", "ana@example.com", "en")
	bo := rsvpIn(t, ta, slug, "Bo", "bo@example.com", "en")
	fang := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh")
	base := ta.Listen()
	c := apptest.Browser(t)

	_, page := apptest.Get(t, c, base+"/t/"+ana)
	if !strings.Contains(page, `href="/api/v1/tickets/`+ana+`/export"`) || !strings.Contains(page, `action="/t/`+ana+`/erase"`) {
		t.Fatalf("the ticket page offers no export or erasure: %s", page)
	}
	status, get := apptest.Get(t, c, base+"/t/"+ana+"/erase")
	if status != 200 || !strings.Contains(get, "Erase your personal data?") || !apptest.CSRFRE.MatchString(get) {
		t.Fatalf("erase confirmation: %d %s", status, get)
	}
	csrf := apptest.CSRFRE.FindStringSubmatch(get)[1]
	for _, v := range []url.Values{{"confirm": {"1"}}, {"confirm": {"1"}, "_csrf": {"forged"}}} {
		if resp, _ := apptest.PostForm(t, c, base+"/t/"+ana+"/erase", v); resp.StatusCode != 403 {
			t.Fatalf("erase with %v: %d", v, resp.StatusCode)
		}
	}
	if resp, _ := apptest.PostForm(t, c, base+"/t/"+ana+"/erase", url.Values{"_csrf": {csrf}}); resp.StatusCode != 200 {
		t.Fatalf("erase without confirm: %d", resp.StatusCode)
	}
	if ticketStatus(t, ta, ana) != tickets.StatusConfirmed {
		t.Fatal("a step before the confirmation erased")
	}
	resp, _ := apptest.PostForm(t, c, base+"/t/"+ana+"/erase", url.Values{"_csrf": {csrf}, "confirm": {"1"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/t/"+ana {
		t.Fatalf("confirmed erase: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if ticketStatus(t, ta, ana) != tickets.StatusCancelled || ticketStatus(t, ta, bo) != tickets.StatusConfirmed {
		t.Fatal("the erasure did not free the seat to the waitlist")
	}
	_, page = apptest.Get(t, c, base+"/t/"+ana)
	if !strings.Contains(page, "The personal data of this ticket was erased on") || strings.Contains(page, "Ana Lima") ||
		strings.Contains(page, `action="/t/`+ana+`/erase"`) {
		t.Fatalf("the erased ticket's page: %s", page)
	}
	if r, err := c.Get(base + "/t/" + ana + "/erase"); err != nil || r.StatusCode != 303 {
		t.Fatalf("confirming an erased ticket: %v %v", r, err)
	}

	_, body := getIn(t, c, base+"/t/"+fang+"/erase", "en-US")
	if !isChinese(body) || !strings.Contains(body, "确定删除你的个人信息？") {
		t.Fatalf("zh erase confirmation: %s", body)
	}
	for _, path := range []string{"/t/" + fang, "/t/" + fang + "/erase"} {
		_, body := getIn(t, c, base+path, "en-US")
		if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
			t.Fatalf("zh %s shows English: %q", path, leaks)
		}
	}
}
