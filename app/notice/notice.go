// Package notice renders the mail that attendees receive, one per outbox
// row: plain text and HTML in the attendee's language, with the QR code
// inline and the calendar invitation attached where the notice needs them.
package notice

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/wneessen/go-mail"

	"salon/app/i18n"
	"salon/app/mailer"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

//go:embed mail.html
var templateFS embed.FS

var htmlTemplate = template.Must(template.ParseFS(templateFS, "mail.html"))

// Renderer turns outbox rows into mail.
type Renderer struct {
	DB      storage.Store
	BaseURL string
	// From is the --mail-from address.
	From string
	// Calendar builds the attached invitations: the server's options, so
	// that mail and the calendar files name the same organizer.
	Calendar events.CalendarOptions
	// QR returns the PNG of a confirmed ticket's code (the server's cache).
	QR func(*tickets.Ticket) ([]byte, error)
	// Format writes a salon's time range in a language.
	Format func(lang string, s *events.Salon) string
	// Wallet says the server serves Apple Wallet passes, so mail that
	// carries the QR code links to the pass as well.
	Wallet bool
}

// qrContentID names the inline QR image; the HTML refers to it as cid:.
const qrContentID = "ticket-qr@salon"

// Render implements mailer.Renderer.
func (r *Renderer) Render(ctx context.Context, m *storage.Message) (*mail.Msg, error) {
	if m.Kind == tickets.NoticeInvitation {
		return r.renderInvitation(m)
	}
	if m.Kind == tickets.NoticeMessage {
		return r.renderMessage(ctx, m)
	}
	if m.Kind == tickets.NoticeEmailLink {
		return r.renderEmailLink(m)
	}
	s, err := r.DB.FindSalonByID(ctx, m.SalonID)
	if err != nil {
		return nil, gone(fmt.Errorf("notice: salon of message %d: %w", m.ID, err))
	}
	t, err := r.DB.FindTicketByID(ctx, m.SalonID, m.TicketID)
	if err != nil {
		return nil, gone(fmt.Errorf("notice: ticket of message %d: %w", m.ID, err))
	}
	feed, err := r.DB.FeedToken(ctx, t.Email)
	if err != nil {
		return nil, err
	}
	// The salon's title and description in the attendee's language, with
	// the other as fallback, for the subject, the body and the invitation.
	s = s.In(m.Lang)
	n := r.build(m, s, t, feed)
	msg, err := r.newMessage(ctx, t.Name, t.Email, n.Subject, s.OrganizerID)
	if err != nil {
		return nil, err
	}
	msg.SetBodyString(mail.TypeTextPlain, n.Text())
	var html bytes.Buffer
	if err := htmlTemplate.Execute(&html, n); err != nil {
		return nil, mailer.Unbuildable("its text could not be written", fmt.Errorf("notice: html: %w", err))
	}
	msg.AddAlternativeString(mail.TypeTextHTML, html.String())
	if n.Method != "" {
		ics := events.InviteCalendar(s, events.Attendee{Name: t.Name, Email: t.Email,
			Waitlisted: t.Status == tickets.StatusWaitlisted, Cancelled: n.Method == events.MethodCancel},
			n.Method, r.Calendar)
		// The MIME method= always equals the file's METHOD, or clients
		// ignore or misread the invitation.
		msg.AddAlternativeString(mail.ContentType("text/calendar; method="+n.Method), string(ics))
		if err := msg.AttachReader("invite.ics", bytes.NewReader(ics),
			mail.WithFileContentType(mail.ContentType("application/ics"))); err != nil {
			return nil, mailer.Unbuildable("the invitation could not be attached", fmt.Errorf("notice: attach invitation: %w", err))
		}
	}
	if n.QR {
		png, err := r.QR(t)
		if err != nil {
			return nil, mailer.Unbuildable("the QR code could not be drawn", fmt.Errorf("notice: qr: %w", err))
		}
		if err := msg.EmbedReader("ticket-qr.png", bytes.NewReader(png), mail.WithFileContentID("<"+qrContentID+">"),
			mail.WithFileContentType(mail.ContentType("image/png"))); err != nil {
			return nil, mailer.Unbuildable("the QR code could not be added", fmt.Errorf("notice: embed qr: %w", err))
		}
	}
	return msg, nil
}

