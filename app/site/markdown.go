package site

import (
	"bytes"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// markdown turns a description into HTML. It keeps goldmark's defaults
// where they matter: raw HTML in the source is omitted, not passed through,
// and text is escaped. Line breaks are kept as organizers see them in the
// form's text box, and bare web addresses become links.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify),
	goldmark.WithRendererOptions(gmhtml.WithHardWraps()),
)

// ugc is the second line of defence on goldmark's output: only the tags and
// attributes of user content survive (no script, style or event handlers,
// links only to http, https and mailto), and links to other sites get
// rel="nofollow noopener" and open in a new tab, so a description cannot
// lend the site's standing to spam or reach back through window.opener.
var ugc = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

// plain keeps text only, for the link preview's description.
var plain = bluemonday.StrictPolicy()

// descriptionHTML is a salon description as safe HTML for its page.
func descriptionHTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when its writer does; a bytes.Buffer does not.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(ugc.SanitizeBytes(buf.Bytes()))
}

// descriptionText is a description as one line of plain text of at most
// max characters, for link previews in chat apps.
func descriptionText(src string, max int) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return ""
	}
	text := html.UnescapeString(plain.Sanitize(buf.String()))
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	r := []rune(text)
	return strings.TrimSpace(string(r[:max])) + "…"
}
