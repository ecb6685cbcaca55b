package console

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

type consoleOutboxPage struct {
	consolePage
	Messages []*storage.Message
	Status   string
	Statuses []string
}

// Outbox lists the mail outbox, newest first: everything for
// admins, mail about their own salons for organizers.
func (s *Console) Outbox(c *fiber.Ctx) error {
	f := storage.OutboxFilter{Status: c.Query("status"), NewestFirst: true, Limit: 500}
	if err := web.CheckOutboxStatus(f.Status); err != nil {
		return err
	}
	if u := web.CurrentUser(c); u.Role != events.RoleAdmin {
		f.OrganizerID = u.ID
	}
	list, err := s.d.DB.FindMessages(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := consoleOutboxPage{consolePage: s.newConsolePage(c, "console.outbox"), Messages: list, Status: f.Status,
		Statuses: web.OutboxStatuses}
	return s.pages.Render(c, fiber.StatusOK, "console_outbox", p)
}

// Retry queues a failed message again. An organizer may only
// retry mail about a salon they manage.
func (s *Console) Retry(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	_, err := s.d.RetryMessage(c, id)
	if err != nil {
		return err
	}
	return c.Redirect("/admin/outbox?ok=retried", fiber.StatusSeeOther)
}

type consoleAuditPage struct {
	consolePage
	Entries []*storage.AuditEntry
}

// Audit shows who did what and when: everything for admins;
// for organizers, what happened to their salons and what they did.
func (s *Console) Audit(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	f := storage.AuditFilter{Limit: 500}
	if u.Role != events.RoleAdmin {
		f.OrganizerID = u.ID
	}
	list, err := s.d.DB.FindAudit(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.pages.Render(c, fiber.StatusOK, "console_audit", consoleAuditPage{consolePage: s.newConsolePage(c, "console.audit"), Entries: list})
}
