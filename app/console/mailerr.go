package console

import (
	"regexp"
	"strconv"
	"strings"

	"salon/app/i18n"
)

// Kind names a notice kind in the console's language; a kind without
// text of its own reads as a notice, never as its stored name.
func (p consolePage) Kind(kind string) string {
	if key := "console.kind." + kind; i18n.Has(key) {
		return p.T(key)
	}
	return p.T("console.kind.other")
}

// MailError says in plain words, in the console's language, why a message
// was not sent. The outbox keeps what the mailer wrote (an SMTP reply, a
// network error in Go's words); that text helps in the server log, not in
// the console, so only its gist is shown here.
func (p consolePage) MailError(text string) string {
	if text == "" {
		return ""
	}
	if rest, ok := strings.CutPrefix(text, "gave up after "); ok {
		n, after, _ := strings.Cut(rest, " attempts: ")
		if attempts, err := strconv.Atoi(n); err == nil {
			return p.T("console.mailerr.gave_up", attempts) + " " + p.T(mailErrorKey(after))
		}
	}
	key := mailErrorKey(text)
	if code := replyCode(text); code != 0 && (key == "console.mailerr.refused" || key == "console.mailerr.deferred") {
		return p.T(key, code)
	}
	return p.T(key)
}

// buildReasons are the reasons the mailer gives for mail it could not
// build (mailer.Unbuildable), each with its text.
var buildReasons = map[string]string{
	"the recipient address is not valid":                     "console.mailerr.bad_recipient",
	"the sender address (--mail-from) is not valid":          "console.mailerr.bad_sender",
	"its salon or ticket no longer exists":                   "console.mailerr.gone",
	"the message it carried is gone":                         "console.mailerr.gone",
	"the link was used or replaced, or its account disabled": "console.mailerr.link_used",
}

// erasedText is what the store writes on the mail of an erased ticket.
const erasedText = "not sent: the recipient's personal data was erased"

var replyCodeRE = regexp.MustCompile(`(?:^|[^0-9.])([45][0-9][0-9])(?:[ -]|$)`)

// replyCode finds an SMTP reply code (4xx or 5xx) in an error text.
func replyCode(text string) int {
	m := replyCodeRE.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// mailErrorKey is the catalogue key of an error text, without its numbers.
func mailErrorKey(text string) string {
	lower := strings.ToLower(text)
	if text == erasedText {
		return "console.mailerr.erased"
	}
	if reason, ok := strings.CutPrefix(text, "the message could not be built: "); ok {
		if key, ok := buildReasons[reason]; ok {
			return key
		}
		return "console.mailerr.build"
	}
	code := replyCode(text)
	switch {
	case code == 530 || code == 535 || strings.Contains(lower, "authentication") || strings.Contains(lower, "auth failed"):
		return "console.mailerr.auth"
	case strings.Contains(lower, "x509") || strings.Contains(lower, "tls:") || strings.Contains(lower, "starttls"):
		return "console.mailerr.tls"
	case strings.Contains(lower, "unable to connect") || strings.Contains(lower, "unable to keep a connection") ||
		strings.Contains(lower, "connection refused") || strings.Contains(lower, "no such host") ||
		strings.Contains(lower, "i/o timeout") || strings.Contains(lower, "connection reset"):
		if code >= 400 {
			return codeKey(code)
		}
		return "console.mailerr.unreachable"
	case code >= 400:
		return codeKey(code)
	}
	return "console.mailerr.other"
}

func codeKey(code int) string {
	if code >= 500 {
		return "console.mailerr.refused"
	}
	return "console.mailerr.deferred"
}

// changeFieldKeys are the form labels of the fields a salon edit names.
var changeFieldKeys = map[string]string{
	"title": "console.f.title", "title_zh": "console.f.title_zh", "industry": "console.f.industry",
	"description": "console.f.description", "description_zh": "console.f.description_zh", "venue": "console.f.venue",
	"address": "console.f.address", "timezone": "console.f.timezone", "starts_at": "console.f.starts_at",
	"ends_at": "console.f.ends_at", "rsvp_deadline": "console.f.rsvp_deadline", "capacity": "console.f.capacity",
	"waitlist": "console.f.waitlist", "reminder_before": "console.f.reminder", "status": "console.col.status",
}

// AuditDetail is an audit entry's detail for the console: a salon edit's
// "field: old → new" with each field under its form label, in the
// console's language; any other detail as it was written.
func (p consolePage) AuditDetail(action, detail string) string {
	if !strings.HasPrefix(action, "salon.") || action == "salon.message" || action == "salon.create" {
		return detail
	}
	var b strings.Builder
	for _, part := range splitChanges(detail) {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		field, rest, ok := strings.Cut(part, ": ")
		key, known := changeFieldKeys[field]
		if !ok || !known {
			b.WriteString(part)
			continue
		}
		b.WriteString(p.T(key))
		b.WriteString(": ")
		if rest == "changed" {
			rest = p.T("console.audit_changed")
		}
		b.WriteString(rest)
	}
	return b.String()
}

// splitChanges splits a detail at the "; " between changes, not at one
// inside a quoted value.
func splitChanges(detail string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(detail); i++ {
		switch {
		case detail[i] == '\\' && quoted:
			i++
		case detail[i] == '"':
			quoted = !quoted
		case !quoted && strings.HasPrefix(detail[i:], "; "):
			out = append(out, detail[start:i])
			start = i + 2
			i++
		}
	}
	return append(out, detail[start:])
}
