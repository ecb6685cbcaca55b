package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/events"
	"salon/tickets"
)

// errLangKey holds the language a handler chose for its errors (an RSVP's
// lang), ahead of Accept-Language.
const errLangKey = "salon.errlang"

// SetErrorLang makes this request's error messages follow lang ("zh-CN",
// "en"), when it names a supported language; anything else leaves the
// choice to Accept-Language.
func SetErrorLang(c *fiber.Ctx, lang string) {
	l := strings.ToLower(strings.TrimSpace(lang))
	if l == "" {
		return
	}
	if n := tickets.NormalizeLang(l); n != "en" || l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_") {
		c.Locals(errLangKey, n)
	}
}

// ErrorLang is the language of this request's error messages: the one a
// handler set, else Accept-Language, else English. API clients have no
// language cookie; pages use PageLang.
func ErrorLang(c *fiber.Ctx) string {
	if l, ok := c.Locals(errLangKey).(string); ok {
		return l
	}
	return i18n.Match(c.Get(fiber.HeaderAcceptLanguage))
}

// apiMessageKeys are the catalogue keys of the errors' messages a client
// meets, by their English text. English keeps the text as it is; other
// languages read the key, or, for a message not listed, their code's
// general message (apiCodeKey).
var apiMessageKeys = map[string]string{
	"Salon not found.":                               "apierr.salon_not_found",
	"Ticket not found.":                              "apierr.ticket_not_found",
	"Not found.":                                     "apierr.not_found",
	"This salon was cancelled.":                      "apierr.salon_cancelled",
	"This salon has started; RSVPs are closed.":      "apierr.started",
	"The RSVP deadline has passed.":                  "apierr.deadline",
	"This salon is full.":                            "apierr.full",
	"This email already has an RSVP for this salon.": "apierr.already",
	"This email already has an RSVP for this salon; its confirmation is mailed to that address again, at most once every 10 minutes.": "apierr.already_resent",
	"Content-Type must be application/json.":                          "apierr.content_type",
	"The body is not a JSON object of the right shape.":               "apierr.shape",
	"The body is not valid UTF-8 (or escapes half a surrogate pair).": "apierr.utf8",
	"The body must hold one JSON object.":                             "apierr.one_object",
	"The request body is too large.":                                  "apierr.too_large",
	"Too many requests from your address; try again in a minute.":     "apierr.rate_limited",
	"Too many requests; try again in a minute.":                       "apierr.rate_limited",
	"This ticket has no QR code: it is not confirmed.":                "apierr.no_qr",
	"An API token is required (Authorization: Bearer <token>).":       "apierr.token_required",
	"Invalid or revoked token.":                                       "apierr.bad_token",
	"You may not manage this salon.":                                  "apierr.not_yours",
	"Only organizers and admins may create salons.":                   "apierr.organizers_only",
	"A published salon cannot go back to draft.":                      "apierr.no_draft",
	"A cancelled salon cannot be reopened.":                           "apierr.no_reopen",
	"This door link is not valid or was revoked.":                     "apierr.door_link",
	"You may not check guests in at this salon.":                      "apierr.no_checkin",
	"This form has expired; reload the page and try again.":           "apierr.form_expired",
	"Internal error.":            "apierr.internal",
	"Method not allowed.":        "apierr.method",
	"The request took too long.": "apierr.timeout",
}

// apiFieldKeys are the catalogue keys of field messages, by their English
// text; one not listed reads as "err.invalid" outside English.
var apiFieldKeys = map[string]string{
	"required":            "apierr.f.required",
	"too short":           "apierr.f.too_short",
	"too long":            "apierr.f.too_long",
	"not valid UTF-8":     "apierr.f.utf8",
	"not a valid address": "apierr.f.email",
	"must not contain control characters or line breaks":          "apierr.f.control",
	"must not contain control characters":                         "apierr.f.control",
	"must not contain text direction controls":                    "apierr.f.bidi",
	"must contain visible characters":                             "apierr.f.visible",
	"already used for a different request":                        "apierr.f.idempotency",
	"at most 200 printable characters":                            "apierr.f.key",
	"not a valid date or time":                                    "apierr.f.time",
	"must be after starts_at":                                     "console.err.ends_after",
	"must not be after starts_at":                                 "console.err.deadline_after",
	"not a known IANA time zone":                                  "console.err.zone",
	"must be between 1 and 100000":                                "console.err.capacity",
	"must be a short lowercase tag (a-z, 0-9, -; at most 32)":     "console.err.industry",
	"must be lowercase words joined by hyphens":                   "console.err.slug",
	"not a valid time (RFC 3339, e.g. 2026-12-05T19:00:00+08:00)": "console.err.time",
	"already taken":                                               "apierr.f.taken",
	events.DuplicateIndustryMessage:                               "console.err.duplicate",
}

// apiCodeKey is the general message of an error code, for messages
// apiMessageKeys does not list.
func apiCodeKey(code string) string { return "apierr.code." + code }

// apiCodes are the codes apiCodeKey has text for.
var apiCodes = map[string]bool{
	events.EINVALID: true, events.EBADREQUEST: true, events.EUNAUTHORIZED: true, events.EFORBIDDEN: true,
	events.ENOTFOUND: true, events.EALREADYREGISTERED: true, events.ESALONFULL: true, events.ERSVPCLOSED: true,
	events.ESALONCANCELLED: true, events.ECONFLICT: true, events.ERATELIMITED: true, events.ETOOLARGE: true,
	events.EINTERNAL: true,
}

// LocalizeError writes an error's message and field messages in lang.
// English answers keep the texts as the code wrote them (the contract's
// examples); in another language each field reads "field：message" with
// the field's name kept, since clients match on it, and codes never change.
func LocalizeError(lang, code, msg string, fields map[string]string) (string, map[string]string) {
	if lang == "en" || lang == "" {
		return msg, fields
	}
	var out map[string]string
	if len(fields) > 0 {
		out = make(map[string]string, len(fields))
		for f, m := range fields {
			out[f] = fieldText(lang, m)
		}
	}
	if key, ok := apiMessageKeys[msg]; ok {
		return i18n.T(lang, key), out
	}
	if field, rest, ok := strings.Cut(msg, ": "); ok && fields[field] == rest {
		return field + i18n.T(lang, "apierr.field_sep") + out[field], out
	}
	if !apiCodes[code] {
		return msg, out
	}
	return i18n.T(lang, apiCodeKey(code)), out
}

func fieldText(lang, msg string) string {
	if key, ok := apiFieldKeys[msg]; ok {
		return i18n.T(lang, key)
	}
	if strings.HasPrefix(msg, "wrong type, want ") {
		return i18n.T(lang, "apierr.f.type")
	}
	if strings.HasPrefix(msg, "must be a whole number from ") {
		return i18n.T(lang, "apierr.f.number")
	}
	return i18n.T(lang, "err.invalid")
}
