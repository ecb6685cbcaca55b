package console

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// recentDeliveries is how many deliveries a webhook's page shows.
const recentDeliveries = 100

type consoleWebhooksPage struct {
	consolePage
	Webhooks []*storage.Webhook
	Events   []string
	// New is the webhook just made, shown once with its secret.
	New    *storage.Webhook
	Form   struct{ URL string }
	Errors map[string]string
}

// Webhooks lists the account's webhooks (every one for admins) with the
// form that makes one.
func (s *Console) Webhooks(c *fiber.Ctx) error {
	return s.renderWebhooks(c, fiber.StatusOK, nil, "", nil)
}

func (s *Console) renderWebhooks(c *fiber.Ctx, status int, made *storage.Webhook, url string, errs map[string]string) error {
	owner, err := web.WebhookOwner(web.CurrentUser(c))
	if err != nil {
		return err
	}
	list, err := s.d.DB.FindWebhooks(c.UserContext(), owner)
	if err != nil {
		return err
	}
	p := consoleWebhooksPage{consolePage: s.newConsolePage(c, "console.webhooks"), Webhooks: list,
		Events: storage.WebhookEvents, New: made, Errors: errs}
	p.Form.URL = url
	return s.pages.Render(c, status, "console_webhooks", p)
}

// CreateWebhook registers a webhook from the form and shows its secret
// once. Field errors are shown in the page's language.
func (s *Console) CreateWebhook(c *fiber.Ctx) error {
	url := strings.TrimSpace(c.FormValue("url"))
	var evs []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "events" {
			evs = append(evs, string(v))
		}
	})
	w, err := s.d.CreateWebhook(c.UserContext(), web.CurrentUser(c), url, evs)
	if err != nil {
		var e *events.Error
		if !errors.As(err, &e) || e.Code != events.EINVALID {
			return err
		}
		lang := web.PageLang(c)
		errs := map[string]string{}
		for f := range e.Fields {
			errs[f] = tr(lang, "console.webhook_bad."+f)
		}
		return s.renderWebhooks(c, fiber.StatusUnprocessableEntity, nil, url, errs)
	}
	return s.renderWebhooks(c, fiber.StatusOK, w, "", nil)
}

// DeleteWebhook removes one of the account's webhooks.
func (s *Console) DeleteWebhook(c *fiber.Ctx) error {
	owner, id, err := s.webhookScope(c)
	if err != nil {
		return err
	}
	if err := s.d.DB.DeleteWebhook(c.UserContext(), id, owner); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks?ok=deleted", fiber.StatusSeeOther)
}

type consoleWebhookPage struct {
	consolePage
	Webhook    *storage.Webhook
	Deliveries []*storage.Delivery
}

// Webhook shows one webhook's latest deliveries, each with its status,
// response code and error, and "send again".
func (s *Console) Webhook(c *fiber.Ctx) error {
	owner, id, err := s.webhookScope(c)
	if err != nil {
		return err
	}
	w, err := s.d.DB.FindWebhook(c.UserContext(), id, owner)
	if err != nil {
		return err
	}
	ds, err := s.d.DB.FindDeliveries(c.UserContext(), w.ID, recentDeliveries)
	if err != nil {
		return err
	}
	p := consoleWebhookPage{consolePage: s.newConsolePage(c, "console.webhook"), Webhook: w, Deliveries: ds}
	return s.pages.Render(c, fiber.StatusOK, "console_webhook", p)
}

// ResendDelivery queues one delivery of the account's webhook again.
func (s *Console) ResendDelivery(c *fiber.Ctx) error {
	// The delivery is looked up within the account's webhooks by the store.
	owner, _, err := s.webhookScope(c)
	if err != nil {
		return err
	}
	did, err := c.ParamsInt("delivery")
	if err != nil || did <= 0 {
		return events.Errorf(events.ENOTFOUND, "Delivery not found.")
	}
	if err := s.d.DB.RetryDelivery(c.UserContext(), int64(did), owner); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks/"+c.Params("id")+"?ok=retried", fiber.StatusSeeOther)
}

// webhookScope reads the webhook id of the path and the account's owner
// scope.
func (s *Console) webhookScope(c *fiber.Ctx) (owner, id int64, err error) {
	if owner, err = web.WebhookOwner(web.CurrentUser(c)); err != nil {
		return 0, 0, err
	}
	n, err := c.ParamsInt("id")
	if err != nil || n <= 0 {
		return 0, 0, events.Errorf(events.ENOTFOUND, "Webhook not found.")
	}
	return owner, int64(n), nil
}
