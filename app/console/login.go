package console

import (
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// Login throttling: attempts are counted in the database per client address
// and per account (the typed email, whether or not it has an account), over
// a sliding window; a successful one is taken back. Past either limit the
// form answers 429 without checking the password at all.
const (
	loginWindow        = 15 * time.Minute
	loginMaxPerAccount = 5
	loginMaxPerAddress = 20
	// maxPasswordBytes keeps absurd input from reaching argon2.
	maxPasswordBytes = 1024
)

// argonSlots bounds concurrent password checks: each one takes 64 MiB, and a
// burst of logins must not exhaust memory.
var argonSlots = make(chan struct{}, max(2, runtime.NumCPU()))

// dummyHash is checked against when an email has no account (or no
// password), so an unknown account costs the same argon2id work as a known
// one and timing does not tell them apart.
var dummyHash = sync.OnceValue(func() string { return web.HashPassword(tickets.NewToken()) })

// checkPassword runs one argon2id verification, waiting for a slot.
func (s *Console) checkPassword(hash, pw string) bool {
	if f := s.d.OnPasswordCheck.Load(); f != nil {
		(*f)()
	}
	argonSlots <- struct{}{}
	defer func() { <-argonSlots }()
	return web.VerifyPassword(hash, pw)
}

type loginPage struct {
	consolePage
	Email string
	Next  string
	Error string
}

func (s *Console) renderLogin(c *fiber.Ctx, status int, email, next, msg string) error {
	p := loginPage{consolePage: s.newConsolePage(c, "login.title"), Email: email, Next: next, Error: msg}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.pages.Render(c, status, "login", p)
}

// LoginPage shows the form even to a signed-in browser, so someone can
// switch accounts; signing in replaces the session.
func (s *Console) LoginPage(c *fiber.Ctx) error {
	return s.renderLogin(c, fiber.StatusOK, "", safeNext(c.Query("next")), "")
}

// Login checks a password. Unknown accounts, accounts without a
// password and wrong passwords get the same answer after the same work.
func (s *Console) Login(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := tickets.NormalizeEmail(c.FormValue("email"))
	pw := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	lang := web.PageLang(c)
	// The attempt is reserved before the password is checked, so a burst
	// sent in parallel gets no more checks than the limit allows. The typed
	// email is the key whether or not it has an account: an unknown one is
	// throttled and costs the same as a known one.
	accountKey := "account:" + email
	att, err := s.d.DB.ReserveLoginAttempt(ctx, loginWindow,
		storage.LoginLimit{Key: "ip:" + c.IP(), Max: loginMaxPerAddress},
		storage.LoginLimit{Key: accountKey, Max: loginMaxPerAccount})
	if err != nil {
		return err
	}
	if !att.Allowed {
		s.d.Log.Warn("login throttled", "ip", c.IP(), "address_attempts", att.Counts[0], "account_attempts", att.Counts[1])
		return s.renderLogin(c, fiber.StatusTooManyRequests, email, next, tr(lang, "login.throttled"))
	}
	if len(pw) > maxPasswordBytes {
		pw = pw[:maxPasswordBytes]
	}
	u, err := s.d.DB.FindUserByEmail(ctx, email)
	if err != nil && events.ErrorCode(err) != events.ENOTFOUND {
		return err
	}
	hash := dummyHash()
	if u != nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	// A disabled account is refused like a wrong password, after the same work.
	ok := s.checkPassword(hash, pw) && u != nil && u.PasswordHash != "" && !u.Disabled()
	if !ok {
		// The reserved attempt stays: it is the failure that counts.
		return s.renderLogin(c, fiber.StatusUnauthorized, email, next, tr(lang, "login.failed"))
	}
	// A right password costs the address nothing and wipes the account's
	// failures, as a failure count should.
	if err := s.d.DB.ReleaseLoginAttempt(ctx, att, accountKey); err != nil {
		return err
	}
	// Whatever session id the browser brought (planted by someone else, or
	// an old one of its own) ends here; the signed-in session is a new id.
	if old := c.Cookies(web.SessionCookie); old != "" {
		if err := s.d.DB.DeleteSession(ctx, old); err != nil {
			return err
		}
	}
	ctx = storage.WithActor(ctx, storage.Actor{UserID: u.ID, Email: u.Email, IP: c.IP()})
	id, err := s.d.DB.CreateSession(ctx, u.ID, web.SessionTTL, c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.d.SetSessionCookie(c, id, s.d.DB.Now().Add(web.SessionTTL))
	s.d.RotateCSRF(c)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// Logout ends the session (a POST with a CSRF token, so no other site
// can sign people out).
func (s *Console) Logout(c *fiber.Ctx) error {
	if id := c.Cookies(web.SessionCookie); id != "" {
		if err := s.d.DB.DeleteSession(c.UserContext(), id); err != nil {
			return err
		}
	}
	s.d.ClearSessionCookie(c)
	s.d.RotateCSRF(c)
	return c.Redirect("/login?ok=logged_out", fiber.StatusSeeOther)
}

// safeNext keeps a post-login redirect inside the console, so the login form
// cannot be used to send people to another site.
func safeNext(next string) string {
	if next == "/admin" || (strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "/admin?")) &&
		!strings.ContainsAny(next, "\\\r\n") && !strings.Contains(next, "//") {
		return next
	}
	return "/admin"
}