// gone marks a failure to find the row's salon or ticket as final: one that
// is not there now will not appear later, so retrying for a day cannot help.
// Any other error (a busy or closed database) is left to retry.
func gone(err error) error {
	if events.ErrorCode(err) == events.ENOTFOUND {
		return mailer.Unbuildable("its salon or ticket no longer exists", err)
	}
	return err
}

// notice is what the templates get.
type notice struct {
	Lang       string
	Kind       string
	Subject    string
	Hello      string
	Lead       string
	Extra      string
	When       string
	Where      string
	TicketURL  string
	FeedURL    string
	QR         bool
	QRSrc      template.URL
	PassURL    string
	Method     string
	CancelHint bool
	// Party says how many seats a ticket with guests takes.
	Party string
	// LinkKey names the ticket link's text: a pending or declined
	// ticket's page is a request, not a ticket to show at the door.
	LinkKey string
	// Changes are what a salon_changed notice's change altered, old -> new.
	Changes []ChangeLine
	t       func(key string, args ...any) string
}

// T translates into the notice's language.
func (n *notice) T(key string, args ...any) string { return n.t(key, args...) }

func (r *Renderer) build(m *storage.Message, s *events.Salon, t *tickets.Ticket, feed string) *notice {
	lang := m.Lang
	tr := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	n := &notice{Lang: lang, Kind: m.Kind, t: tr, Hello: tr("mail.hello", t.Name),
		When: r.Format(lang, s), TicketURL: r.BaseURL + "/t/" + t.Token, QRSrc: template.URL("cid:" + qrContentID)}
	// Venue and address, joined as the language joins them ("，" in Chinese).
	switch {
	case s.Venue != "" && s.Address != "":
		n.Where = s.Venue + tr("list.comma") + s.Address
	default:
		n.Where = s.Venue + s.Address
	}
	if feed != "" {
		n.FeedURL = r.BaseURL + "/feeds/" + feed + ".ics"
	}
	confirmed := t.Status == tickets.StatusConfirmed
	// Only a seat or a waitlist place gets an invitation: a pending or
	// declined ticket has neither.
	holds := t.Status == tickets.StatusConfirmed || t.Status == tickets.StatusWaitlisted
	active := holds && s.Status != events.StatusCancelled
	n.LinkKey = "mail.ticket_link"
	if !holds && t.Status != tickets.StatusCancelled {
		n.LinkKey = "mail.request_link"
	}
	if t.Guests > 0 && t.Status != tickets.StatusCancelled {
		n.Party = tr("mail.party", t.Guests, t.Seats())
	}
	subject := func(key string) { n.Subject = tr(key, s.Title) }
	switch m.Kind {
	case tickets.NoticeConfirmed, tickets.NoticePromoted, tickets.NoticeAlreadyRegistered, tickets.NoticeReminder:
		subject(map[string]string{tickets.NoticeConfirmed: "mail.subject.confirmed", tickets.NoticePromoted: "mail.subject.promoted",
			tickets.NoticeAlreadyRegistered: "mail.subject.already", tickets.NoticeReminder: "mail.subject.reminder"}[m.Kind])
		switch {
		case m.Kind == tickets.NoticeReminder:
			n.Lead = tr("mail.reminder", s.Title)
		case m.Kind == tickets.NoticePromoted:
			n.Lead = tr("mail.promoted", s.Title)
		case m.Kind == tickets.NoticeAlreadyRegistered:
			n.Lead = tr("mail.already", s.Title)
		default:
			n.Lead = tr("mail.confirmed", s.Title)
		}
		if t.Status == tickets.StatusWaitlisted {
			n.Extra = tr("mail.waitlisted", s.Title, t.WaitlistPosition) + " " + tr("mail.waitlist_how")
		}
		n.QR = confirmed && s.Status != events.StatusCancelled
		n.CancelHint = active
		if active {
			n.Method = events.MethodRequest
		}
	case tickets.NoticeWaitlisted:
		subject("mail.subject.waitlisted")
		pos := t.WaitlistPosition
		if p, ok := m.Payload["position"].(float64); ok && pos == 0 {
			pos = int(p)
		}
		n.Lead = tr("mail.waitlisted", s.Title, pos)
		n.Extra = tr("mail.waitlist_how")
		n.CancelHint = active
	case tickets.NoticePending:
		subject("mail.subject.pending")
		n.Lead = tr("mail.pending", s.Title)
		n.Extra = tr("mail.pending_how")
	case tickets.NoticeDeclined:
		subject("mail.subject.declined")
		n.Lead = tr("mail.declined", s.Title)
		n.Extra = tr("mail.declined_how")
		n.Party = ""
	case tickets.NoticeTicketCancelled:
		subject("mail.subject.ticket_cancelled")
		n.Lead = tr("mail.ticket_cancelled", s.Title)
		n.Method = events.MethodCancel
	case tickets.NoticeSalonChanged:
		subject("mail.subject.salon_changed")
		n.Lead = tr("mail.salon_changed", s.Title)
		if c, ok := tickets.ChangeFromPayload(m.Payload); ok {
			n.Changes = ChangeLines(lang, c, r.Format)
		}
		n.QR = confirmed
		if active {
			n.Method = events.MethodRequest
		}
	case tickets.NoticeSalonCancelled:
		subject("mail.subject.salon_cancelled")
		n.Lead = tr("mail.salon_cancelled", s.Title)
		n.Method = events.MethodCancel
	default:
		subject("mail.subject.salon_changed")
		n.Lead = s.Title
	}
	if n.QR && r.Wallet && s.Status != events.StatusCancelled {
		n.PassURL = n.TicketURL + "/pass.pkpass"
	}
	return n
}

