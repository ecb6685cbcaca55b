package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// HandleLang switches the reader's language: it sets the lang cookie and
// goes back to the page it came from. It is a link, not a form, so it works
// on every page with or without a CSRF token; it changes nothing on the
// server, only the reader's own preference.
func (d *Deps) HandleLang(c *fiber.Ctx) error {
	lang := c.Params("lang")
	if lang != "en" && lang != "zh" {
		return fiber.ErrNotFound
	}
	c.Cookie(&fiber.Cookie{Name: "lang", Value: lang, Path: "/", Expires: time.Now().AddDate(1, 0, 0),
		Secure: d.Secure, HTTPOnly: true, SameSite: "Lax"})
	return c.Redirect(localPath(c.Query("next")), fiber.StatusSeeOther)
}

// localPath keeps a redirect on this site: only an absolute path, never
// "//host" or "/\host" (which browsers treat as another site) or a scheme.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsAny(p, "\r\n\t") || len(p) > 2000 {
		return "/"
	}
	return p
}

// PageLangOwn is PageLang for a page that has a language of its own, such
// as a ticket, read in the language its RSVP was made in: a link forwarded
// to a phone set to another language still reads as its holder chose. The
// reader's explicit switch (the lang cookie, set only by HandleLang) still
// wins; Accept-Language decides only when own is not a supported language.
func PageLangOwn(c *fiber.Ctx, own string) string {
	if l := c.Cookies("lang"); l == "en" || l == "zh" {
		return l
	}
	if own == "en" || own == "zh" {
		return own
	}
	return PageLang(c)
}

// NewPageIn is NewPage in a language the handler chose (see PageLangOwn).
func NewPageIn(c *fiber.Ctx, lang, title string) Page {
	p := NewPage(c, title)
	p.Lang = lang
	return p
}
