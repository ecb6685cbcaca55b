package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// messageJSON is an outbox row as admins and organizers see it.
type messageJSON struct {
	ID            string  `json:"id"`
	Kind          string  `json:"kind"`
	TicketID      string  `json:"ticket_id"`
	Recipient     string  `json:"recipient"`
	Lang          string  `json:"lang"`
	Status        string  `json:"status"`
	Attempts      int     `json:"attempts"`
	NextAttemptAt string  `json:"next_attempt_at"`
	LastError     string  `json:"last_error"`
	MessageID     string  `json:"message_id"`
	CreatedAt     string  `json:"created_at"`
	SentAt        *string `json:"sent_at"`
}

func messageView(m *storage.Message) messageJSON {
	j := messageJSON{ID: strconv.FormatInt(m.ID, 10), Kind: m.Kind, TicketID: strconv.FormatInt(m.TicketID, 10),
		Recipient: m.Recipient, Lang: m.Lang, Status: m.Status, Attempts: m.Attempts,
		NextAttemptAt: m.NextAttemptAt.Format(time.RFC3339), LastError: m.LastError, MessageID: m.MessageID,
		CreatedAt: m.CreatedAt.Format(time.RFC3339), SentAt: web.TimePtr(m.SentAt, time.UTC)}
	return j
}

// outboxScope says which salon's mail the caller may see: admins all mail
// (salon 0) or one salon's; organizers only a salon they manage.
func (s *API) outboxScope(c *fiber.Ctx) (int64, error) {
	u := web.CurrentUser(c)
	slug := c.Query("salon")
	if slug == "" {
		if u.Role != events.RoleAdmin {
			return 0, events.Errorf(events.EFORBIDDEN, "Only admins see all mail; name a salon you organize with ?salon=.")
		}
		return 0, nil
	}
	sa, err := s.d.DB.FindSalonBySlug(c.UserContext(), slug)
	if err != nil {
		return 0, err
	}
	if !u.CanManage(sa) {
		return 0, events.Errorf(events.EFORBIDDEN, "You may not see this salon's mail.")
	}
	return sa.ID, nil
}

// ListOutbox lists the mail the caller may see (see outboxScope),
// optionally of one status.
func (s *API) ListOutbox(c *fiber.Ctx) error {
	salonID, err := s.outboxScope(c)
	if err != nil {
		return err
	}
	status := c.Query("status")
	if err := web.CheckOutboxStatus(status); err != nil {
		return err
	}
	list, err := s.d.DB.FindMessages(c.UserContext(), storage.OutboxFilter{Status: status, SalonID: salonID, Limit: 500})
	if err != nil {
		return err
	}
	out := make([]messageJSON, 0, len(list))
	for _, m := range list {
		out = append(out, messageView(m))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"messages": out})
}

// RetryMessage queues a failed message again, due now, and answers
// with the message as it is now.
func (s *API) RetryMessage(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	if _, err := s.d.RetryMessage(c, id); err != nil {
		return err
	}
	msgs, err := s.d.DB.FindMessages(c.UserContext(), storage.OutboxFilter{ID: id})
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		return events.Errorf(events.ENOTFOUND, "Message not found.")
	}
	return c.JSON(fiber.Map{"message": messageView(msgs[0])})
}
