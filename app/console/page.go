package console

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/app/web"
	"salon/events"
)

// consolePage is what every console template gets: the site's page data,
// the signed-in account and a notice after a redirect.
type consolePage struct {
	web.Page
	User  *events.User
	Flash string
	// retention dates the erasure of guests' personal data.
	retention web.Retention
}

// flashes are the notices a redirect may ask for with ?ok=; only these keys
// are shown, so a link cannot put words on the page.
var flashes = map[string]string{
	"created":      "console.ok.created",
	"saved":        "console.ok.saved",
	"published":    "console.ok.published",
	"cancelled":    "console.ok.cancelled",
	"ticket":       "console.ok.ticket",
	"checked_in":   "console.ok.checked_in",
	"undone":       "console.ok.undone",
	"revoked":      "console.ok.revoked",
	"retried":      "console.ok.retried",
	"deleted":      "console.ok.deleted",
	"user":         "console.ok.user",
	"logged_out":   "console.ok.logged_out",
	"setup":        "console.ok.setup",
	"already_done": "console.ok.already_done",
	"disabled":     "console.ok.disabled",
	"enabled":      "console.ok.enabled",
	"password":     "console.ok.password",
	"password_set": "console.ok.password_set",
	// Covers.
	"cover":         "console.ok.cover",
	"cover_removed": "console.ok.cover_removed",
	"industry":      "console.industry.created",
}

func (s *Console) newConsolePage(c *fiber.Ctx, titleKey string) consolePage {
	p := consolePage{Page: web.NewPage(c, ""), User: web.CurrentUser(c), retention: s.d.Retention()}
	p.Title = p.T(titleKey)
	if key, ok := flashes[c.Query("ok")]; ok {
		p.Flash = p.T(key)
	}
	return p
}

// IsAdmin reports whether the signed-in account is an admin.
func (p consolePage) IsAdmin() bool { return p.User != nil && p.User.Role == events.RoleAdmin }

// Organizes reports whether the signed-in account may run salons.
func (p consolePage) Organizes() bool { return p.User != nil && p.User.CanCreateSalons() }

// At writes an instant in zone for the console: the salon's zone for salon
// times, LogZone for logs.
func (p consolePage) At(t time.Time, zone string) string {
	return t.In(events.ZoneOrDefault(zone)).Format("2006-01-02 15:04")
}

// LogZone is the zone for times that belong to no salon (mail, the audit
// log, tokens): the default zone of new salons.
func (p consolePage) LogZone() string { return events.DefaultTimezone }

// AtPtr is At for times that may be absent.
func (p consolePage) AtPtr(t *time.Time, zone string) string {
	if t == nil {
		return ""
	}
	return p.At(*t, zone)
}

// tr translates key for lang, in Go code outside templates.
func tr(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }

// consoleZones are the zones the salon form offers. Go cannot list the zone
// database portably, so this is a choice: the default first, then the zones
// salons in and around Asia are most likely to use, then the world's big
// business centres. A salon already in another zone keeps it in its list.
var consoleZones = []string{
	"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Macau", "Asia/Tokyo", "Asia/Seoul",
	"Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Jakarta",
	"Asia/Manila", "Asia/Kolkata", "Asia/Dubai", "Australia/Sydney", "Pacific/Auckland",
	"Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Zurich", "Europe/Moscow",
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
	"America/Sao_Paulo", "Africa/Johannesburg", "UTC",
}

// zonesWith returns the zone list with zone in it.
func zonesWith(zone string) []string {
	for _, z := range consoleZones {
		if z == zone {
			return consoleZones
		}
	}
	if _, err := events.LoadZone(zone); err != nil {
		return consoleZones
	}
	return append([]string{zone}, consoleZones...)
}

// consoleFieldMessages translates an error's fields for a console form; an
// error that is not about fields gives a "form" entry.
func consoleFieldMessages(lang string, err error) map[string]string {
	var e *events.Error
	if !errors.As(err, &e) {
		return map[string]string{"form": tr(lang, "console.err.form")}
	}
	if len(e.Fields) == 0 {
		return map[string]string{"form": e.Message}
	}
	return web.TranslateFields(lang, e.Fields)
}
