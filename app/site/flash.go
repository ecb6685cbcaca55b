package site

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/events"
	"salon/tickets"
)

// A form with errors is answered with a redirect to the salon's own page
// (post/redirect/get), so the address people see, reload and share is the
// salon's, never the form's. What the page must show again (the errors and
// what was typed) travels in a cookie of the salon's path, sealed
// (AES-GCM under a key derived from the server key, the salon's slug bound
// in, an expiry inside): only this browser holds it, it cannot be read or
// forged, and any process on the database can open it, since none keeps
// it in memory. Nothing typed travels in a URL, and the cookie is cleared
// when the page shows it.
const (
	flashCookie  = "salon_form"
	flashTTL     = 5 * time.Minute
	flashPurpose = "rsvp-flash-v1"
	// flashMaxCookie bounds the sealed cookie well below the 4 KB browsers
	// keep per cookie; a form too long to fit comes back without what was
	// typed.
	flashMaxCookie = 3072
)

// formFlash is a failed RSVP form waiting to be shown again.
type formFlash struct {
	Slug    string            `json:"-"`
	Form    tickets.RSVPInput `json:"form"`
	Errors  map[string]string `json:"errors"`
	Expires int64             `json:"exp"`
}

// flashSealer seals and opens failed forms.
type flashSealer struct{ aead cipher.AEAD }

func newFlashSealer(serverKey []byte) *flashSealer {
	block, err := aes.NewCipher(tickets.DeriveKey(serverKey, flashPurpose))
	if err != nil {
		panic(err) // only for a key that is not 16, 24 or 32 bytes
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &flashSealer{aead: aead}
}

// seal returns the cookie value for f, or "" when it does not fit.
func (fs *flashSealer) seal(f formFlash) string {
	plain, err := json.Marshal(f)
	if err != nil {
		return ""
	}
	nonce := tickets.RandomBytes(fs.aead.NonceSize())
	v := base64.RawURLEncoding.EncodeToString(fs.aead.Seal(nonce, nonce, plain, []byte(f.Slug)))
	if len(v) > flashMaxCookie {
		return ""
	}
	return v
}

// open returns the form sealed in v for slug, if it is still fresh.
func (fs *flashSealer) open(v, slug string, now time.Time) (formFlash, bool) {
	if len(v) > flashMaxCookie {
		return formFlash{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	n := fs.aead.NonceSize()
	if err != nil || len(raw) < n+fs.aead.Overhead() {
		return formFlash{}, false
	}
	plain, err := fs.aead.Open(nil, raw[:n], raw[n:], []byte(slug))
	if err != nil {
		return formFlash{}, false
	}
	var f formFlash
	if json.Unmarshal(plain, &f) != nil || now.Unix() >= f.Expires {
		return formFlash{}, false
	}
	f.Slug = slug
	return f, true
}

// keepForm seals a failed form into the browser's cookie for the salon.
// A form too long to seal keeps only its errors; one still too long is
// not kept, and the page shows an empty form.
func (s *Site) keepForm(c *fiber.Ctx, f formFlash) {
	f.Expires = time.Now().Add(flashTTL).Unix()
	v := s.flashes.seal(f)
	if v == "" {
		f.Form = tickets.RSVPInput{Lang: f.Form.Lang}
		v = s.flashes.seal(f)
	}
	if v == "" {
		return
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: v, Path: "/salons/" + f.Slug, MaxAge: int(flashTTL.Seconds()),
		Secure: s.d.Secure, HTTPOnly: true, SameSite: "Lax"})
}

// takeForm returns the failed form this browser left for the salon, once:
// its cookie is cleared.
func (s *Site) takeForm(c *fiber.Ctx, slug string) (formFlash, bool) {
	v := c.Cookies(flashCookie)
	if v == "" {
		return formFlash{}, false
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/salons/" + slug, MaxAge: -1,
		Secure: s.d.Secure, HTTPOnly: true, SameSite: "Lax"})
	return s.flashes.open(v, slug, time.Now())
}

// formFields are the RSVP form's fields in the order the form shows them,
// with their labels' keys: the error summary follows this order and the
// first bad field gets the focus.
var formFields = []struct{ ID, Label string }{
	{"name", "form.name"}, {"email", "form.email"}, {"company", "form.company"}, {"job_title", "form.job_title"}, {"guests", "form.guests"},
}

// badFields lists the fields with errors, in the form's order.
func badFields(lang string, errs map[string]string) []badField {
	var out []badField
	for _, f := range formFields {
		if msg, ok := errs[f.ID]; ok {
			out = append(out, badField{ID: f.ID, Label: i18n.T(lang, f.Label), Message: msg})
		}
	}
	return out
}

// refusalKeys say in the reader's language why an RSVP that was well
// filled in was refused.
var refusalKeys = map[string]string{
	events.EALREADYREGISTERED: "form.already",
	events.ESALONFULL:         "state.waitlist_closed",
	events.ERSVPCLOSED:        "state.rsvp_closed",
	events.ESALONCANCELLED:    "state.cancelled",
}
