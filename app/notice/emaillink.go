package notice

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/wneessen/go-mail"

	"salon/app/i18n"
	"salon/app/mailer"
	"salon/events"
	"salon/storage"
)

// renderEmailLink builds the mail of a link to every ticket of its
// address. The link lives only in the row's payload, which is blanked once
// the mail is sent, or the link replaced or erased: such a row can never be
// sent again, so it fails at once. It reuses the invitation's layout.
func (r *Renderer) renderEmailLink(m *storage.Message) (*mail.Msg, error) {
	raw, _ := json.Marshal(m.Payload)
	var p storage.EmailLinkPayload
	if err := json.Unmarshal(raw, &p); err != nil || p.URL == "" {
		return nil, mailer.Unbuildable("the link was replaced, or the address's data erased", errors.New("notice: email link without a link"))
	}
	tr := func(key string, args ...any) string { return i18n.T(m.Lang, key, args...) }
	// The expiry is written in the default salon zone, named, as the
	// reader most likely lives there; UTC would make them count hours.
	loc := events.ZoneOrDefault(events.DefaultTimezone)
	v := linkView{Lang: m.Lang, URL: p.URL,
		Subject: tr("mail.subject.email_link"), Lead: tr("mail.email_link", m.Recipient),
		Expires: tr("mail.email_link_expires", time.Unix(p.ExpiresAt, 0).In(loc).Format("2006-01-02 15:04")),
		Footer:  tr("mail.email_link_footer")}
	return r.linkMail(m, p.Name, v, "email link")
}
