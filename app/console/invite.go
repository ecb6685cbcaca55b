package console

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

type invitePage struct {
	consolePage
	Token   string
	Account *events.User
	Expired bool
	Errors  map[string]string
}

// renderInviteError answers a link that cannot be used: an expired one
// says so (410), any other is the plain not-found page.
func (s *Console) renderInviteError(c *fiber.Ctx, err error) error {
	if !errors.Is(err, storage.ErrLinkExpired) {
		return err
	}
	return s.pages.Render(c, fiber.StatusGone, "invite", invitePage{consolePage: s.newConsolePage(c, "invite.title"), Expired: true})
}

// InvitePage shows the form of a one-time password link.
func (s *Console) InvitePage(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	token := c.Params("token")
	u, err := s.d.DB.CheckInvite(c.UserContext(), token)
	if err != nil {
		return s.renderInviteError(c, err)
	}
	return s.pages.Render(c, fiber.StatusOK, "invite", invitePage{consolePage: s.newConsolePage(c, "invite.title"), Token: token, Account: u})
}

// Invite sets the password of a one-time link's account. The link is
// spent in the same write, so it works once.
func (s *Console) Invite(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx := c.UserContext()
	token := strings.Clone(c.Params("token"))
	u, err := s.d.DB.CheckInvite(ctx, token)
	if err != nil {
		return s.renderInviteError(c, err)
	}
	p := invitePage{consolePage: s.newConsolePage(c, "invite.title"), Token: token, Account: u}
	pw := c.FormValue("password")
	if web.CheckPassword(pw) != "" {
		p.Errors = map[string]string{"password": p.T("console.err.password")}
	} else if pw != c.FormValue("password2") {
		p.Errors = map[string]string{"password2": p.T("console.err.password_match")}
	}
	if p.Errors != nil {
		return s.pages.Render(c, fiber.StatusUnprocessableEntity, "invite", p)
	}
	if _, err := s.d.DB.UseInvite(storage.WithActor(ctx, storage.Actor{IP: c.IP()}), token, web.HashPassword(pw)); err != nil {
		return s.renderInviteError(c, err)
	}
	return c.Redirect("/login?ok=password_set", fiber.StatusSeeOther)
}
