package web

import (
	"salon/app/i18n"
	"salon/events"
)

// fieldMessageKeys turn the rules' field messages into catalogue keys, so
// public and console forms say what is wrong in the reader's language.
var fieldMessageKeys = map[string]string{
	"required":                            "err.required",
	"too long":                            "err.too_long",
	"not a valid address":                 "err.invalid_email",
	"must not contain control characters": "err.control",
	"must not contain control characters or line breaks":          "err.control",
	"must be after starts_at":                                     "console.err.ends_after",
	"must not be after starts_at":                                 "console.err.deadline_after",
	"not a known IANA time zone":                                  "console.err.zone",
	"must be between 1 and 100000":                                "console.err.capacity",
	"must be a whole number":                                      "console.err.capacity",
	"must be a short lowercase tag (a-z, 0-9, -; at most 32)":     "console.err.industry",
	"must be lowercase words joined by hyphens":                   "console.err.slug",
	"an account with this email exists":                           "console.err.email_taken",
	"must be admin, organizer or staff":                           "console.err.role",
	"not a valid time (RFC 3339, e.g. 2026-12-05T19:00:00+08:00)": "console.err.time",
	events.DuplicateIndustryMessage:                               "console.err.duplicate",
	"must be written in Chinese":                                  "console.err.chinese",
}

// TranslateFields translates each field's message with fieldMessageKeys; a
// message not listed there reads as "err.invalid".
func TranslateFields(lang string, fields map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for field, msg := range fields {
		key, ok := fieldMessageKeys[msg]
		if !ok {
			key = "err.invalid"
		}
		out[field] = i18n.T(lang, key)
	}
	return out
}
