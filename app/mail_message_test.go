package app_test

import (
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestMail_MessageBothLanguages: an organizer's message reaches each guest
// once, in the guest's language, with the salon's and their ticket's links;
// the organizer's text is plain in the text part and escaped in the HTML.
func TestMail_MessageBothLanguages(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	slug := ta.Salon(`"slug":"law-night","title":"Law night","title_zh":"法律之夜","venue":"Hall A"`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Ana","email":"ana@example.com","lang":"en"}`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"李娜","email":"lina@example.com","lang":"zh"}`)
	apptest.WaitMail(t, smtp, 2)
	body := "We moved to <b>room 4</b> & kept the snacks.\n\nBring your <script>alert(1)</script> card.\nSee you!"
	status, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/messages", ta.Token,
		`{"subject":"Room <change>","body":"We moved to <b>room 4</b> & kept the snacks.\n\nBring your <script>alert(1)</script> card.\nSee you!","to":"all"}`)
	if status != 202 || out["queued"].(float64) != 2 {
		t.Fatalf("message: %d %v", status, out)
	}
	msgs := apptest.WaitMail(t, smtp, 4)
	want := map[string]struct{ subject, lead, salonLink, ticketLink string }{
		"ana@example.com":  {"Law night: Room <change>", "A message from the organizers of Law night:", "The salon's page: https://salon.example/salons/law-night", "Your ticket (QR code, calendar, cancel): https://salon.example/t/"},
		"lina@example.com": {"法律之夜：Room <change>", "「法律之夜」组织者给你的消息：", "沙龙页面：https://salon.example/salons/law-night", "你的门票（二维码、日历、取消）：https://salon.example/t/"},
	}
	seen := map[string]int{}
	for _, m := range msgs[2:] {
		h, parts := apptest.ParseMail(t, m.Data)
		w, ok := want[m.To[0]]
		if !ok {
			t.Fatalf("message to %v", m.To)
		}
		seen[m.To[0]]++
		if subj, _ := h.Subject(); subj != w.subject {
			t.Errorf("%s: subject %q, want %q", m.To[0], subj, w.subject)
		}
		if rt, _ := h.AddressList("Reply-To"); len(rt) != 1 || rt[0].Address != "org@example.com" {
			t.Errorf("%s: Reply-To %v", m.To[0], rt)
		}
		text := apptest.FindPart(parts, "text/plain")
		if text == nil {
			t.Fatalf("%s: no text part", m.To[0])
		}
		plain := strings.ReplaceAll(text.Body, "\r\n", "\n")
		for _, s := range []string{w.lead, body, w.salonLink, w.ticketLink} {
			if !strings.Contains(plain, s) {
				t.Errorf("%s: text part lacks %q:\n%s", m.To[0], s, text.Body)
			}
		}
		html := apptest.FindPart(parts, "text/html")
		if html == nil {
			t.Fatalf("%s: no HTML part", m.To[0])
		}
		for _, s := range []string{"&lt;b&gt;room 4&lt;/b&gt; &amp; kept", "&lt;script&gt;alert(1)&lt;/script&gt; card.<br>See you!",
			`href="https://salon.example/salons/law-night"`, `href="https://salon.example/t/`} {
			if !strings.Contains(html.Body, s) {
				t.Errorf("%s: HTML lacks %q:\n%s", m.To[0], s, html.Body)
			}
		}
		if strings.Contains(html.Body, "<script>") || strings.Contains(html.Body, "<b>room") {
			t.Errorf("%s: the organizer's markup reached the HTML", m.To[0])
		}
		if m.To[0] == "lina@example.com" && strings.Contains(text.Body, "A message from") {
			t.Errorf("the Chinese mail has English text")
		}
	}
	if seen["ana@example.com"] != 1 || seen["lina@example.com"] != 1 {
		t.Fatalf("deliveries %v", seen)
	}
}
