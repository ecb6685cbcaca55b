package console

import (
	"strings"
	"testing"
)

func TestMailError(t *testing.T) {
	p := consolePage{}
	p.Lang = "en"
	for give, want := range map[string]string{
		"": "",
		"not sent: the recipient's personal data was erased":                                             "Not sent: the guest's personal data was erased.",
		"the message could not be built: the recipient address is not valid":                             "The guest's address cannot receive mail.",
		"the message could not be built: its salon or ticket no longer exists":                           "Not sent: the salon, the ticket or the message no longer exists.",
		"the message could not be built: the QR code could not be drawn":                                 "The mail could not be put together; the server log has the details.",
		"mailer: unable to connect to 127.0.0.1:1: dial tcp 127.0.0.1:1: connect: connection refused":    "The mail server could not be reached.",
		"mailer: unable to connect to mx:25: tls: failed to verify certificate: x509: unknown authority": "A secure connection to the mail server failed.",
		"mailer: unable to send message: failed to send mail: 550 5.1.1 no such user":                    "The receiving mail server refused it (code 550).",
		"mailer: unable to send message: 451 4.7.1 greylisted":                                           "The mail server asked us to try later (code 451).",
		"mailer: unable to connect to mx:25: 535 5.7.8 bad credentials":                                  "The mail server refused our sign-in; check the --smtp setting.",
		"gave up after 9 attempts: mailer: unable to connect to mx:25: i/o timeout":                      "Given up after 9 attempts. The mail server could not be reached.",
		"550 <script>alert(1)</script>":                                                                  "The receiving mail server refused it (code 550).",
		"something odd at 127.0.0.1:4500":                                                                "Sending failed; the server log has the details.",
	} {
		if got := p.MailError(give); got != want {
			t.Errorf("MailError(%q) = %q, want %q", give, got, want)
		}
	}
}

// FuzzMailError: whatever text the outbox holds, the console shows only
// catalogue words and a reply code, never the text itself.
func FuzzMailError(f *testing.F) {
	for _, s := range []string{"550 x", "gave up after 3 attempts: 421 busy", "the message could not be built: zzz", "tls: handshake"} {
		f.Add(s)
	}
	p := consolePage{}
	p.Lang = "zh"
	f.Fuzz(func(t *testing.T, text string) {
		got := p.MailError(text)
		if text == "" {
			return
		}
		if len(text) > 6 && strings.Contains(got, text) {
			t.Fatalf("MailError(%q) shows the raw text: %q", text, got)
		}
		if !strings.ContainsRune(got, '。') {
			t.Fatalf("MailError(%q) = %q is no Chinese sentence", text, got)
		}
	})
}

func TestAuditDetail(t *testing.T) {
	en, zh := consolePage{}, consolePage{}
	en.Lang, zh.Lang = "en", "zh"
	for _, c := range []struct {
		p              consolePage
		action, detail string
		want           string
	}{
		{en, "salon.update", "venue: Hall A → Hall B; capacity: 40 → 60 api", "Venue: Hall A → Hall B; Seats: 40 → 60 api"},
		{zh, "salon.update", "venue: Hall A → Hall B; description: changed", "场地: Hall A → Hall B; 介绍: 已修改"},
		{en, "salon.update", `title: "a; capacity: 1" → B`, `Title: "a; capacity: 1" → B`},
		{en, "salon.publish", "status: draft → published", "Status: draft → published"},
		{en, "salon.message", "to all, 3 guests: venue: x", "to all, 3 guests: venue: x"},
		{en, "ticket.cancel", "12 ana@example.com", "12 ana@example.com"},
		{en, "salon.update", "", ""},
	} {
		if got := c.p.AuditDetail(c.action, c.detail); got != c.want {
			t.Errorf("AuditDetail(%s, %q) in %s = %q, want %q", c.action, c.detail, c.p.Lang, got, c.want)
		}
	}
}
