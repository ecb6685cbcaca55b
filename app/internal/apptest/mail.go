package apptest

import (
	"bytes"
	"context"
	"io"
	"mime"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	gomessage "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"

	"salon/app"
	"salon/app/mailer/smtptest"
)

// Part is one leaf of a parsed MIME message.
type Part struct {
	ContentType string
	Params      map[string]string
	ContentID   string
	Disposition string
	Filename    string
	Body        string
}

// ParseMail reads a raw message with a real MIME parser and flattens it.
func ParseMail(t *testing.T, raw []byte) (*mail.Header, []Part) {
	t.Helper()
	e, err := gomessage.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a MIME message: %v", err)
	}
	h := mail.Header{Header: e.Header}
	var parts []Part
	var walk func(e *gomessage.Entity)
	walk = func(e *gomessage.Entity) {
		if mr := e.MultipartReader(); mr != nil {
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					return
				} else if err != nil {
					t.Fatal(err)
				}
				walk(p)
			}
		}
		ct, params, _ := e.Header.ContentType()
		disp, dparams, _ := mime.ParseMediaType(e.Header.Get("Content-Disposition"))
		body, _ := io.ReadAll(e.Body)
		parts = append(parts, Part{ContentType: ct, Params: params, ContentID: e.Header.Get("Content-Id"),
			Disposition: disp, Filename: dparams["filename"], Body: string(body)})
	}
	walk(e)
	return &h, parts
}

// FindPart is the first part of content type ct, or nil.
func FindPart(parts []Part, ct string) *Part {
	for i := range parts {
		if parts[i].ContentType == ct {
			return &parts[i]
		}
	}
	return nil
}

// MailApp is a test app whose workers send to a real in-process SMTP
// server; mod may change the configuration further.
func MailApp(t *testing.T, mod ...func(*app.Config)) (*App, *smtptest.Server) {
	smtp := smtptest.Start(t)
	ta := New(t, append([]func(*app.Config){func(c *app.Config) { c.SMTP = smtp.URL(); c.MailFrom = "Salon 沙龙 <no-reply@salon.example>" }}, mod...)...)
	ctx, cancel := context.WithCancel(context.Background())
	if err := ta.Srv.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); ta.Srv.Wait() })
	return ta, smtp
}

// WaitMail waits up to 10 s for n mails and returns them all.
func WaitMail(t *testing.T, smtp *smtptest.Server, n int) []smtptest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := smtp.Wait(ctx, n); err != nil {
		t.Fatalf("waiting for %d mails, have %d: %v", n, len(smtp.Messages()), err)
	}
	return smtp.Messages()
}
