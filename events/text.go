package events

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckLine reports what is wrong with a single-line text field, or "" when
// it is fine. Control characters (CR and LF included) are refused because they
// break mail headers, CSV rows and calendar lines downstream.
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
	return ""
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