// Text is the plain-text body.
func (n *notice) Text() string {
	var b strings.Builder
	line := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	line(n.Hello)
	b.WriteString("\n")
	line(n.Lead)
	line(n.Extra)
	line(n.Party)
	if len(n.Changes) > 0 {
		b.WriteString("\n")
		line(n.T("mail.changes"))
		for _, c := range n.Changes {
			line("- " + c.Text(n.Lang))
		}
	}
	b.WriteString("\n")
	line(n.T("mail.when", n.When))
	if n.Where != "" {
		line(n.T("mail.where", n.Where))
	}
	b.WriteString("\n")
	line(n.T(n.LinkKey, n.TicketURL))
	if n.PassURL != "" {
		line(n.T("mail.wallet", n.PassURL))
	}
	if n.FeedURL != "" {
		line(n.T("mail.feed", n.FeedURL))
	}
	if n.Method != "" {
		line(n.T("mail.invite_attached"))
	}
	if n.CancelHint {
		b.WriteString("\n")
		line(n.T("mail.cancel_hint"))
	}
	b.WriteString("\n-- \n")
	line(n.T("mail.footer"))
	return b.String()
}

// newMessage starts a mail from r.From to name <addr> with its subject and
// date; replies go to the organizer organizerID names, when it has a usable
// address (otherwise to From). A sender or recipient that cannot be written
// makes the mail unbuildable.
func (r *Renderer) newMessage(ctx context.Context, name, addr, subject string, organizerID int64) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(r.From); err != nil {
		return nil, mailer.Unbuildable("the sender address (--mail-from) is not valid", err)
	}
	// Any name the RSVP accepted can be written and read back (mailer.To).
	if err := mailer.To(msg, name, addr); err != nil {
		return nil, mailer.Unbuildable("the recipient address is not valid", err)
	}
	if organizerID != 0 {
		if org, err := r.DB.FindUserByID(ctx, organizerID); err == nil {
			_ = mailer.ReplyTo(msg, org.Name, org.Email)
		}
	}
	mailer.Subject(msg, subject)
	msg.SetDate()
	return msg, nil
}
