package app

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// setupTTL is how long the first-admin link printed by `salon serve` works.
const setupTTL = 24 * time.Hour

// SetupLink returns a one-time link that creates the first admin account,
// or "" when an admin exists. Each call replaces the previous link; only
// the token's hash is stored.
func (s *Server) SetupLink(ctx context.Context) (string, error) {
	has, err := s.db.HasAdmin(ctx)
	if err != nil || has {
		return "", err
	}
	token, err := s.db.CreateSetupToken(ctx, setupTTL)
	if err != nil {
		return "", err
	}
	return s.cfg.BaseURL + "/setup/" + token, nil
}

type setupPage struct {
	consolePage
	Token  string
	Email  string
	Name   string
	Errors map[string]string
}

func (s *Server) handleSetupPage(c *fiber.Ctx) error {
	token := c.Params("token")
	if err := s.db.CheckSetupToken(c.UserContext(), token); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusOK, "setup", setupPage{consolePage: s.newConsolePage(c, "setup.title"), Token: token})
}

// handleSetup creates the first admin from the setup form. The link is spent
// in the same transaction, so it works once.
func (s *Server) handleSetup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	token := strings.Clone(c.Params("token"))
	if err := s.db.CheckSetupToken(ctx, token); err != nil {
		return err
	}
	p := setupPage{consolePage: s.newConsolePage(c, "setup.title"), Token: token,
		Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name"))}
	pw := c.FormValue("password")
	u := &events.User{Email: p.Email, Name: p.Name}
	errs := map[string]string{}
	if msg := CheckPassword(pw); msg != "" {
		errs["password"] = p.T("console.err.password")
	} else if pw != c.FormValue("password2") {
		errs["password2"] = p.T("console.err.password_match")
	}
	if len(errs) == 0 {
		u.PasswordHash = HashPassword(pw)
		err := s.db.UseSetupToken(storage.WithActor(ctx, storage.Actor{IP: c.IP()}), token, u)
		if err == nil {
			s.log.Info("first admin created", "email", u.Email)
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
	return s.render(c, fiber.StatusUnprocessableEntity, "setup", p)
}
