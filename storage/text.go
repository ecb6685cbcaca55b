package storage

import "unicode/utf8"

// Limits on free text a store keeps, the same for every backend.
const (
	// MaxAuditDetail bounds an audit entry's detail.
	MaxAuditDetail = 500
	// MaxErrorText bounds the last error kept with an outbox message or a
	// webhook delivery: a whole SMTP transcript is noise in the console and
	// would bloat the row on every retry.
	MaxErrorText = 500
)

// Truncate cuts s to at most n bytes without splitting a rune.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
