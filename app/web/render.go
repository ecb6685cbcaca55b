package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/events"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates holds a surface's parsed pages, one set per page so each can
// define its own "content" inside the shared layout.
type Templates struct {
	sets map[string]*template.Template
}

// Funcs are the template functions every page may use.
var Funcs = template.FuncMap{
	"safeURL": func(s string) template.URL { return template.URL(s) },
	"static":  staticURL,
}

// ParseTemplates parses each named page of fsys (templates/<name>.html)
// into the shared layout, with the shared files of fsys beside each (a
// surface's navigation). A nil fsys is this package's own pages.
func ParseTemplates(fsys fs.FS, shared []string, names ...string) (*Templates, error) {
	if fsys == nil {
		fsys = templateFS
	}
	ts := &Templates{sets: map[string]*template.Template{}}
	for _, name := range names {
		t, err := template.New("layout.html").Funcs(Funcs).ParseFS(templateFS, "templates/layout.html")
		if err == nil {
			t, err = t.ParseFS(fsys, append(append([]string(nil), shared...), "templates/"+name+".html")...)
		}
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		ts.sets[name] = t
	}
	return ts, nil
}

// Bytes executes a page template into bytes.
func (ts *Templates) Bytes(name string, data any) ([]byte, error) {
	t, ok := ts.sets[name]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// Render executes a page into a buffer first, so a template error is a
// clean 500 rather than half a page.
func (ts *Templates) Render(c *fiber.Ctx, status int, name string, data any) error {
	body, err := ts.Bytes(name, data)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(body)
}

// Page is what every template gets: the reader's language and the CSRF token.
type Page struct {
	Lang  string
	Title string
	CSRF  string
	Path  string
}

// T translates key into the page's language.
func (p Page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// When writes a salon's time range in its own zone for the page's language.
func (p Page) When(s *events.Salon) string { return FormatRange(p.Lang, s) }

// WhenLocal is When without the zone; pages show the zone beside it in an
// element that static/app.js hides when the reader's browser is in that zone.
func (p Page) WhenLocal(s *events.Salon) string { return FormatLocalRange(p.Lang, s) }

// FormatRange writes a salon's time range the way the language writes
// dates ("12月5日 周六 19:00–21:30", "Sat 5 Dec, 19:00–21:30"), in the
// salon's zone, with the zone named.
func FormatRange(lang string, s *events.Salon) string {
	return FormatLocalRange(lang, s) + Zone(lang, s.Timezone)
}

// Zone writes a zone's name in parentheses to follow a time: " (zone)",
// or in Chinese "（zone）", full-width and with no space before it.
func Zone(lang, tz string) string {
	if lang == "zh" {
		return "（" + tz + "）"
	}
	return " (" + tz + ")"
}

// Zone is the package's Zone in the page's language.
func (p Page) Zone(tz string) string { return Zone(p.Lang, tz) }

// Optional marks a form label as optional: " (optional)", or in Chinese
// "（选填）" with no space before the full-width parenthesis.
func (p Page) Optional() template.HTML {
	sep := " "
	if p.Lang == "zh" {
		sep = ""
	}
	return template.HTML(sep + `<span class="opt">` + template.HTMLEscapeString(Paren(p.Lang, p.T("form.optional"))) + `</span>`)
}

// Paren puts s in parentheses, full-width in Chinese.
func Paren(lang, s string) string {
	if lang == "zh" {
		return "（" + s + "）"
	}
	return "(" + s + ")"
}

// FormatLocalRange is FormatRange without the zone.
func FormatLocalRange(lang string, s *events.Salon) string {
	loc := s.Location()
	a, b := s.StartsAt.In(loc), s.EndsAt.In(loc)
	end := b.Format("15:04")
	if a.YearDay() != b.YearDay() || a.Year() != b.Year() {
		end = FormatTime(lang, b, loc)
	}
	return FormatTime(lang, a, loc) + "–" + end
}

var zhWeekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// FormatTime writes one instant as the language writes dates, in loc.
func FormatTime(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if lang == "zh" {
		return fmt.Sprintf("%d月%d日 %s %s", t.Month(), t.Day(), zhWeekdays[t.Weekday()], t.Format("15:04"))
	}
	return t.Format("Mon 2 Jan, 15:04")
}

// NewPage starts the data of a page for this request.
func NewPage(c *fiber.Ctx, title string) Page {
	tok, _ := c.Locals(CSRFKey).(string)
	return Page{Lang: PageLang(c), Title: title, CSRF: tok, Path: c.Path()}
}

// PageLang picks the reader's language: the lang cookie, else
// Accept-Language, else English.
func PageLang(c *fiber.Ctx) string {
	if l := c.Cookies("lang"); l == "en" || l == "zh" {
		return l
	}
	return i18n.Match(c.Get(fiber.HeaderAcceptLanguage))
}

type errorPage struct {
	Page
	Status  int
	Message string
}

// renderError shows an error as a page; only client-safe messages get here.
func (d *Deps) renderError(c *fiber.Ctx, status int, code, msg string) error {
	p := NewPage(c, i18n.T(PageLang(c), "error.title"))
	if code == events.ENOTFOUND {
		msg = p.T("error.not_found")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := d.errors.Render(c, status, "error", errorPage{Page: p, Status: status, Message: msg}); err != nil {
		d.Log.Error("render error page", "err", err)
		return c.Status(status).SendString(msg)
	}
	return nil
}

// FieldMessages translates a validation error's fields for a form; any
// other error gives none.
func FieldMessages(lang string, err error) map[string]string {
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.EINVALID {
		return nil
	}
	return TranslateFields(lang, e.Fields)
}
