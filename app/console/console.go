// Package console is the organizer console under /admin, with sign-in,
// sign-out and the first-admin setup link: salons, attendees, door links,
// mail, the audit log, API tokens and accounts, behind a session cookie and
// a CSRF token on every form. It imports no other surface.
package console

import (
	"embed"

	"salon/app/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// consolePageNames are the console's templates. Console pages share
// console_nav.html beside the layout.
var consolePageNames = []string{
	"console_home", "console_salon", "console_salon_form", "console_cancel", "console_attendees",
	"console_outbox", "console_audit", "console_tokens", "console_users", "console_account", "console_webhooks", "console_webhook",
	"console_industries",
}

// Console serves the console pages and forms.
type Console struct {
	d     *web.Deps
	pages *web.Templates
}

// New builds the console on the kernel.
func New(d *web.Deps) (*Console, error) {
	t, err := web.ParseTemplates(templateFS, []string{"templates/console_nav.html", "templates/console_questions.html"}, append([]string{"login", "setup", "invite"}, consolePageNames...)...)
	if err != nil {
		return nil, err
	}
	return &Console{d: d, pages: t}, nil
}
