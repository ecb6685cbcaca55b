package app_test

import (
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestMail_Approval: a pending request is told it will hear back (no QR,
// no invitation), an approved one gets the usual confirmation with its
// QR code and invitation, a declined one a polite no; in English and in
// Chinese, with no English left in the Chinese mail.
func TestMail_Approval(t *testing.T) {
	for _, tc := range []struct {
		lang, name                          string
		pendingSubj, approvedSubj, declSubj string
		pendingText, party, declText        string
		english                             []string
	}{
		{"en", "Ana Lima", "Request received: Curated dinner", "Your seat at Curated dinner", "About your request for Curated dinner",
			"you will hear back by mail", "you and 2 more, 3 seats", "could not offer you a place", nil},
		{"zh", "王芳", "已收到你的报名申请：Curated dinner", "你在「Curated dinner」的座位", "关于你报名「Curated dinner」的申请",
			"我们都会发邮件告诉你", "你和另外 2 位，共 3 个座位", "未能为你安排名额",
			[]string{"Hello", "hear back", "Your request", "seats", "sorry", "When:"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			ta, smtp := apptest.MailApp(t)
			slug := ta.Salon(`"title":"Curated dinner","capacity":5,"approval":true,"max_guests":2`)
			id, _ := rsvpID(t, ta, slug, `{"name":"`+tc.name+`","email":"a@example.com","guests":2,"lang":"`+tc.lang+`"}`)
			other, _ := rsvpID(t, ta, slug, `{"name":"`+tc.name+`","email":"b@example.com","lang":"`+tc.lang+`"}`)
			msgs := apptest.WaitMail(t, smtp, 2)
			h, parts := apptest.ParseMail(t, msgs[0].Data)
			if subj, _ := h.Subject(); subj != tc.pendingSubj {
				t.Fatalf("pending subject %q", subj)
			}
			text := apptest.FindPart(parts, "text/plain").Body
			if !strings.Contains(text, tc.pendingText) || !strings.Contains(text, tc.party) {
				t.Fatalf("pending text: %s", text)
			}
			if apptest.FindPart(parts, "image/png") != nil || apptest.FindPart(parts, "text/calendar") != nil {
				t.Fatal("a pending request is mailed a QR code or an invitation")
			}
			checkNoEnglish(t, parts, tc.english)

			if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/attendees/"+id+"/approve", ta.Token, ""); s != 200 {
				t.Fatalf("approve: %d %v", s, out)
			}
			if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/attendees/"+other+"/decline", ta.Token, ""); s != 200 {
				t.Fatalf("decline: %d %v", s, out)
			}
			msgs = apptest.WaitMail(t, smtp, 4)
			bySubject := map[string][]apptest.Part{}
			for _, m := range msgs[2:] {
				h, parts := apptest.ParseMail(t, m.Data)
				subj, _ := h.Subject()
				bySubject[subj] = parts
			}
			approved, ok := bySubject[tc.approvedSubj]
			if !ok {
				t.Fatalf("no approval mail among %v", bySubject)
			}
			if apptest.FindPart(approved, "image/png") == nil || apptest.FindPart(approved, "text/calendar") == nil {
				t.Fatal("the approval mail lacks the QR code or the invitation")
			}
			if !strings.Contains(apptest.FindPart(approved, "text/plain").Body, tc.party) {
				t.Fatal("the approval mail does not say the party's seats")
			}
			declined, ok := bySubject[tc.declSubj]
			if !ok {
				t.Fatalf("no decline mail among %v", bySubject)
			}
			if body := apptest.FindPart(declined, "text/plain").Body; !strings.Contains(body, tc.declText) {
				t.Fatalf("decline text: %s", body)
			}
			if apptest.FindPart(declined, "image/png") != nil || apptest.FindPart(declined, "text/calendar") != nil {
				t.Fatal("a declined guest is mailed a QR code or an invitation")
			}
			checkNoEnglish(t, declined, tc.english)
		})
	}
}

func checkNoEnglish(t *testing.T, parts []apptest.Part, english []string) {
	t.Helper()
	for _, ct := range []string{"text/plain", "text/html"} {
		p := apptest.FindPart(parts, ct)
		for _, en := range english {
			if strings.Contains(p.Body, en) {
				t.Errorf("%s shows English %q: %s", ct, en, p.Body)
			}
		}
	}
}

// rsvpID RSVPs through the API and returns the ticket's id and status.
func rsvpID(t *testing.T, ta *apptest.App, slug, body string) (string, string) {
	t.Helper()
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", body)
	if s != 201 {
		t.Fatalf("rsvp %s: %d %v", body, s, out)
	}
	tk := out["ticket"].(map[string]any)
	return tk["id"].(string), tk["status"].(string)
}
