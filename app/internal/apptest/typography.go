package apptest

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
)

var (
	scriptRE     = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(script|style)>`)
	attrRE       = regexp.MustCompile(`(?i)\s(?:alt|title|placeholder|aria-label|content|data-when|data-where|data-scan)="([^"]*)"`)
	inlineTagRE  = regexp.MustCompile(`(?i)</?(?:span|a|strong|em|b|i|code|abbr|time|small)\b[^>]*>`)
	anyTagRE     = regexp.MustCompile(`<[^>]*>`)
	twelveHourRE = regexp.MustCompile(`\b\d{1,2}:\d{2}\s?(?:[AaPp]\.?[Mm]\.?)\b|上午\s*\d|下午\s*\d`)
)

// VisibleText is what a reader sees of an HTML page: its text, with the
// inline elements joined into the text around them and every other element
// a line of its own, and the texts of the attributes readers meet (alt,
// title, aria-label, meta content) on lines of their own.
func VisibleText(page string) string {
	var lines []string
	for _, m := range attrRE.FindAllStringSubmatch(page, -1) {
		lines = append(lines, html.UnescapeString(m[1]))
	}
	body := scriptRE.ReplaceAllString(page, "\n")
	body = inlineTagRE.ReplaceAllString(body, "")
	body = anyTagRE.ReplaceAllString(body, "\n")
	lines = append(lines, html.UnescapeString(body))
	return strings.Join(lines, "\n")
}

// ChineseTypography lists what breaks the rules of Chinese text in s:
// ASCII punctuation (, : ; ! ? parentheses) beside a Chinese character;
// a space between two Chinese characters (but the one CLDR puts between a
// date and its weekday, "12月5日 周六"); a Chinese character touching a
// Latin letter or digit with no space (but digits with the date units
// 年月日号); and 12-hour times, in any language.
func ChineseTypography(s string) []string {
	var out []string
	rs := []rune(s)
	context := func(i int) string {
		lo, hi := max(0, i-8), min(len(rs), i+9)
		return strings.ReplaceAll(string(rs[lo:hi]), "\n", "⏎")
	}
	for i := 0; i+1 < len(rs); i++ {
		a, b := rs[i], rs[i+1]
		switch {
		case isHan(a) && strings.ContainsRune(",:;!?()", b), strings.ContainsRune(",:;!?()", a) && isHan(b):
			out = append(out, fmt.Sprintf("ASCII punctuation beside Chinese: %q", context(i)))
		case isHan(a) && isLatin(b) && !dateUnit(a, b), isLatin(a) && isHan(b) && !dateUnit(b, a):
			out = append(out, fmt.Sprintf("no space between Chinese and Latin: %q", context(i)))
		case i+2 < len(rs) && isHan(a) && b == ' ' && isHan(rs[i+2]) && !(a == '日' && rs[i+2] == '周'):
			out = append(out, fmt.Sprintf("a space between Chinese characters: %q", context(i)))
		}
	}
	for _, m := range twelveHourRE.FindAllString(s, -1) {
		out = append(out, fmt.Sprintf("a 12-hour time: %q", m))
	}
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isLatin(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// dateUnit reports a digit written against a date unit, as Chinese dates
// are ("12月5日", "2026年").
func dateUnit(han, other rune) bool {
	return unicode.IsDigit(other) && strings.ContainsRune("年月日号", han)
}
