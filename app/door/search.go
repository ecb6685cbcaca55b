package door

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// pinyinArgs read each character in its most common reading, without
// tones, which is how people type a name they heard.
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	return a
}()

// searchKey is what the door's name search matches a guest by: the name
// and company as written, without accents and in lower case, and for
// Chinese characters their pinyin, run together, spaced and as initials,
// so "wangf", "wang fang", "wf" and "王芳" all find 王芳. The phone
// matches typed text inside it; the key holds nothing the guest list does
// not already show.
func searchKey(parts ...string) string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, p := range parts {
		p = fold(p)
		if p == "" {
			continue
		}
		add(p)
		if !hasHan(p) {
			continue
		}
		var syllables []string
		var initials strings.Builder
		for _, w := range romanize(p) {
			syllables = append(syllables, w)
			initials.WriteString(w[:1])
		}
		add(strings.Join(syllables, ""))
		add(strings.Join(syllables, " "))
		add(initials.String())
	}
	return strings.Join(out, " ")
}

// romanize splits s into words: each Chinese character becomes its pinyin
// syllable, and runs of other letters and digits stay words of their own.
func romanize(s string) []string {
	var words []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			words = append(words, run.String())
			run.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if py := pinyin.SinglePinyin(r, pinyinArgs); len(py) > 0 && py[0] != "" {
				words = append(words, py[0])
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			run.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// fold lowercases s and drops accents ("Zoë" → "zoe"), as the page's
// script folds what is typed.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
