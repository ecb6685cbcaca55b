package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// webhookJSON is a webhook as its owner sees it; the secret only in the
// answer that created it.
type webhookJSON struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	Secret    string   `json:"secret,omitempty"`
	CreatedAt string   `json:"created_at"`
}

func webhookView(w *storage.Webhook, withSecret bool) webhookJSON {
	j := webhookJSON{ID: strconv.FormatInt(w.ID, 10), URL: w.URL, Events: w.Events, CreatedAt: w.CreatedAt.Format(time.RFC3339)}
	if withSecret {
		j.Secret = w.Secret
	}
	return j
}

// CreateWebhook registers a webhook for the caller and shows its secret,
// once.
func (s *API) CreateWebhook(c *fiber.Ctx) error {
	var in struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	if err := web.DecodeJSON(c, &in, true); err != nil {
		return err
	}
	w, err := s.d.CreateWebhook(c.UserContext(), web.CurrentUser(c), in.URL, in.Events)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"webhook": webhookView(w, true)})
}

// ListWebhooks lists the caller's webhooks (an admin's: every one),
// without their secrets.
func (s *API) ListWebhooks(c *fiber.Ctx) error {
	owner, err := web.WebhookOwner(web.CurrentUser(c))
	if err != nil {
		return err
	}
	list, err := s.d.DB.FindWebhooks(c.UserContext(), owner)
	if err != nil {
		return err
	}
	out := make([]webhookJSON, 0, len(list))
	for _, w := range list {
		out = append(out, webhookView(w, false))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"webhooks": out})
}

// DeleteWebhook removes one of the caller's webhooks; another organizer's
// is not found, like one that does not exist.
func (s *API) DeleteWebhook(c *fiber.Ctx) error {
	owner, err := web.WebhookOwner(web.CurrentUser(c))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return events.Errorf(events.ENOTFOUND, "Webhook not found.")
	}
	if err := s.d.DB.DeleteWebhook(c.UserContext(), id, owner); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
