package app

import (
	"fmt"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"

	"salon/events"
	"salon/tickets"
)

// consoleRoutes registers the sign-in pages, the first-admin setup link and
// the organizer console under /admin. Every console route checks the session
// itself (no group middleware), and every form carries a CSRF token.
func (s *Server) consoleRoutes(app *fiber.App) {
	if err := s.loadConsolePages(); err != nil {
		panic(err) // the templates are embedded: this is a build mistake
	}
	forms := s.consoleCSRF()
	app.Get("/login", forms, s.handleLoginPage)
	app.Post("/login", forms, s.handleLogin)
	app.Post("/logout", forms, s.handleLogout)
	app.Get("/setup/:token", forms, s.handleSetupPage)
	app.Post("/setup/:token", forms, s.handleSetup)

	anyone := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{forms, s.requireSession, h} }
	org := func(h fiber.Handler) []fiber.Handler {
		return []fiber.Handler{forms, s.requireSession, requireRole(events.RoleAdmin, events.RoleOrganizer), h}
	}
	admin := func(h fiber.Handler) []fiber.Handler {
		return []fiber.Handler{forms, s.requireSession, requireRole(events.RoleAdmin), h}
	}

	app.Get("/admin", anyone(s.handleConsoleHome)...)
	app.Get("/admin/tokens", anyone(s.handleTokensPage)...)
	app.Post("/admin/tokens", anyone(s.handleCreateToken)...)
	app.Post("/admin/tokens/:id/revoke", anyone(s.handleRevokeToken)...)

	app.Get("/admin/salons/new", org(s.handleNewSalonPage)...)
	app.Post("/admin/salons/new", org(s.handleNewSalon)...)
	app.Get("/admin/salons/:slug", org(s.handleConsoleSalon)...)
	app.Get("/admin/salons/:slug/edit", org(s.handleEditSalonPage)...)
	app.Post("/admin/salons/:slug/edit", org(s.handleEditSalon)...)
	app.Post("/admin/salons/:slug/publish", org(s.handleConsolePublish)...)
	app.Get("/admin/salons/:slug/cancel", org(s.handleCancelSalonPage)...)
	app.Post("/admin/salons/:slug/cancel", org(s.handleConsoleCancelSalon)...)
	app.Get("/admin/salons/:slug/attendees.csv", org(s.handleAttendeesCSV)...)
	app.Get("/admin/salons/:slug/attendees", org(s.handleConsoleAttendees)...)
	app.Post("/admin/salons/:slug/attendees/:id/cancel", org(s.handleConsoleCancelTicket)...)
	app.Post("/admin/salons/:slug/attendees/:id/checkin", org(s.handleConsoleCheckin)...)
	app.Post("/admin/salons/:slug/attendees/:id/undo", org(s.handleConsoleUndoCheckin)...)
	app.Post("/admin/salons/:slug/door-links", org(s.handleConsoleCreateDoorLink)...)
	app.Post("/admin/salons/:slug/door-links/:id/revoke", org(s.handleConsoleRevokeDoorLink)...)
	app.Get("/admin/outbox", org(s.handleConsoleOutbox)...)
	app.Post("/admin/outbox/:id/retry", org(s.handleConsoleRetry)...)
	app.Get("/admin/audit", org(s.handleConsoleAudit)...)

	app.Get("/admin/users", admin(s.handleUsersPage)...)
	app.Post("/admin/users", admin(s.handleCreateUser)...)
}

// consoleCSRFHandlerKey is where the console's CSRF handler is kept during a
// request, so sign-in and sign-out can rotate the token.
const consoleCSRFHandlerKey = "console_csrf"

// consoleCSRF is the public forms' CSRF configuration with its own cookie:
// two middleware instances sharing one cookie name would each throw away the
// other's tokens (each keeps its own token store).
func (s *Server) consoleCSRF() fiber.Handler {
	return csrf.New(csrf.Config{
		KeyLookup:         "form:_csrf",
		CookieName:        "salon_console_csrf",
		CookieSecure:      s.cfg.Secure(),
		CookieHTTPOnly:    true,
		CookieSameSite:    "Lax",
		Expiration:        2 * time.Hour,
		Storage:           newCSRFStore(2 * time.Hour),
		ContextKey:        csrfKey,
		HandlerContextKey: consoleCSRFHandlerKey,
		KeyGenerator:      tickets.NewToken,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return events.Errorf(events.EFORBIDDEN, "This form has expired; reload the page and try again.")
		},
	})
}

// consolePageNames are the console's templates. Console pages share
// console_nav.html beside the site layout, so they are parsed here rather
// than in newPages.
var consolePageNames = []string{
	"console_home", "console_salon", "console_salon_form", "console_cancel", "console_attendees",
	"console_outbox", "console_audit", "console_tokens", "console_users",
}

func (s *Server) loadConsolePages() error {
	for _, name := range append([]string{"login", "setup"}, consolePageNames...) {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/console_nav.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("app: parse template %s: %w", name, err)
		}
		s.pages.sets[name] = t
	}
	return nil
}
