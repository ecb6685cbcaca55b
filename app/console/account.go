package console

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

type accountPage struct {
	consolePage
	Name   string
	Errors map[string]string
}

func (s *Console) renderAccount(c *fiber.Ctx, status int, name string, errs map[string]string) error {
	p := accountPage{consolePage: s.newConsolePage(c, "console.account"), Name: name, Errors: errs}
	return s.pages.Render(c, status, "console_account", p)
}

// AccountPage is where the signed-in account changes its own name and
// password; every role may come here, and only for itself.
func (s *Console) AccountPage(c *fiber.Ctx) error {
	return s.renderAccount(c, fiber.StatusOK, web.CurrentUser(c).Name, nil)
}

// UpdateAccount changes the signed-in account's name.
func (s *Console) UpdateAccount(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	name := strings.TrimSpace(c.FormValue("name"))
	if err := s.d.DB.SetUserName(c.UserContext(), u.ID, name); err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderAccount(c, web.ErrStatus(err), name, consoleFieldMessages(web.PageLang(c), err))
	}
	return c.Redirect("/admin/account?ok=saved", fiber.StatusSeeOther)
}

// ChangePassword replaces the signed-in account's password and ends the
// account's other sessions, keeping this one. The current
// one is asked for, so a browser left signed in cannot be used to take the
// account over; wrong guesses count against the sign-in throttle.
func (s *Console) ChangePassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := web.CurrentUser(c)
	lang := web.PageLang(c)
	current, pw := c.FormValue("current"), c.FormValue("password")
	errs := map[string]string{}
	if web.CheckPassword(pw) != "" {
		errs["password"] = tr(lang, "console.err.password")
	} else if pw != c.FormValue("password2") {
		errs["password2"] = tr(lang, "console.err.password_match")
	}
	if len(errs) > 0 {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, u.Name, errs)
	}
	accountKey := "account:" + u.Email
	att, err := s.d.DB.ReserveLoginAttempt(ctx, loginWindow,
		storage.LoginLimit{Key: "ip:" + c.IP(), Max: loginMaxPerAddress},
		storage.LoginLimit{Key: accountKey, Max: loginMaxPerAccount})
	if err != nil {
		return err
	}
	if !att.Allowed {
		return s.renderAccount(c, fiber.StatusTooManyRequests, u.Name, map[string]string{"current": tr(lang, "login.throttled")})
	}
	if len(current) > maxPasswordBytes {
		current = current[:maxPasswordBytes]
	}
	hash := dummyHash()
	if u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	if !s.checkPassword(hash, current) || u.PasswordHash == "" {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, u.Name, map[string]string{"current": tr(lang, "console.err.current_password")})
	}
	if err := s.d.DB.ReleaseLoginAttempt(ctx, att, accountKey); err != nil {
		return err
	}
	// Every other browser signed in to the account is signed out: a
	// password is changed most often because another device may know it.
	if err := s.d.DB.ChangePassword(ctx, u.ID, web.HashPassword(pw), c.Cookies(web.SessionCookie)); err != nil {
		return err
	}
	return c.Redirect("/admin/account?ok=password", fiber.StatusSeeOther)
}
