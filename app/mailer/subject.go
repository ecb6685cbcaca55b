package mailer

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/wneessen/go-mail"
)

// Subject sets msg's Subject so that readers show s as written. go-mail
// RFC 2047-encodes only subjects with non-ASCII characters, so an ASCII one
// holding a literal "=?utf-8?q?…?=" (a salon title, say) went out as is and
// was shown decoded. Such a subject is written as encoded words here, which
// go-mail then leaves alone, being ASCII.
func Subject(msg *mail.Msg, s string) {
	if strings.Contains(s, "=?") {
		s = strings.Join(encodeWords(s), " ")
	}
	msg.Subject(s)
}

// encodeWords writes s as RFC 2047 "B" words of at most 75 characters each,
// split between characters (RFC 2047 §5 forbids splitting one). Readers join
// adjacent words without the white space between them, so the caller may
// separate them with a space or a fold.
func encodeWords(s string) []string {
	const chunk = 45 // 60 base64 characters, 72 with "=?utf-8?b?" and "?="
	var words []string
	for s != "" {
		n := min(len(s), chunk)
		for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
			n--
		}
		if n == 0 {
			n = min(len(s), chunk)
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return words
}
