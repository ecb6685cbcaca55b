package web

import (
	"context"
	"encoding/base64"
	"slices"
	"sort"
	"strings"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// maxWebhookURL bounds a webhook address.
const maxWebhookURL = 2000

// WebhookOwner is the owner scope of u's webhook lookups: admins see every
// webhook (0), organizers their own. Staff may have none.
func WebhookOwner(u *events.User) (int64, error) {
	switch u.Role {
	case events.RoleAdmin:
		return 0, nil
	case events.RoleOrganizer:
		return u.ID, nil
	}
	return 0, events.Errorf(events.EFORBIDDEN, "Only organizers and admins may have webhooks.")
}

// CreateWebhook checks a registration (every bad field named at once, the
// address through the SSRF guard) and saves it for u with a new secret,
// which the answer shows once.
func (d *Deps) CreateWebhook(ctx context.Context, u *events.User, url string, evs []string) (*storage.Webhook, error) {
	if _, err := WebhookOwner(u); err != nil {
		return nil, err
	}
	url = strings.TrimSpace(url)
	fields := map[string]string{}
	switch {
	case url == "":
		fields["url"] = "required"
	case len(url) > maxWebhookURL || events.CheckLine(url, 1, maxWebhookURL) != "":
		fields["url"] = "not a valid URL"
	default:
		if err := d.Webhooks.CheckURL(ctx, url); err != nil {
			fields["url"] = err.Error()
		}
	}
	var list []string
	for _, e := range evs {
		e = strings.TrimSpace(e)
		if !slices.Contains(storage.WebhookEvents, e) {
			fields["events"] = "unknown event " + quoteShort(e) + "; known: " + strings.Join(storage.WebhookEvents, ", ")
			break
		}
		if !slices.Contains(list, e) {
			list = append(list, e)
		}
	}
	if len(list) == 0 && fields["events"] == "" {
		fields["events"] = "name at least one event"
	}
	if len(fields) > 0 {
		return nil, invalidFields(fields)
	}
	w := &storage.Webhook{UserID: u.ID, URL: url, Events: list,
		Secret: "whsec_" + base64.StdEncoding.EncodeToString(tickets.RandomBytes(32))}
	if err := d.DB.CreateWebhook(ctx, w); err != nil {
		return nil, err
	}
	return w, nil
}

// quoteShort quotes what a client sent, cut short, for an error message.
func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "") + `"`
}

// invalidFields is an invalid error naming every field, in a stable order.
func invalidFields(fields map[string]string) error {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, f := range names {
		parts = append(parts, f+": "+fields[f])
	}
	return &events.Error{Code: events.EINVALID, Message: strings.Join(parts, "; "), Fields: fields}
}
