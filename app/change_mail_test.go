package app_test

import (
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestMail_ChangeOldAndNew: the mail about a change says what changed, old
// -> new, in each attendee's language, in the salon's zone with 24-hour
// times, in both the text and the HTML part.
func TestMail_ChangeOldAndNew(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon(`"title":"Biotech evening","title_zh":"生物科技之夜","venue":"Room A","starts_at":"2027-12-04T19:00:00+08:00","ends_at":"2027-12-04T21:00:00+08:00"`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Ana","email":"ana@example.com","lang":"en"}`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"王芳","email":"fang@example.com","lang":"zh"}`)
	apptest.WaitMail(t, smtp, 2)
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token,
		`{"starts_at":"2027-12-04T13:00:00+01:00","ends_at":"2027-12-04T15:30:00+01:00","venue":"Columbia Circle","title":"Biotech night"}`); s != 200 {
		t.Fatalf("patch: %d %v", s, out)
	}
	msgs := apptest.WaitMail(t, smtp, 4)
	want := map[string][]string{
		"ana@example.com": {"What changed:", "Time: Sat 4 Dec, 19:00–21:00 (Asia/Shanghai) → Sat 4 Dec, 20:00–22:30 (Asia/Shanghai)",
			"Place: Room A → Columbia Circle", "Title: Biotech evening → Biotech night"},
		"fang@example.com": {"变更内容：", "时间：12月4日 周六 19:00–21:00（Asia/Shanghai） → 12月4日 周六 20:00–22:30（Asia/Shanghai）",
			"地点：Room A → Columbia Circle"},
	}
	seen := 0
	for _, m := range msgs[2:] {
		_, parts := apptest.ParseMail(t, m.Data)
		to := m.To[0]
		text, html := apptest.FindPart(parts, "text/plain"), apptest.FindPart(parts, "text/html")
		for _, w := range want[to] {
			if !strings.Contains(text.Body, w) {
				t.Errorf("%s text lacks %q:\n%s", to, w, text.Body)
			}
		}
		if !strings.Contains(html.Body, "<del>Room A</del> → <strong>Columbia Circle</strong>") {
			t.Errorf("%s html lacks the place change:\n%s", to, html.Body)
		}
		if to == "fang@example.com" && strings.Contains(text.Body, "Title:") {
			t.Errorf("the Chinese mail shows English: %s", text.Body)
		}
		if to == "fang@example.com" && strings.Contains(text.Body, "名称：") {
			t.Errorf("the Chinese title did not change, yet the mail says it did: %s", text.Body)
		}
		seen++
	}
	if seen != 2 {
		t.Fatalf("%d change mails", seen)
	}
}
