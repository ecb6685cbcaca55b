package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

type consoleTokensPage struct {
	consolePage
	Tokens []*storage.APIToken
	// NewToken is a token just made: shown this once, never stored.
	NewToken string
	Errors   map[string]string
	Label    string
}

func (s *Server) renderTokens(c *fiber.Ctx, status int, newToken, label string, errs map[string]string) error {
	u := currentUser(c)
	list, err := s.db.FindAPITokens(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	p := consoleTokensPage{consolePage: s.newConsolePage(c, "console.tokens"), Tokens: list, NewToken: newToken, Errors: errs, Label: label}
	return s.render(c, status, "console_tokens", p)
}

// handleTokensPage lists the account's own API tokens. Staff use one as the
// door page's key, so every role may come here.
func (s *Server) handleTokensPage(c *fiber.Ctx) error {
	return s.renderTokens(c, fiber.StatusOK, "", "", nil)
}

func (s *Server) handleCreateToken(c *fiber.Ctx) error {
	u := currentUser(c)
	label := strings.TrimSpace(c.FormValue("label"))
	token, err := s.db.CreateAPIToken(c.UserContext(), u.ID, label)
	if err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderTokens(c, errStatus(err), "", label, consoleFieldMessages(pageLang(c), err))
	}
	return s.renderTokens(c, fiber.StatusOK, token, "", nil)
}

func (s *Server) handleRevokeToken(c *fiber.Ctx) error {
	u := currentUser(c)
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return events.Errorf(events.ENOTFOUND, "Token not found.")
	}
	if err := s.db.RevokeAPIToken(c.UserContext(), u.ID, int64(id)); err != nil {
		return err
	}
	return c.Redirect("/admin/tokens?ok=revoked", fiber.StatusSeeOther)
}

type consoleUsersPage struct {
	consolePage
	Users  []*events.User
	Roles  []string
	Form   events.User
	Errors map[string]string
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, form events.User, errs map[string]string) error {
	list, err := s.db.FindUsers(c.UserContext())
	if err != nil {
		return err
	}
	if form.Role == "" {
		form.Role = events.RoleOrganizer
	}
	p := consoleUsersPage{consolePage: s.newConsolePage(c, "console.users"), Users: list, Form: form, Errors: errs,
		Roles: []string{events.RoleOrganizer, events.RoleStaff, events.RoleAdmin}}
	return s.render(c, status, "console_users", p)
}

func (s *Server) handleUsersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, events.User{}, nil)
}

// handleCreateUser adds an account. The password is optional: without one
// the account can only use API tokens until a password is set.
func (s *Server) handleCreateUser(c *fiber.Ctx) error {
	lang := pageLang(c)
	u := events.User{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role")}
	if pw := c.FormValue("password"); pw != "" {
		if CheckPassword(pw) != "" {
			return s.renderUsers(c, fiber.StatusUnprocessableEntity, u, map[string]string{"password": tr(lang, "console.err.password")})
		}
		u.PasswordHash = HashPassword(pw)
	}
	form := u
	if err := s.db.CreateUser(c.UserContext(), &u); err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		form.PasswordHash = ""
		return s.renderUsers(c, errStatus(err), form, consoleFieldMessages(lang, err))
	}
	return c.Redirect("/admin/users?ok=user", fiber.StatusSeeOther)
}
