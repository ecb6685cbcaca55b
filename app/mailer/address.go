package mailer

import (
	"errors"
	netmail "net/mail"
	"strings"

	"github.com/wneessen/go-mail"
)

// errNotAddress is returned for an email that is not a bare address; the
// address itself stays out of the error, and so out of logs.
var errNotAddress = errors.New("mailer: not a bare email address (addr-spec)")

// To addresses msg to name <email>, for any name. go-mail is not given the
// name: its string forms (To, AddToFormat) paste it between quotes and
// parse the result again, which fails on a lone quote (`Li, "Bo`), and it
// writes even a *mail.Address through net/mail's Address.String, which
// leaves a backslash raw inside an encoded word of a non-ASCII name, so the
// header no longer parses (golang/go#80592). So the header is written here,
// by FormatAddress, and go-mail gets the bare address as the envelope
// recipient only: as a blind copy, which it never writes as a header.
func To(msg *mail.Msg, name, email string) error {
	h, err := FormatAddress(name, email)
	if err != nil {
		return err
	}
	msg.BccMailAddress(&netmail.Address{Address: email})
	msg.SetGenHeaderPreformatted(mail.Header(mail.HeaderTo), h)
	return nil
}

// ReplyTo sets msg's Reply-To to name <email>, written as To writes it.
func ReplyTo(msg *mail.Msg, name, email string) error {
	h, err := FormatAddress(name, email)
	if err != nil {
		return err
	}
	msg.SetGenHeaderPreformatted(mail.Header(mail.HeaderReplyTo), h)
	return nil
}

// FormatAddress writes name <email> as an address header's value that any
// RFC 5322 parser reads back as exactly that name. A printable ASCII name is
// a quoted string; any other name (another script, a line break from old
// data, or a literal "=?utf-8?q?…?=", which lenient readers would decode
// even between quotes) is RFC 2047 B words, one per folded line. The email
// must be a bare address.
func FormatAddress(name, email string) (string, error) {
	a, err := netmail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email {
		return "", errNotAddress
	}
	addr := "<" + email + ">"
	switch {
	case name == "":
		return addr, nil
	case printableASCII(name) && !strings.Contains(name, "=?"):
		return quoteString(name) + " " + addr, nil
	default:
		return strings.Join(encodeWords(name), "\r\n ") + " " + addr, nil
	}
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// quoteString is s as an RFC 5322 quoted-string: only '"' and '\' need a
// backslash.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
