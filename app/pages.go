package app

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/events"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds the parsed templates, one set per page so each can define its
// own "content" inside the shared layout.
type pages struct {
	sets map[string]*template.Template
}

var funcs = template.FuncMap{
	"safeURL": func(s string) template.URL { return template.URL(s) },
	"static":  staticURL,
}

func newPages() (*pages, error) {
	p := &pages{sets: map[string]*template.Template{}}
	for _, name := range []string{"index", "salon", "ticket", "error", "door"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("app: parse template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// page is what every template gets: the reader's language and the CSRF token.
type page struct {
	Lang  string
	Title string
	CSRF  string
	Path  string
}

// T translates key into the page's language.
func (p page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// When writes a salon's time range in its own zone for the page's language.
func (p page) When(s *events.Salon) string { return formatRange(p.Lang, s) }

// WhenLocal is When without the zone; pages show the zone beside it in an
// element that static/app.js hides when the reader's browser is in that zone.
func (p page) WhenLocal(s *events.Salon) string { return formatLocalRange(p.Lang, s) }

// formatRange writes a salon's time range the way the language writes
// dates ("12月5日 周六 19:00–21:30", "Sat 5 Dec, 19:00–21:30"), in the
// salon's zone, with the zone named.
func formatRange(lang string, s *events.Salon) string {
	return formatLocalRange(lang, s) + " (" + s.Timezone + ")"
}

func formatLocalRange(lang string, s *events.Salon) string {
	loc := s.Location()
	a, b := s.StartsAt.In(loc), s.EndsAt.In(loc)
	end := b.Format("15:04")
	if a.YearDay() != b.YearDay() || a.Year() != b.Year() {
		end = formatTime(lang, b, loc)
	}
	return formatTime(lang, a, loc) + "–" + end
}

var zhWeekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func formatTime(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if lang == "zh" {
		return fmt.Sprintf("%d月%d日 %s %s", t.Month(), t.Day(), zhWeekdays[t.Weekday()], t.Format("15:04"))
	}
	return t.Format("Mon 2 Jan, 15:04")
}

// newPage starts the data of a page for this request.
func (s *Server) newPage(c *fiber.Ctx, title string) page {
	tok, _ := c.Locals(csrfKey).(string)
	return page{Lang: pageLang(c), Title: title, CSRF: tok, Path: c.Path()}
}

// pageLang picks the reader's language: the lang cookie, else
// Accept-Language, else English.
func pageLang(c *fiber.Ctx) string {
	if l := c.Cookies("lang"); l == "en" || l == "zh" {
		return l
	}
	return i18n.Match(c.Get(fiber.HeaderAcceptLanguage))
}

// render executes a page into a buffer first, so a template error is a clean
// 500 rather than half a page.
func (s *Server) render(c *fiber.Ctx, status int, name string, data any) error {
	body, err := s.renderBytes(name, data)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(body)
}

func errNoPage(name string) error { return fmt.Errorf("app: no page %q", name) }

type errorPage struct {
	page
	Status  int
	Message string
}

// renderError shows an error as a page; only client-safe messages get here.
func (s *Server) renderError(c *fiber.Ctx, status int, code, msg string) error {
	p := s.newPage(c, i18n.T(pageLang(c), "error.title"))
	if code == events.ENOTFOUND {
		msg = p.T("error.not_found")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := s.render(c, status, "error", errorPage{page: p, Status: status, Message: msg}); err != nil {
		s.log.Error("render error page", "err", err)
		return c.Status(status).SendString(msg)
	}
	return nil
}

// fieldMessages translates a validation error's fields for a form; any
// other error gives none.
func fieldMessages(lang string, err error) map[string]string {
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.EINVALID {
		return nil
	}
	return translateFields(lang, e.Fields)
}
