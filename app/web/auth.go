package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

const userKey = "user"

// RequireToken authenticates organizer API calls with a Bearer token.
func (d *Deps) RequireToken(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="salon"`)
		return events.Errorf(events.EUNAUTHORIZED, "An API token is required (Authorization: Bearer <token>).")
	}
	u, err := d.DB.FindUserByAPIToken(c.UserContext(), token)
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="salon", error="invalid_token"`)
		return err
	}
	setUser(c, u, "api")
	return c.Next()
}

// setUser makes u the request's user, and its actor for the audit log:
// the store records audited writes made with the request's context as u's.
func setUser(c *fiber.Ctx, u *events.User, via string) {
	c.Locals(userKey, u)
	c.SetUserContext(storage.WithActor(c.UserContext(), storage.Actor{UserID: u.ID, Email: u.Email, IP: c.IP(), Via: via}))
}

// CurrentUser is the user a token or a session authenticated, or nil.
func CurrentUser(c *fiber.Ctx) *events.User {
	u, _ := c.Locals(userKey).(*events.User)
	return u
}

// ManagedSalon loads the salon named in the URL and checks that the current
// user may manage it. Another organizer's salon is 403, so ids cannot be
// probed through 404s only by people who already hold an account.
func (d *Deps) ManagedSalon(c *fiber.Ctx) (*events.Salon, *events.User, error) {
	u := CurrentUser(c)
	sa, err := d.DB.FindSalonBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, nil, err
	}
	if u == nil || !u.CanManage(sa) {
		return nil, nil, events.Errorf(events.EFORBIDDEN, "You may not manage this salon.")
	}
	return sa, u, nil
}
