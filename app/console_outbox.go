package app

import (
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
	u := currentUser(c)
	f := storage.OutboxFilter{NewestFirst: true, Limit: 500}
	switch st := c.Query("status"); st {
	case "", storage.OutboxQueued, storage.OutboxSending, storage.OutboxSent, storage.OutboxFailed:
		f.Status = st
	default:
		return &events.Error{Code: events.EINVALID, Message: "status: must be queued, sending, sent or failed",
			Fields: map[string]string{"status": "must be queued, sending, sent or failed"}}
	}
	if u.Role != events.RoleAdmin {
		f.OrganizerID = u.ID
	}
	list, err := s.db.FindMessages(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := consoleOutboxPage{consolePage: s.newConsolePage(c, "console.outbox"), Messages: list, Status: f.Status,
		Statuses: []string{storage.OutboxQueued, storage.OutboxSending, storage.OutboxSent, storage.OutboxFailed}}
	return s.render(c, fiber.StatusOK, "console_outbox", p)
}

// handleConsoleRetry queues a failed message again. An organizer may only
// retry mail about a salon they manage.
func (s *Server) handleConsoleRetry(c *fiber.Ctx) error {
	u := currentUser(c)
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return events.Errorf(events.ENOTFOUND, "Message not found.")
	}
	ctx := c.UserContext()
	msgs, err := s.db.FindMessages(ctx, storage.OutboxFilter{ID: int64(id)})
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		return events.Errorf(events.ENOTFOUND, "Message not found.")
	}
	m := msgs[0]
	if u.Role != events.RoleAdmin {
		sa, err := s.db.FindSalonByID(ctx, m.SalonID)
		if err != nil || !u.CanManage(sa) {
			return events.Errorf(events.EFORBIDDEN, "You may not retry this message.")
		}
	}
	if err := s.db.RetryMessage(ctx, m.ID); err != nil {
		return err
	}
	s.wakeMail()
	s.audit(c, "mail.retry", m.SalonID, itoa(int(m.ID))+" "+m.Kind)
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
