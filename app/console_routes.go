package app

import (
	"embed"
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
)

// consoleRoutes registers the sign-in pages, the first-admin setup link and
// the organizer console under /admin. Every console route checks the session
// itself (no group middleware), and every form carries a CSRF token.
func (s *Server) consoleRoutes(app *fiber.App) {
	if err := s.loadConsolePages(); err != nil {
		panic(err) // the templates are embedded: this is a build mistake
	}
	forms := s.d.ConsoleCSRF()
	app.Get("/login", forms, s.handleLoginPage)
	app.Post("/login", forms, s.handleLogin)
	app.Post("/logout", forms, s.handleLogout)
	app.Get("/setup/:token", forms, s.handleSetupPage)
	app.Post("/setup/:token", forms, s.handleSetup)

	anyone := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{forms, s.d.RequireSession, h} }
	org := func(h fiber.Handler) []fiber.Handler {
		return []fiber.Handler{forms, s.d.RequireSession, web.RequireRole(events.RoleAdmin, events.RoleOrganizer), h}
	}
	admin := func(h fiber.Handler) []fiber.Handler {
		return []fiber.Handler{forms, s.d.RequireSession, web.RequireRole(events.RoleAdmin), h}
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
	app.Get("/admin/salons/:slug/attendees.csv", org(s.handleConsoleAttendeesCSV)...)
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

//go:embed templates/*.html
var templateFS embed.FS

// consolePageNames are the console's templates. Console pages share
// console_nav.html beside the site layout, so they are parsed here rather
// than in newPages.
var consolePageNames = []string{
	"console_home", "console_salon", "console_salon_form", "console_cancel", "console_attendees",
	"console_outbox", "console_audit", "console_tokens", "console_users",
}

func (s *Server) loadConsolePages() error {
	t, err := web.ParseTemplates(templateFS, []string{"templates/console_nav.html"}, append([]string{"login", "setup"}, consolePageNames...)...)
	s.consolePages = t
	return err
}
