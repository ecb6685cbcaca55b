package notice

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/wneessen/go-mail"

	"salon/app/i18n"
	"salon/app/mailer"
	"salon/storage"
)

// messageHTML is the HTML part of an organizer's message. The organizer's
// words are data, never markup: html/template escapes every paragraph and
// line, and line breaks become <br> by the template alone.
var messageHTML = template.Must(template.New("message").Parse(`<!doctype html>
<html lang="{{if eq .Lang "zh"}}zh-Hans{{else}}en{{end}}">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1b1b1f; line-height: 1.5; max-width: 36rem;">
<p>{{.Hello}}</p>
<p><strong>{{.Lead}}</strong></p>
<div style="border-left: 3px solid #c9c9d1; padding-left: 1em;">
{{range .Paragraphs}}<p>{{range $i, $line := .}}{{if $i}}<br>{{end}}{{$line}}{{end}}</p>
{{end}}</div>
<p>{{.When}}{{if .Where}}<br>{{.Where}}{{end}}</p>
<p><a href="{{.SalonURL}}">{{.SalonLink}}</a> · <a href="{{.TicketURL}}">{{.TicketLink}}</a></p>
<p style="color: #4a4a55;">{{.Reply}}</p>
<hr><p style="color: #4a4a55; font-size: 0.85em;">{{.Footer}}</p>
</body>
</html>
`))

// messageMail is what the message template gets.
type messageMail struct {
	Lang, Subject, Hello, Lead, When, Where string
	Paragraphs                              [][]string
	SalonURL, SalonLink, TicketURL          string
	TicketLink, Reply, Footer               string
}

// renderMessage builds the mail of an organizer's message to one guest, in
// the guest's language, with the salon's page and the guest's ticket page.
func (r *Renderer) renderMessage(ctx context.Context, m *storage.Message) (*mail.Msg, error) {
	id, _ := m.Payload["message"].(float64)
	if id == 0 {
		return nil, mailer.Unbuildable("the message it carried is gone", fmt.Errorf("notice: message row %d names no message", m.ID))
	}
	sm, err := r.DB.FindSalonMessage(ctx, int64(id))
	if err != nil {
		return nil, gone(fmt.Errorf("notice: message of row %d: %w", m.ID, err))
	}
	s, err := r.DB.FindSalonByID(ctx, m.SalonID)
	if err != nil {
		return nil, gone(fmt.Errorf("notice: salon of message %d: %w", m.ID, err))
	}
	t, err := r.DB.FindTicketByID(ctx, m.SalonID, m.TicketID)
	if err != nil {
		return nil, gone(fmt.Errorf("notice: ticket of message %d: %w", m.ID, err))
	}
	lang := m.Lang
	tr := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	s = s.In(lang)
	v := messageMail{Lang: lang, Subject: tr("mail.subject.message", s.Title, sm.Subject), Hello: tr("mail.hello", t.Name),
		Lead: tr("mail.message_lead", s.Title), When: tr("mail.when", r.Format(lang, s)),
		SalonURL: r.BaseURL + "/salons/" + s.Slug, SalonLink: tr("mail.salon_link_html"),
		TicketURL: r.BaseURL + "/t/" + t.Token, TicketLink: tr("mail.ticket_link_html"),
		Reply: tr("mail.message_reply"), Footer: tr("mail.footer")}
	if s.Venue != "" || s.Address != "" {
		v.Where = tr("mail.where", strings.Trim(s.Venue+", "+s.Address, ", "))
	}
	for _, p := range strings.Split(sm.Body, "\n\n") {
		if p = strings.Trim(p, "\n"); p != "" {
			v.Paragraphs = append(v.Paragraphs, strings.Split(p, "\n"))
		}
	}
	msg, err := r.newMessage(ctx, t.Name, t.Email, v.Subject, s.OrganizerID)
	if err != nil {
		return nil, err
	}
	msg.SetBodyString(mail.TypeTextPlain, v.text(sm.Body, tr))
	var html bytes.Buffer
	if err := messageHTML.Execute(&html, v); err != nil {
		return nil, mailer.Unbuildable("its text could not be written", fmt.Errorf("notice: message html: %w", err))
	}
	msg.AddAlternativeString(mail.TypeTextHTML, html.String())
	return msg, nil
}

// text is the plain-text body: the organizer's words as they wrote them.
func (v *messageMail) text(body string, tr func(string, ...any) string) string {
	lines := []string{v.Hello, "", v.Lead, "", body, "", v.When}
	if v.Where != "" {
		lines = append(lines, v.Where)
	}
	lines = append(lines, "", tr("mail.salon_link", v.SalonURL), tr("mail.ticket_link", v.TicketURL), "", v.Reply,
		"", "-- ", v.Footer, "")
	return strings.Join(lines, "\n")
}
