package app_test

import (
	"context"
	"net"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/events"
)

// TestChineseTypography renders every Chinese page and mail of a salon's
// life, with Chinese and Latin names side by side, and checks the rules of
// Chinese text on what readers see: full-width punctuation, a space
// between Chinese and Latin or digits and none between Chinese characters
// ("王芳的门票", never "王芳 的门票"), and 24-hour times.
func TestChineseTypography(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ta, smtp := apptest.MailApp(t, func(c *app.Config) { c.BaseURL = base })
	go ta.Srv.Listener(ln)
	t.Cleanup(func() { ta.Srv.Shutdown(5 * time.Second) })

	org := ta.Account("wang@example.com", events.RoleOrganizer)
	ta.Account("boss@example.com", events.RoleAdmin)
	sa := apptest.OwnedSalon(t, ta, org, "fintech-zh", func(s *events.Salon) {
		s.Title, s.TitleZh = "Fintech night", "金融科技之夜"
		s.DescriptionZh = "支付与风控。"
		s.Venue, s.Address = "WeWork 威海路", "上海市静安区威海路 696 号"
		s.Capacity, s.Industry = 1, "fintech"
		s.RSVPDeadline = s.StartsAt.Add(-time.Hour)
	})
	ta.Salon(`"slug":"law-zh","title":"Law","title_zh":"法律之夜","industry":"law"`)
	apptest.OwnedSalon(t, ta, org, "old-zh", func(s *events.Salon) {
		s.TitleZh = "往期沙龙"
		s.StartsAt = time.Now().Add(-72 * time.Hour).Truncate(time.Hour)
		s.EndsAt, s.RSVPDeadline = s.StartsAt.Add(time.Hour), s.StartsAt
	})
	rsvp := func(body string) string {
		s, out := ta.JSON("POST", "/api/v1/salons/"+sa.Slug+"/rsvps", "", body)
		if s != 201 {
			t.Fatalf("rsvp: %d %v", s, out)
		}
		return strings.TrimPrefix(out["ticket"].(map[string]any)["manage_url"].(string), base)
	}
	fang := rsvp(`{"name":"王芳","email":"fang@example.com","company":"蚂蚁集团","lang":"zh"}`)
	ana := rsvp(`{"name":"Ana Lima","email":"ana@example.com","company":"Acme","lang":"zh"}`)
	leo := rsvp(`{"name":"Leo 李","email":"leo@example.com","lang":"zh"}`)

	check := func(what, text string) {
		t.Helper()
		for _, p := range apptest.ChineseTypography(text) {
			t.Errorf("%s: %s", what, p)
		}
	}
	reader := apptest.Browser(t)
	if r, err := reader.Get(base + "/lang/zh?next=/"); err != nil || r.StatusCode != 303 {
		t.Fatalf("switch: %v %v", r, err)
	}
	pages := []string{"/", "/?q=金融", "/?industry=fintech", "/past", "/salons/" + sa.Slug, "/salons/law-zh", "/salons/old-zh",
		fang, ana, leo, fang + "/cancel", fang + "/erase", "/door/" + sa.Slug, "/no-such-page", "/salons/nope", "/login"}
	for _, p := range pages {
		status, body := apptest.Get(t, reader, base+p)
		if status != 200 && status != 404 {
			t.Errorf("%s: %d", p, status)
		}
		if !strings.Contains(body, `lang="zh-Hans"`) {
			t.Errorf("%s is not Chinese", p)
		}
		check(p, apptest.VisibleText(body)+"\n"+doorTexts(body))
	}
	// A refused RSVP form comes back with its messages.
	_, body := apptest.Get(t, reader, base+"/salons/law-zh")
	csrf := apptest.CSRFRE.FindStringSubmatch(body)[1]
	apptest.PostForm(t, reader, base+"/salons/law-zh/rsvp", url.Values{"_csrf": {csrf}, "name": {""}, "email": {"nope"}})
	_, body = apptest.Get(t, reader, base+"/salons/law-zh")
	if !strings.Contains(body, "邮箱地址无效") {
		t.Error("the refused form did not come back")
	}
	check("refused form", apptest.VisibleText(body))

	for _, who := range []string{"wang@example.com", "boss@example.com"} {
		c := apptest.Browser(t)
		c.Get(base + "/lang/zh?next=/login")
		if resp, _ := apptest.Login(t, c, base, who, apptest.TestPassword); resp.StatusCode != 303 {
			t.Fatalf("login %s: %d", who, resp.StatusCode)
		}
		adm := "/admin/salons/" + sa.Slug
		for _, p := range []string{"/admin", "/admin/salons/new", adm, adm + "/edit", adm + "/attendees", adm + "/cancel",
			"/admin/outbox", "/admin/audit", "/admin/tokens", "/admin/webhooks", "/admin/account", "/admin/industries", "/admin/users"} {
			status, body := apptest.Get(t, c, base+p)
			if status == 403 && p == "/admin/users" {
				continue
			}
			if status != 200 {
				t.Errorf("%s %s: %d", who, p, status)
			}
			check(who+" "+p, apptest.VisibleText(body))
		}
	}

	// Every kind of mail: confirmed, waitlisted, ticket cancelled,
	// promoted, salon changed, salon cancelled.
	if s, out := ta.JSON("POST", "/api/v1/tickets/"+strings.TrimPrefix(fang, "/t/")+"/cancel", "", ""); s != 200 {
		t.Fatalf("cancel: %d %v", s, out)
	}
	later := sa.StartsAt.Add(24 * time.Hour)
	orgTok, err := ta.DB.CreateAPIToken(context.Background(), org.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+sa.Slug, orgTok, `{"starts_at":"`+later.Format(time.RFC3339)+
		`","ends_at":"`+later.Add(2*time.Hour).Format(time.RFC3339)+`","rsvp_deadline":"`+later.Format(time.RFC3339)+`"}`); s != 200 {
		t.Fatalf("move: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", "/api/v1/salons/"+sa.Slug+"/cancel", orgTok, ""); s != 200 {
		t.Fatalf("cancel salon: %d %v", s, out)
	}
	msgs := apptest.WaitMail(t, smtp, 9)
	kinds := map[string]bool{}
	for _, m := range msgs {
		h, parts := apptest.ParseMail(t, m.Data)
		subj, _ := h.Subject()
		kinds[subj[:min(len(subj), 12)]] = true
		for _, ct := range []string{"text/plain", "text/html"} {
			p := apptest.FindPart(parts, ct)
			if p == nil {
				t.Errorf("%s: no %s", subj, ct)
				continue
			}
			text := p.Body
			if ct == "text/html" {
				text = apptest.VisibleText(text)
			}
			check(subj+" "+ct, subj+"\n"+text)
		}
	}
	if len(kinds) < 5 {
		t.Errorf("only %d kinds of mail checked: %v", len(kinds), kinds)
	}
}

var doorTextsRE = regexp.MustCompile(`(?s)<script type="application/json" id="door-i18n">(.*?)</script>`)

// doorTexts are the door page's script texts, which its modules show.
func doorTexts(body string) string {
	if m := doorTextsRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}
