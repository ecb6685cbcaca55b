package console

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
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

func (s *Console) renderTokens(c *fiber.Ctx, status int, newToken, label string, errs map[string]string) error {
	u := web.CurrentUser(c)
	list, err := s.d.DB.FindAPITokens(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	p := consoleTokensPage{consolePage: s.newConsolePage(c, "console.tokens"), Tokens: list, NewToken: newToken, Errors: errs, Label: label}
	return s.pages.Render(c, status, "console_tokens", p)
}

// TokensPage lists the account's own API tokens. Staff use one as the
// door page's key, so every role may come here.
func (s *Console) TokensPage(c *fiber.Ctx) error {
	return s.renderTokens(c, fiber.StatusOK, "", "", nil)
}

// CreateToken makes an API token for the signed-in account and shows it
// this once.
func (s *Console) CreateToken(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	label := strings.TrimSpace(c.FormValue("label"))
	token, err := s.d.DB.CreateAPIToken(c.UserContext(), u.ID, label)
	if err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderTokens(c, web.ErrStatus(err), "", label, consoleFieldMessages(web.PageLang(c), err))
	}
	return s.renderTokens(c, fiber.StatusOK, token, "", nil)
}

// RevokeToken revokes one of the account's own API tokens.
func (s *Console) RevokeToken(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return events.Errorf(events.ENOTFOUND, "Token not found.")
	}
	if err := s.d.DB.RevokeAPIToken(c.UserContext(), u.ID, int64(id)); err != nil {
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
	// Link is a one-time password link just made, for LinkFor: shown
	// this once, never stored in clear. Mailed says it was mailed too.
	Link    string
	LinkFor string
	Mailed  bool
}

func (s *Console) renderUsers(c *fiber.Ctx, status int, form events.User, errs map[string]string) error {
	return s.renderUsersPage(c, status, consoleUsersPage{Form: form, Errors: errs})
}

func (s *Console) renderUsersPage(c *fiber.Ctx, status int, p consoleUsersPage) error {
	form := p.Form
	list, err := s.d.DB.FindUsers(c.UserContext())
	if err != nil {
		return err
	}
	if form.Role == "" {
		form.Role = events.RoleOrganizer
	}
	p.consolePage, p.Users, p.Form = s.newConsolePage(c, "console.users"), list, form
	p.Roles = []string{events.RoleOrganizer, events.RoleStaff, events.RoleAdmin}
	return s.pages.Render(c, status, "console_users", p)
}

// UsersPage lists the accounts, for admins.
func (s *Console) UsersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, events.User{}, nil)
}

// CreateUser adds an account. With a password it can sign in at once;
// without one it gets an invitation: a one-time link where its owner
// sets a password, shown here once and mailed when mail is sent.
func (s *Console) CreateUser(c *fiber.Ctx) error {
	lang := web.PageLang(c)
	u := events.User{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role")}
	if pw := c.FormValue("password"); pw != "" {
		if web.CheckPassword(pw) != "" {
			return s.renderUsers(c, fiber.StatusUnprocessableEntity, u, map[string]string{"password": tr(lang, "console.err.password")})
		}
		u.PasswordHash = web.HashPassword(pw)
	}
	form := u
	if err := s.d.DB.CreateUser(c.UserContext(), &u); err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		form.PasswordHash = ""
		return s.renderUsers(c, web.ErrStatus(err), form, consoleFieldMessages(lang, err))
	}
	if u.PasswordHash == "" {
		return s.showLink(c, &u, storage.LinkInvite)
	}
	return c.Redirect("/admin/users?ok=user", fiber.StatusSeeOther)
}
