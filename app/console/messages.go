package console

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// messageForm is the "Message guests" form of a salon's page: what was
// typed (shown again beside an error), how many each audience reaches,
// what was sent before and how many messages are left today.
type messageForm struct {
	Subject, Body, To string
	Counts            map[string]int
	Sent              []*storage.SalonMessage
	Left              int
	Errors            map[string]string
}

// Audiences are the form's choices, in order.
func (messageForm) Audiences() []string {
	return []string{storage.AudienceConfirmed, storage.AudienceWaitlisted, storage.AudienceAll}
}

// loadMessageForm fills the counts and the history of salon sa.
func (s *Console) loadMessageForm(c *fiber.Ctx, sa *events.Salon, f *messageForm) error {
	ctx := c.UserContext()
	f.Counts = map[string]int{}
	for _, a := range f.Audiences() {
		n, err := s.d.DB.CountAudience(ctx, sa.ID, a)
		if err != nil {
			return err
		}
		f.Counts[a] = n
	}
	sent, err := s.d.DB.FindSalonMessages(ctx, sa.ID)
	if err != nil {
		return err
	}
	f.Sent, f.Left = sent, web.MessageAllowance(sent, s.d.DB.Now())
	if f.To == "" {
		f.To = storage.AudienceConfirmed
	}
	return nil
}

// SendMessage queues the form's message to the chosen guests. A refusal
// shows the salon's page again with the text as typed and what is wrong.
func (s *Console) SendMessage(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	f := messageForm{Subject: c.FormValue("subject"), Body: c.FormValue("body"), To: c.FormValue("to")}
	m, err := s.d.DB.QueueSalonMessage(c.UserContext(), storage.MessageRequest{SalonID: sa.ID, SentBy: u.ID,
		Subject: f.Subject, Body: f.Body, Audience: f.To})
	if err != nil {
		code, status := web.StatusFor(err)
		switch code {
		case events.EINTERNAL:
			return err
		case events.ERATELIMITED:
			f.Errors = map[string]string{"form": tr(web.PageLang(c), "console.err.too_many_messages")}
		default:
			f.Errors = messageFieldMessages(web.PageLang(c), err)
		}
		return s.renderSalonWithMessage(c, status, sa, f)
	}
	if m.Recipients == 0 {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=message_none#messages", fiber.StatusSeeOther)
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=message&n="+strconv.Itoa(m.Recipients)+"#messages", fiber.StatusSeeOther)
}

// messageFieldMessages translates a refused message's fields; the
// audience's rule has its own words.
func messageFieldMessages(lang string, err error) map[string]string {
	out := consoleFieldMessages(lang, err)
	if e, ok := err.(*events.Error); ok && e.Fields["to"] != "" {
		out["to"] = tr(lang, "console.err.audience")
	}
	return out
}

// DuplicateSalon saves a copy of the salon as a draft a week later and
// opens it.
func (s *Console) DuplicateSalon(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if !u.CanCreateSalons() {
		return events.Errorf(events.EFORBIDDEN, "Your account may not create salons.")
	}
	out, err := s.d.DuplicateSalon(c.UserContext(), sa, int(events.DefaultDuplicateShift.Hours()/24))
	if err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderConsoleSalon(c, web.ErrStatus(err), sa, "", consoleFieldMessages(web.PageLang(c), err))
	}
	return c.Redirect("/admin/salons/"+out.Slug+"?ok=duplicated", fiber.StatusSeeOther)
}

// countedFlash is the notice of a redirect that carries a count (?n=):
// how many guests a message or a change notice goes to.
func countedFlash(c *fiber.Ctx, p *consolePage) {
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil || n < 0 {
		n = -1
	}
	switch c.Query("ok") {
	case "message":
		if n >= 0 {
			p.Flash = p.T("console.ok.message", n)
		}
	case "message_none":
		p.Flash = p.T("console.ok.message_none")
	case "duplicated":
		p.Flash = p.T("console.ok.duplicated")
	case "saved":
		if n > 0 {
			p.Flash = p.T("console.ok.saved_notified", n)
		}
	}
}

// PerDay is how many messages a salon may send in a day.
func (messageForm) PerDay() int { return storage.MessagesPerWindow }
