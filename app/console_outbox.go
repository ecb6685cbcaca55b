package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

type consoleOutboxPage struct {
	consolePage
	Messages []*storage.Message
	Status   string
	Statuses []string
}

// handleConsoleOutbox lists the mail outbox, newest first: everything for
// admins, mail about their own salons for organizers.
func (s *Server) handleConsoleOutbox(c *fiber.Ctx) error {
	f := storage.OutboxFilter{Status: c.Query("status"), NewestFirst: true, Limit: 500}
	if err := checkOutboxStatus(f.Status); err != nil {
		return err
	}
	if u := currentUser(c); u.Role != events.RoleAdmin {
		f.OrganizerID = u.ID
	}
	list, err := s.db.FindMessages(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := consoleOutboxPage{consolePage: s.newConsolePage(c, "console.outbox"), Messages: list, Status: f.Status,
		Statuses: outboxStatuses}
	return s.render(c, fiber.StatusOK, "console_outbox", p)
}

// handleConsoleRetry queues a failed message again. An organizer may only
// retry mail about a salon they manage.
func (s *Server) handleConsoleRetry(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	_, err := s.retryMessage(c, id)
	if err != nil {
		return err
	}
	return c.Redirect("/admin/outbox?ok=retried", fiber.StatusSeeOther)
}

type consoleAuditPage struct {
	consolePage
	Entries []*storage.AuditEntry
}

// handleConsoleAudit shows who did what and when: everything for admins;
// for organizers, what happened to their salons and what they did.
func (s *Server) handleConsoleAudit(c *fiber.Ctx) error {
	u := currentUser(c)
	f := storage.AuditFilter{Limit: 500}
	if u.Role != events.RoleAdmin {
		f.OrganizerID = u.ID
	}
	list, err := s.db.FindAudit(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "console_audit", consoleAuditPage{consolePage: s.newConsolePage(c, "console.audit"), Entries: list})
}
