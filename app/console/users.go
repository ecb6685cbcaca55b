package console

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// managedUser loads the account named in the URL, for an admin's action.
func (s *Console) managedUser(c *fiber.Ctx) (*events.User, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, events.Errorf(events.ENOTFOUND, "Account not found.")
	}
	return s.d.DB.FindUserByID(c.UserContext(), int64(id))
}

// showLink makes a one-time password link for u and shows it on the
// Accounts page, this once; it is mailed to u as well when mail is sent.
func (s *Console) showLink(c *fiber.Ctx, u *events.User, purpose string) error {
	r := storage.InviteRequest{UserID: u.ID, Purpose: purpose}
	if s.d.MailSends {
		r.MailURL, r.Lang = s.d.BaseURL+web.InvitePath, web.PageLang(c)
	}
	token, err := s.d.DB.CreateInvite(c.UserContext(), r)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderUsersPage(c, fiber.StatusOK, consoleUsersPage{Link: s.d.BaseURL + web.InvitePath + token, LinkFor: u.Email, Mailed: r.MailURL != ""})
}

// ResetUser makes a new one-time password link for an account, for an
// owner who lost theirs (or never used the first); the older links stop.
func (s *Console) ResetUser(c *fiber.Ctx) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	purpose := storage.LinkReset
	if u.PasswordHash == "" {
		purpose = storage.LinkInvite
	}
	return s.showLink(c, u, purpose)
}

// DisableUser stops an account: its sessions end and its API tokens stop
// at once. An admin cannot disable their own account, so one admin who
// can sign in always remains.
func (s *Console) DisableUser(c *fiber.Ctx) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if u.ID == web.CurrentUser(c).ID {
		return &events.Error{Code: events.ECONFLICT, Message: tr(web.PageLang(c), "console.err.disable_self")}
	}
	if err := s.d.DB.DisableUser(c.UserContext(), u.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/users?ok=disabled", fiber.StatusSeeOther)
}

// EnableUser lets a disabled account sign in again.
func (s *Console) EnableUser(c *fiber.Ctx) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if err := s.d.DB.EnableUser(c.UserContext(), u.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/users?ok=enabled", fiber.StatusSeeOther)
}
