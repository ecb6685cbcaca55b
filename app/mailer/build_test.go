package mailer

import (
	"bytes"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/wneessen/go-mail"

	"salon/tickets"
)

// writeAddressed writes a message to name <email> with subject as go-mail
// sends it, checks its envelope, and reads its headers back with net/mail.
func writeAddressed(t *testing.T, name, email, subject string) netmail.Header {
	t.Helper()
	msg := mail.NewMsg()
	if err := msg.From("Salon <no-reply@salon.example>"); err != nil {
		t.Fatal(err)
	}
	if err := To(msg, name, email); err != nil {
		t.Fatalf("To(%q, %q): %v", name, email, err)
	}
	if err := ReplyTo(msg, name, "reply@example.com"); err != nil {
		t.Fatal(err)
	}
	if rcpts, err := msg.GetRecipients(); err != nil || len(rcpts) != 1 || rcpts[0] != "<"+email+">" {
		t.Fatalf("envelope recipients %v (%v), want only %s", rcpts, err, email)
	}
	Subject(msg, subject)
	msg.SetBodyString(mail.TypeTextPlain, "Hello")
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatalf("name %q: the message could not be written: %v", name, err)
	}
	m, err := netmail.ReadMessage(&buf)
	if err != nil {
		t.Fatalf("name %q: not a message: %v\n%s", name, err, buf.String())
	}
	if len(m.Header["To"]) != 1 || len(m.Header["Bcc"]) != 0 {
		t.Fatalf("name %q: To %q, Bcc %q; want one To and no Bcc", name, m.Header["To"], m.Header["Bcc"])
	}
	return m.Header
}

// checkAddressed checks that h's To and Reply-To read back as name.
func checkAddressed(t *testing.T, h netmail.Header, name, email string) {
	t.Helper()
	to, err := netmail.ParseAddress(h.Get("To"))
	if err != nil || to.Name != name || to.Address != email {
		t.Errorf("To %q parses as %+v (%v), want %q", h.Get("To"), to, err, name)
	}
	rt, err := netmail.ParseAddress(h.Get("Reply-To"))
	if err != nil || rt.Name != name || rt.Address != "reply@example.com" {
		t.Errorf("Reply-To %q parses as %+v (%v), want %q", h.Get("Reply-To"), rt, err, name)
	}
	// A literal encoded word must itself be encoded: between quotes, lenient
	// readers would still decode it.
	if strings.Contains(name, "=?") && !strings.HasPrefix(h.Get("To"), "=?utf-8?b?") {
		t.Errorf("To %q does not encode the name %q", h.Get("To"), name)
	}
}

func TestAddress(t *testing.T) {
	long := strings.Repeat("Ana Lima ", 20) + "=?utf-8?q?x?="
	for _, name := range []string{"Ana Lima", "李白", "Zoë", "O'Neil", `Li, "Bo`, `back\slash`, "=?utf-8?q?Admin?=",
		"Ana =?UTF-8?B?QWRtaW4=?= Lima", "李 =?utf-8?q?=E6=9D=8E?=", `\ש`, `李\白`, "Ana\r\nBcc: x@evil.example",
		long, strings.Repeat("李白", 100), ""} {
		h := writeAddressed(t, name, "ana@example.com", name)
		checkAddressed(t, h, name, "ana@example.com")
		if subj, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || subj != name {
			t.Errorf("Subject %q reads %q (%v), want %q", h.Get("Subject"), subj, err, name)
		}
	}
	for _, bad := range []string{"", "ana", "Ana <ana@example.com>", `"Li, "Bo <bo@example.com>`, "a@b@example.com"} {
		if err := To(mail.NewMsg(), "Ana", bad); err == nil {
			t.Errorf("To(%q) accepted", bad)
		}
	}
}

// FuzzAddress: any name the RSVP accepts gives To and Reply-To headers that
// parse back to exactly that name and address, and a Subject that reads
// back as it.
func FuzzAddress(f *testing.F) {
	for _, s := range []string{"Ana Lima", "李白", `Li, "Bo`, "=?utf-8?q?Admin?=", "Zoë (CTO) <x@evil.example>", "O'Neil\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		in := tickets.RSVPInput{Name: name, Email: "ana@example.com"}
		in.Normalize()
		if in.Validate() != nil {
			return
		}
		h := writeAddressed(t, in.Name, in.Email, in.Name)
		checkAddressed(t, h, in.Name, in.Email)
		if subj, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || subj != in.Name {
			t.Fatalf("Subject %q reads %q (%v), want %q", h.Get("Subject"), subj, err, in.Name)
		}
	})
}
