package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"salon/app/api"
	"salon/app/calendar"
	"salon/app/console"
	"salon/app/door"
	"salon/app/site"
	"salon/app/web"
	"salon/events"
	"salon/static"
)

// routes is the whole route table and middleware order, for every surface.
// Security middleware comes first, before the routes it guards.
func (s *Server) routes() error {
	dr, err := door.New(s.d)
	if err != nil {
		return err
	}
	pages, err := site.New(s.d)
	if err != nil {
		return err
	}
	con, err := console.New(s.d)
	if err != nil {
		return err
	}

	app := s.app
	app.Use(recover.New())
	app.Use(securityHeaders)
	app.Use(s.d.Metrics.Middleware)

	// Static files: see web.VersionedStatic.
	app.Use("/static/"+static.Version, web.VersionedStatic())
	app.Use("/static", web.UnversionedStatic())
	app.Get("/healthz", s.handleHealth)
	app.Get("/lang/:lang", s.d.HandleLang)
	app.Get("/metrics", s.d.Metrics.Handler())

	writes := s.rateLimit()
	forms := s.d.PublicCSRF()

	// JSON API.
	a := api.New(s.d)
	v1 := app.Group("/api/v1")
	v1.Get("/openapi.json", a.Document)
	v1.Get("/salons", a.ListSalons)
	v1.Get("/salons/:slug", a.GetSalon)
	v1.Post("/salons/:slug/rsvps", writes, a.CreateRSVP)
	v1.Get("/tickets/:token", a.GetTicket)
	v1.Post("/tickets/:token/cancel", writes, a.CancelTicket)
	v1.Post("/tickets/:token/feed/revoke", writes, a.RevokeFeed)
	v1.Get("/tickets/:token/export", a.ExportTicket)
	v1.Post("/tickets/:token/erase", writes, a.EraseTicket)

	// Organizer endpoints: the token check is on each route, not on a group,
	// so an unknown path still answers 404 rather than 401.
	auth := s.d.RequireToken
	v1.Post("/salons", auth, a.CreateSalon)
	v1.Patch("/salons/:slug", auth, a.UpdateSalon)
	v1.Post("/salons/:slug/publish", auth, a.PublishSalon)
	v1.Post("/salons/:slug/cancel", auth, a.CancelSalon)
	v1.Get("/salons/:slug/attendees.csv", auth, a.AttendeesCSV)
	v1.Get("/salons/:slug/attendees", auth, a.ListAttendees)
	v1.Post("/salons/:slug/attendees/:id/approve", auth, a.ApproveTicket)
	v1.Post("/salons/:slug/attendees/:id/decline", auth, a.DeclineTicket)
	v1.Delete("/salons/:slug/checkins/:id", auth, a.UndoCheckin)
	v1.Post("/salons/:slug/door-links", auth, a.CreateDoorLink)
	v1.Get("/salons/:slug/door-links", auth, a.ListDoorLinks)
	v1.Get("/salons/:slug/scans", auth, a.ListScans)
	v1.Post("/salons/:slug/door-links/:id/revoke", auth, a.RevokeDoorLink)
	v1.Get("/outbox", auth, a.ListOutbox)
	v1.Post("/outbox/:id/retry", auth, a.RetryMessage)
	v1.Post("/webhooks", auth, a.CreateWebhook)
	v1.Get("/webhooks", auth, a.ListWebhooks)
	v1.Delete("/webhooks/:id", auth, a.DeleteWebhook)
	// Organizer tools: messages to guests, duplicating a salon.
	v1.Post("/salons/:slug/messages", auth, a.SendMessage)
	v1.Post("/salons/:slug/duplicate", auth, a.DuplicateSalon)
	v1.Post("/salons/:slug/cover", auth, a.UploadCover)
	v1.Delete("/salons/:slug/cover", auth, a.DeleteCover)

	// Door devices: staff and organizer tokens, or a door link's token.
	v1.Post("/salons/:slug/checkins", dr.Require, dr.Checkin)
	v1.Get("/salons/:slug/door", dr.Require, dr.Data)

	// Calendars: registered before the pages so /salons/{slug}.ics is not
	// taken for a salon page.
	cal := calendar.New(s.d)
	app.Get("/calendar.ics", cal.Feed)
	app.Get("/salons/:slug.ics", cal.Salon)
	app.Get("/feeds/:token.ics", cal.PersonalFeed)
	app.Get("/t/:token/invite.ics", cal.Invite)

	// Pages. Forms carry CSRF tokens; the limiter guards the public writes.
	app.Get("/", pages.Index) // no form that changes anything: no CSRF token
	app.Get("/past", pages.Past)
	app.Get("/salons/:slug", forms, pages.SalonPage)
	app.Post("/salons/:slug/rsvp", writes, forms, pages.RSVPForm)
	app.Get("/salons/:slug/rsvp", pages.RSVPLink)
	app.Get("/salons/:slug/qr.png", pages.SalonQR)
	app.Get("/covers/:key/:file", pages.Cover)
	app.Get("/t/:token/qr.png", pages.QR)
	app.Get("/t/:token/pass.pkpass", pages.Pass)
	app.Get("/t/:token", forms, pages.TicketPage)
	app.Get("/t/:token/cancel", forms, pages.CancelPage)
	app.Post("/t/:token/cancel", writes, forms, pages.CancelForm)
	app.Get("/t/:token/erase", forms, pages.ErasePage)
	app.Post("/t/:token/erase", writes, forms, pages.EraseForm)

	// Personal data: the privacy page, and the one-time email link over
	// every ticket of an address (asked for from a ticket, mailed to its
	// address). The download is the API's export document, so the api
	// package answers it, behind the page's form token.
	app.Get("/privacy", pages.Privacy)
	app.Post("/t/:token/all", writes, forms, pages.AllTicketsForm)
	app.Get("/me/:token", forms, pages.EmailLinkPage)
	app.Post("/me/:token/export", writes, forms, a.ExportEmail)
	app.Get("/me/:token/erase", forms, pages.EmailErasePage)
	app.Post("/me/:token/erase", writes, forms, pages.EmailEraseForm)

	// The console: sign-in pages, the first-admin setup link and /admin.
	// Every console route checks the session itself (no group middleware),
	// and every form carries a CSRF token of the console's own cookie.
	consoleForms := s.d.ConsoleCSRF()
	app.Get("/login", consoleForms, con.LoginPage)
	app.Post("/login", consoleForms, con.Login)
	app.Post("/logout", consoleForms, con.Logout)
	app.Get("/setup/:token", consoleForms, con.SetupPage)
	app.Post("/setup/:token", consoleForms, con.Setup)

	anyone := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{consoleForms, s.d.RequireSession, h} }
	org := func(h fiber.Handler) []fiber.Handler {
		return []fiber.Handler{consoleForms, s.d.RequireSession, web.RequireRole(events.RoleAdmin, events.RoleOrganizer), h}
	}
	admin := func(h fiber.Handler) []fiber.Handler {
		return []fiber.Handler{consoleForms, s.d.RequireSession, web.RequireRole(events.RoleAdmin), h}
	}

	app.Get("/admin", anyone(con.Home)...)
	app.Get("/admin/tokens", anyone(con.TokensPage)...)
	app.Post("/admin/tokens", anyone(con.CreateToken)...)
	app.Post("/admin/tokens/:id/revoke", anyone(con.RevokeToken)...)

	app.Get("/admin/salons/new", org(con.NewSalonPage)...)
	app.Post("/admin/salons/new", org(con.NewSalon)...)
	app.Get("/admin/salons/:slug", org(con.Salon)...)
	app.Get("/admin/salons/:slug/edit", org(con.EditSalonPage)...)
	app.Post("/admin/salons/:slug/edit", org(con.EditSalon)...)
	app.Post("/admin/salons/:slug/publish", org(con.Publish)...)
	app.Get("/admin/salons/:slug/cancel", org(con.CancelSalonPage)...)
	app.Post("/admin/salons/:slug/cancel", org(con.CancelSalon)...)
	app.Get("/admin/salons/:slug/attendees.csv", org(con.AttendeesCSV)...)
	app.Get("/admin/salons/:slug/attendees", org(con.Attendees)...)
	app.Post("/admin/salons/:slug/attendees/decide", org(con.Decide)...)
	app.Post("/admin/salons/:slug/attendees/:id/cancel", org(con.CancelTicket)...)
	app.Post("/admin/salons/:slug/attendees/:id/checkin", org(con.Checkin)...)
	app.Post("/admin/salons/:slug/attendees/:id/undo", org(con.UndoCheckin)...)
	app.Post("/admin/salons/:slug/door-links", org(con.CreateDoorLink)...)
	app.Post("/admin/salons/:slug/door-links/:id/revoke", org(con.RevokeDoorLink)...)
	app.Post("/admin/salons/:slug/messages", org(con.SendMessage)...)
	app.Post("/admin/salons/:slug/duplicate", org(con.DuplicateSalon)...)
	app.Get("/admin/outbox", org(con.Outbox)...)
	app.Post("/admin/outbox/:id/retry", org(con.Retry)...)
	app.Get("/admin/audit", org(con.Audit)...)
	app.Get("/admin/webhooks", org(con.Webhooks)...)
	app.Post("/admin/webhooks", org(con.CreateWebhook)...)
	app.Get("/admin/webhooks/:id", org(con.Webhook)...)
	app.Post("/admin/webhooks/:id/delete", org(con.DeleteWebhook)...)
	app.Post("/admin/webhooks/:id/deliveries/:delivery/resend", org(con.ResendDelivery)...)
	app.Post("/admin/salons/:slug/cover", org(con.UploadCover)...)
	app.Post("/admin/salons/:slug/cover/remove", org(con.RemoveCover)...)

	app.Get("/admin/industries", org(con.Industries)...)
	app.Post("/admin/industries", org(con.CreateIndustry)...)

	app.Get("/admin/users", admin(con.UsersPage)...)
	app.Post("/admin/users", admin(con.CreateUser)...)

	// Accounts: the one-time password links (no session: the link is the
	// credential), one's own account, and an admin's actions on others.
	app.Get("/invite/:token", consoleForms, con.InvitePage)
	app.Post("/invite/:token", consoleForms, con.Invite)
	app.Get("/admin/account", anyone(con.AccountPage)...)
	app.Post("/admin/account", anyone(con.UpdateAccount)...)
	app.Post("/admin/account/password", anyone(con.ChangePassword)...)
	app.Post("/admin/users/:id/reset", admin(con.ResetUser)...)
	app.Post("/admin/users/:id/disable", admin(con.DisableUser)...)
	app.Post("/admin/users/:id/enable", admin(con.EnableUser)...)

	// The door page and its service worker (see door.WorkerURL).
	app.Get(door.WorkerURL, dr.ServiceWorker)
	app.Get("/door/:slug", dr.Page)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return nil
}

// securityHeaders are sent on every answer. The content security policy
// allows no inline script; Referrer-Policy keeps ticket tokens in URLs from
// leaking to other sites while CSRF's referer check still works over https.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	return c.Next()
}

// isCoverUpload says a request may carry a cover image (see
// web.RequestLimits): a POST to the API's or the console's cover address.
func isCoverUpload(method, p string) bool {
	if method != fiber.MethodPost {
		return false
	}
	for _, prefix := range []string{"/api/v1/salons/", "/admin/salons/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			slug, tail, _ := strings.Cut(rest, "/")
			return slug != "" && tail == "cover"
		}
	}
	return false
}

// rateLimit limits public writes per client address. c.IP() believes
// X-Forwarded-For only from the configured trusted proxies.
func (s *Server) rateLimit() fiber.Handler {
	if s.cfg.RateLimit == 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return limiter.New(limiter.Config{
		Max:          s.cfg.RateLimit,
		Expiration:   time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return c.IP() },
		LimitReached: func(c *fiber.Ctx) error {
			return events.Errorf(events.ERATELIMITED, "Too many requests from your address; try again in a minute.")
		},
	})
}
