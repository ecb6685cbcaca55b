package console

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

type setupPage struct {
	consolePage
	Token  string
	Email  string
	Name   string
	Errors map[string]string
}

// SetupPage shows the first-admin form of a setup link.
func (s *Console) SetupPage(c *fiber.Ctx) error {
	token := c.Params("token")
	if err := s.d.DB.CheckSetupToken(c.UserContext(), token); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.pages.Render(c, fiber.StatusOK, "setup", setupPage{consolePage: s.newConsolePage(c, "setup.title"), Token: token})
}

// Setup creates the first admin from the setup form. The link is spent
// in the same transaction, so it works once.
func (s *Console) Setup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	token := strings.Clone(c.Params("token"))
	if err := s.d.DB.CheckSetupToken(ctx, token); err != nil {
		return err
	}
	p := setupPage{consolePage: s.newConsolePage(c, "setup.title"), Token: token,
		Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name"))}
	pw := c.FormValue("password")
	u := &events.User{Email: p.Email, Name: p.Name}
	errs := map[string]string{}
	if msg := web.CheckPassword(pw); msg != "" {
		errs["password"] = p.T("console.err.password")
	} else if pw != c.FormValue("password2") {
		errs["password2"] = p.T("console.err.password_match")
	}
	if len(errs) == 0 {
		u.PasswordHash = web.HashPassword(pw)
		err := s.d.DB.UseSetupToken(storage.WithActor(ctx, storage.Actor{IP: c.IP()}), token, u)
		if err == nil {
			s.d.Log.Info("first admin created", "email", u.Email)
			return c.Redirect("/login?ok=setup", fiber.StatusSeeOther)
		}
		if events.ErrorCode(err) == events.ENOTFOUND || events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		errs = consoleFieldMessages(p.Lang, err)
	} else if msg := tickets.ValidateEmail(tickets.NormalizeEmail(p.Email)); msg != "" {
		errs["email"] = p.T("err.invalid_email")
	}
	p.Errors = errs
	return s.pages.Render(c, fiber.StatusUnprocessableEntity, "setup", p)
}
