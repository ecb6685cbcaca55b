package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

// OutboxStatuses are the statuses of an outbox message, in the order it goes
// through them; lists filter on them.
var OutboxStatuses = []string{storage.OutboxQueued, storage.OutboxSending, storage.OutboxSent, storage.OutboxFailed}

// CheckOutboxStatus accepts a status filter: empty (all mail) or one of
// OutboxStatuses.
func CheckOutboxStatus(status string) error {
	if status == "" || slices.Contains(OutboxStatuses, status) {
		return nil
	}
	return &events.Error{Code: events.EINVALID, Message: "status: must be queued, sending, sent or failed",
		Fields: map[string]string{"status": "must be queued, sending, sent or failed"}}
}

// RetryMessage queues failed message id again, due now, and wakes the mail
// worker: any message for admins, for others only mail about a salon they
// manage. It returns the message as it was before the retry. An id that is
// not a positive number is not found.
func (d *Deps) RetryMessage(c *fiber.Ctx, id int64) (*storage.Message, error) {
	if id <= 0 {
		return nil, events.Errorf(events.ENOTFOUND, "Message not found.")
	}
	ctx := c.UserContext()
	msgs, err := d.DB.FindMessages(ctx, storage.OutboxFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, events.Errorf(events.ENOTFOUND, "Message not found.")
	}
	m := msgs[0]
	if u := CurrentUser(c); u.Role != events.RoleAdmin {
		sa, err := d.DB.FindSalonByID(ctx, m.SalonID)
		if err != nil || !u.CanManage(sa) {
			return nil, events.Errorf(events.EFORBIDDEN, "You may not retry this message.")
		}
	}
	if err := d.DB.RetryMessage(ctx, m.ID); err != nil {
		return nil, err
	}
	return m, nil
}
