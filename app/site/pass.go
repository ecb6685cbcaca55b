package site

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/app/web"
	"salon/events"
	"salon/tickets"
	"salon/tickets/wallet"
)

// PassURL is the ticket's Apple Wallet pass, or "" when the server has no
// pass certificate or the ticket would get no pass.
func (s *Site) PassURL(t *tickets.Ticket, sa *events.Salon) string {
	if s.d.Wallet == nil || !passable(t, sa) {
		return ""
	}
	return "/t/" + t.Token + "/pass.pkpass"
}

// passable: a pass admits its holder, so only a confirmed seat at a salon
// still on gets one, as only those get a QR code in mail.
func passable(t *tickets.Ticket, sa *events.Salon) bool {
	return t.Status == tickets.StatusConfirmed && sa.Status != events.StatusCancelled
}

// Pass serves a confirmed ticket's Apple Wallet pass, signed afresh on each
// request (a few milliseconds) so it always shows the salon as it is now.
func (s *Site) Pass(c *fiber.Ctx) error {
	if s.d.Wallet == nil {
		return events.Errorf(events.ENOTFOUND, "Not found.")
	}
	t, err := s.d.DB.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	sa, err := s.d.DB.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return err
	}
	if !passable(t, sa) {
		return events.Errorf(events.ENOTFOUND, "This ticket has no pass: it is not confirmed.")
	}
	lang := web.PageLang(c)
	sa = sa.In(lang)
	tr := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	labels := wallet.Labels{Event: tr("wallet.event"), When: tr("wallet.when"), Venue: tr("wallet.venue"),
		Address: tr("wallet.address"), Holder: tr("wallet.holder"), Ticket: tr("wallet.ticket")}
	// The code is the one the QR image holds, so the door reads either.
	p := wallet.ForTicket(sa, t, s.d.Keys.Sign(t), s.d.Calendar.OrganizerName, s.d.BaseURL+"/t/"+t.Token,
		labels, tr("wallet.description", sa.Title))
	b, err := s.d.Wallet.Build(p)
	if err != nil {
		return err
	}
	// The pass holds the entry code: never kept by shared caches.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, wallet.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+sa.Slug+`.pkpass"`)
	return c.Send(b)
}
