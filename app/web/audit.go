package web

import (
	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

// Audit records an action of the signed-in (or token-holding) user. The
// action has already happened, so a failure to record it is logged rather
// than turned into an error for the user.
func (d *Deps) Audit(c *fiber.Ctx, action string, salonID int64, detail string) {
	u := CurrentUser(c)
	e := &storage.AuditEntry{Action: action, SalonID: salonID, Detail: detail, IP: c.IP()}
	if u != nil {
		e.UserID, e.Actor = u.ID, u.Email
	}
	if err := d.DB.Audit(c.UserContext(), e); err != nil {
		d.Log.Error("audit log", "action", action, "err", err)
	}
}

// SalonAction names a salon change for the audit log.
func SalonAction(before, after *events.Salon) string {
	if before.Status != after.Status {
		switch after.Status {
		case events.StatusPublished:
			return "salon.publish"
		case events.StatusCancelled:
			return "salon.cancel"
		}
	}
	return "salon.update"
}
