package events

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file writes iCalendar content lines by hand instead of through
// golang-ical's serializer, which (v0.3.4) backslash-escapes parameter values
// (RFC 5545 has no escapes there, so CN="Ana\, Lima" shows the backslash),
// keeps CR in TEXT values and folds at word boundaries it guesses from '<'
// and '>'. golang-ical is still used by the tests as an independent parser.

const (
	icalLineMax  = 75 // octets per physical line, CRLF excluded (RFC 5545 3.1)
	icalUTC      = "20060102T150405Z"
	icalLocal    = "20060102T150405"
	icalCRLF     = "\r\n"
	icalFoldLead = ' '
)

// icalWriter appends content lines to a buffer. Every value that reaches it
// has been made safe by escapeText, paramValue or cleanURI, so no input can
// start a line of its own.
type icalWriter struct {
	b    bytes.Buffer
	line []byte // scratch for one unfolded content line
}

// icalParam is one property parameter; its value is raw and gets quoted and
// cleaned by the writer.
type icalParam struct{ name, value string }

// prop writes one property whose value is already in its final encoded form
// (escaped TEXT, a date, a URI). Parameters with empty values are left out.
func (w *icalWriter) prop(name, value string, params ...icalParam) {
	w.line = append(w.line[:0], name...)
	for _, p := range params {
		if p.value == "" {
			continue
		}
		w.line = append(w.line, ';')
		w.line = append(w.line, p.name...)
		w.line = append(w.line, '=')
		w.line = appendParamValue(w.line, p.value)
	}
	w.line = append(w.line, ':')
	w.line = append(w.line, value...)
	w.fold(w.line)
}

// text writes a TEXT property, escaping the value.
func (w *icalWriter) text(name, value string, params ...icalParam) {
	w.prop(name, escapeText(value), params...)
}

// utc writes a DATE-TIME property in UTC form ("...Z").
func (w *icalWriter) utc(name string, t time.Time) {
	w.prop(name, t.UTC().Format(icalUTC))
}

// fold writes line as one or more physical lines of at most 75 octets. It cuts
// only at UTF-8 character starts, so every physical line is valid UTF-8 on its
// own (RFC 5545 3.1 asks for that: "SHOULD NOT" split a character), and never
// between a backslash and the character it escapes, which RFC-compliant
// parsers would tolerate but some naive ones do not.
func (w *icalWriter) fold(line []byte) {
	limit := icalLineMax
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if oddBackslashesBefore(line, cut) {
			cut--
		}
		w.b.Write(line[:cut])
		w.b.WriteString(icalCRLF)
		w.b.WriteByte(icalFoldLead)
		line = line[cut:]
		limit = icalLineMax - 1 // the leading space counts
	}
	w.b.Write(line)
	w.b.WriteString(icalCRLF)
}

// oddBackslashesBefore reports whether the run of backslashes ending just
// before i is odd, that is whether line[i] is the character being escaped.
func oddBackslashesBefore(line []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && line[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// cleanText is what a TEXT value may hold: valid UTF-8, CR dropped (CRLF
// and LF both become one LF), and no control characters other than LF and
// tab, which RFC 5545 TSAFE-CHAR forbids and which some clients render as
// garbage. Tests use it as the definition of "normalized input".
func cleanText(s string) string {
	if !needsClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsClean is the fast path of cleanText: most text is clean already.
func needsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Non-ASCII: check properly for C1 controls and bad bytes.
			for _, r := range s[i:] {
				if r == utf8.RuneError || (r != '\n' && r != '\t' && unicode.IsControl(r)) {
					return true
				}
			}
			return false
		}
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

// escapeText encodes s as an RFC 5545 TEXT value (3.3.11): backslash,
// semicolon, comma and newline are escaped after cleanText.
func escapeText(s string) string {
	s = cleanText(s)
	if !strings.ContainsAny(s, "\\;,\n") {
		return s
	}
	return textEscaper.Replace(s)
}

var textEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`)

// paramText is what a parameter value may hold: RFC 5545 3.1 allows neither
// control characters nor DQUOTE in it and has no escape for them, so line
// breaks become spaces and a double quote becomes an apostrophe.
func paramText(s string) string {
	s = cleanText(s)
	s = paramReplacer.Replace(s)
	return strings.TrimSpace(s)
}

var paramReplacer = strings.NewReplacer("\n", " ", "\t", " ", `"`, "'")

// appendParamValue appends a cleaned parameter value, double-quoted when it
// contains a character that would otherwise end it (':', ';', ',').
func appendParamValue(dst []byte, v string) []byte {
	v = paramText(v)
	if strings.ContainsAny(v, ":;,") {
		dst = append(dst, '"')
		dst = append(dst, v...)
		return append(dst, '"')
	}
	return append(dst, v...)
}

// cleanURI drops what may not appear in a URI or CAL-ADDRESS value: control
// characters, spaces and quotes. Real URIs never contain them raw.
func cleanURI(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// utcOffset formats a UTC-OFFSET value (3.3.14): +HHMM, with seconds only
// when a historical offset has them.
func utcOffset(sec int) string {
	sign := byte('+')
	if sec < 0 {
		sign = '-'
		sec = -sec
	}
	b := []byte{sign}
	b = appendTwo(b, sec/3600)
	b = appendTwo(b, sec/60%60)
	if s := sec % 60; s != 0 {
		b = appendTwo(b, s)
	}
	return string(b)
}

func appendTwo(b []byte, n int) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}
