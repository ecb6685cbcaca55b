package events

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckLine reports what is wrong with a single-line text field, or "" when
// it is fine. Control characters (CR and LF included) are refused because they
// break mail headers, CSV rows and calendar lines downstream. Text direction
// controls are refused because they make a name display as something else
// ("Ana\u202e moc.live@ssap" shows as an address in the console and in mail),
// and a value that shows nothing at all (zero-width and format characters,
// Hangul fillers) is refused because it reads as empty where it is shown.
func CheckLine(s string, min, max int) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n < min && n == 0:
		return "required"
	case n < min:
		return "too short"
	case n > max:
		return "too long"
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "must not contain control characters or line breaks"
		}
	}
	for _, r := range s {
		if isBidiControl(r) {
			return "must not contain text direction controls"
		}
	}
	if s != "" && !hasVisible(s) {
		return "must contain visible characters"
	}
	return ""
}

// isBidiControl reports the embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which reorder the text around them. The
// marks (U+200E, U+200F, U+061C) are let through: they cannot reorder
// letters of the other direction, and right-to-left keyboards insert them.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// hasVisible reports whether s holds at least one character that shows.
func hasVisible(s string) bool {
	for _, r := range s {
		if !isInvisible(r) {
			return true
		}
	}
	return false
}

// isInvisible reports characters that show nothing by themselves: spaces,
// format characters (zero-width space and joiners, marks of direction, soft
// hyphen, byte-order mark), variation selectors and the other default
// ignorable ones such as the Hangul fillers, and the blank braille pattern.
func isInvisible(r rune) bool {
	return unicode.IsSpace(r) || r == '\u2800' ||
		unicode.In(r, unicode.Zs, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// CollapseSpace trims s and turns each run of spaces (Unicode Zs) inside it
// into one ASCII space. Line breaks and control characters are kept, for the
// checks to refuse.
func CollapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool {
		return unicode.Is(unicode.Zs, r)
	}), " ")
}

// CheckText is CheckLine for multi-line text: LF, CR and tab are allowed.
func CheckText(s string, max int) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	if utf8.RuneCountInString(s) > max {
		return "too long"
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			return "must not contain control characters"
		}
	}
	return ""
}

// NormalizeText trims surrounding space and turns CRLF and CR into LF.
func NormalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}
