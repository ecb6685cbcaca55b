package app_test

import (
	"context"
	"encoding/json"
	netmail "net/mail"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
)

// TestMail_NamesNeedingQuotes: every name the RSVP accepts reaches the To
// header so that a mail parser gives back exactly that name, including a
// lone quote (which once made the mail impossible to build) and a literal
// RFC 2047 word (which must stay text, not be decoded). The organizer's
// name in Reply-To gets the same care, and so does a salon title in the
// Subject.
func TestMail_NamesNeedingQuotes(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	host := &events.User{Email: "mei@example.com", Role: events.RoleOrganizer, Name: `Mei "the host", Shanghai`}
	if err := ta.DB.CreateUser(context.Background(), host); err != nil {
		t.Fatal(err)
	}
	tok, err := ta.DB.CreateAPIToken(context.Background(), host.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	ta.Token = tok
	const title = `=?utf-8?q?Free?= drinks`
	slug := ta.Salon(`"capacity":20,"title":"` + title + `"`)
	names := []string{
		`Li, "Bo`,
		`=?utf-8?q?Admin?=`,
		`Ana =?utf-8?b?QWRtaW4=?= Lima`,
		`李白 =?UTF-8?Q?=E6=9D=8E?=`,
		`Zoë "Z" (CTO) <boss@evil.example>`,
		`O'Neil\`,
		"李白",
	}
	byEmail := map[string]string{}
	for i, name := range names {
		email := string(rune('a'+i)) + "@example.com"
		body, _ := json.Marshal(map[string]string{"name": name, "email": email})
		if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", string(body)); s != 201 {
			t.Fatalf("RSVP as %q: %d %v", name, s, out)
		}
		byEmail[email] = name
	}
	for _, m := range apptest.WaitMail(t, smtp, len(names)) {
		h, _ := apptest.ParseMail(t, m.Data)
		want := byEmail[m.To[0]]
		to, err := netmail.ParseAddress(h.Get("To"))
		if err != nil || to.Name != want || to.Address != m.To[0] {
			t.Errorf("To %q parses as %+v (%v), want name %q", h.Get("To"), to, err, want)
		}
		if subj, err := h.Subject(); err != nil || !strings.Contains(subj, title) {
			t.Errorf("subject %q (raw %q, %v) does not show the title %q as written", subj, h.Get("Subject"), err, title)
		}
		rt, err := netmail.ParseAddress(h.Get("Reply-To"))
		if err != nil || rt.Name != host.Name || rt.Address != host.Email {
			t.Errorf("Reply-To %q parses as %+v (%v), want %q", h.Get("Reply-To"), rt, err, host.Name)
		}
	}
}
