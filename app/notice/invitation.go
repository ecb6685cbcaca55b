package notice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"salon/app/i18n"
	"salon/app/mailer"
	"salon/storage"
)

var invitationHTML = template.Must(template.New("invitation").Parse(`<!doctype html>
<html lang="{{if eq .Lang "zh"}}zh-Hans{{else}}en{{end}}">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1b1b1f; line-height: 1.5; max-width: 36rem;">
<p>{{.Lead}}</p>
<p><a href="{{.URL}}">{{.URL}}</a></p>
<p>{{.Expires}}</p>
<hr><p style="color: #4a4a55; font-size: 0.85em;">{{.Footer}}</p>
</body>
</html>
`))

// renderInvitation builds the mail of a one-time password link. The link
// lives only in the row's payload, which is blanked once the link is used
// or replaced: such a row can never be sent, so it fails at once.
func (r *Renderer) renderInvitation(m *storage.Message) (*mail.Msg, error) {
	raw, _ := json.Marshal(m.Payload)
	var p storage.InvitationPayload
	if err := json.Unmarshal(raw, &p); err != nil || p.URL == "" {
		return nil, mailer.Unbuildable("the link was used or replaced, or its account disabled", errors.New("notice: invitation without a link"))
	}
	tr := func(key string, args ...any) string { return i18n.T(m.Lang, key, args...) }
	v := linkView{Lang: m.Lang, URL: p.URL,
		Subject: tr("mail.subject.invitation"), Lead: tr("mail.invitation", m.Recipient),
		Expires: tr("mail.invitation_expires", time.Unix(p.ExpiresAt, 0).UTC().Format("2006-01-02 15:04")),
		Footer:  tr("mail.invitation_footer")}
	if p.Purpose == storage.LinkReset {
		v.Subject, v.Lead = tr("mail.subject.reset"), tr("mail.reset", m.Recipient)
	}
	return r.linkMail(m, p.Name, v, "invitation")
}

// linkView is what a mail carrying a one-time link shows, in the
// invitation's layout.
type linkView struct{ Lang, Subject, Lead, URL, Expires, Footer string }

// linkMail builds a mail carrying a one-time link (an invitation, a reset,
// an email link) to name <m.Recipient>; what names the mail in an error.
func (r *Renderer) linkMail(m *storage.Message, name string, v linkView, what string) (*mail.Msg, error) {
	msg, err := r.newMessage(context.Background(), name, m.Recipient, v.Subject, 0)
	if err != nil {
		return nil, err
	}
	msg.SetBodyString(mail.TypeTextPlain, strings.Join([]string{v.Lead, v.URL, "", v.Expires, "", "-- ", v.Footer, ""}, "\n"))
	var html bytes.Buffer
	if err := invitationHTML.Execute(&html, v); err != nil {
		return nil, mailer.Unbuildable("its text could not be written", fmt.Errorf("notice: %s html: %w", what, err))
	}
	msg.AddAlternativeString(mail.TypeTextHTML, html.String())
	return msg, nil
}
