package i18n

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese text puts a space between a Chinese character and a Latin letter
// or digit where they meet ("剩余 3 个座位", "Ana Lima 的门票"), and none
// between Chinese characters ("王芳的门票"). The Chinese catalogue writes
// its placeholders with no space around them; T puts one in at each edge
// of a filled-in value where the value and the text beside it are of the
// two kinds, and only there, so a Chinese name joins the text and a Latin
// one stands apart from it.

// seam marks where a filled-in value begins and ends inside the formatted
// text: private-use characters, which neither the catalogue nor input
// contains (T drops any from values).
const (
	seamOpen  = '\uE000'
	seamClose = '\uE001'
)

// seamed is an argument whose formatted form is marked with seams.
type seamed struct{ v any }

// Format writes the value as the verb asks, between seams.
func (s seamed) Format(f fmt.State, verb rune) {
	var b strings.Builder
	b.WriteRune(seamOpen)
	spec := "%"
	for _, flag := range "+-# 0" {
		if f.Flag(int(flag)) {
			spec += string(flag)
		}
	}
	if w, ok := f.Width(); ok {
		spec += fmt.Sprint(w)
	}
	if p, ok := f.Precision(); ok {
		spec += "." + fmt.Sprint(p)
	}
	v := s.v
	if str, ok := v.(string); ok {
		v = strings.Map(func(r rune) rune {
			if r == seamOpen || r == seamClose {
				return -1
			}
			return r
		}, str)
	}
	fmt.Fprintf(&b, spec+string(verb), v)
	b.WriteRune(seamClose)
	f.Write([]byte(b.String()))
}

// Space joins Chinese text and the values filled into it: a space where a
// value's edge and its neighbour are a Chinese character and a Latin
// letter or digit, none elsewhere; the seams are removed.
func space(s string) string {
	if !strings.ContainsRune(s, seamOpen) {
		return s
	}
	var b strings.Builder
	var prev rune // the last rune written, 0 at the start
	pending := false
	for _, r := range s {
		switch r {
		case seamOpen, seamClose:
			pending = true
			continue
		}
		if pending && prev != 0 && needsSpace(prev, r) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// needsSpace reports a Chinese character beside a Latin letter or digit,
// in either order.
func needsSpace(a, b rune) bool {
	return (isHan(a) && isLatin(b)) || (isLatin(a) && isHan(b))
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isLatin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.Is(unicode.Latin, r)
}
