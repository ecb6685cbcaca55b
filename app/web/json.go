package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
)

// DecodeJSON reads a JSON object body into v. A wrong Content-Type,
// malformed JSON or a body that is not valid UTF-8 is bad_request; a value of
// the wrong type is invalid and names its field. strict refuses unknown fields, so a typo in an organizer's
// PATCH is not silently ignored.
func DecodeJSON(c *fiber.Ctx, v any, strict bool) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || (mt != fiber.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return events.Errorf(events.EBADREQUEST, "Content-Type must be application/json.")
	}
	if !validJSONText(c.Body()) {
		return events.Errorf(events.EBADREQUEST, "The body is not valid UTF-8 (or escapes half a surrogate pair).")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return &events.Error{Code: events.EINVALID, Message: te.Field + ": wrong type, want " + te.Type.String(),
				Fields: map[string]string{te.Field: "wrong type, want " + te.Type.String()}}
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return events.Errorf(events.EBADREQUEST, "Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return events.Errorf(events.EBADREQUEST, "The body is not a JSON object of the right shape.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return events.Errorf(events.EBADREQUEST, "The body must hold one JSON object.")
	}
	return nil
}

// IDPtr writes an optional id (0 for none) as JSON writes ids: a string,
// or null.
func IDPtr(id int64) *string {
	if id == 0 {
		return nil
	}
	s := strconv.FormatInt(id, 10)
	return &s
}

// TimePtr writes an optional time as RFC 3339 in loc, or null.
func TimePtr(t *time.Time, loc *time.Location) *string {
	if t == nil {
		return nil
	}
	s := t.In(loc).Format(time.RFC3339)
	return &s
}
