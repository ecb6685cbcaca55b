// Package events holds salons, the listings people RSVP to, and the rules
// that keep them valid. It knows nothing about HTTP, SQL or mail.
package events

import (
	"errors"
	"fmt"
)

// Error codes shared by every package. The app maps each one to an HTTP
// status in exactly one place; the strings are part of the public contract.
const (
	EINVALID           = "invalid"
	EBADREQUEST        = "bad_request"
	EUNAUTHORIZED      = "unauthorized"
	EFORBIDDEN         = "forbidden"
	ENOTFOUND          = "not_found"
	EALREADYREGISTERED = "already_registered"
	ESALONFULL         = "salon_full"
	ERSVPCLOSED        = "rsvp_closed"
	ESALONCANCELLED    = "salon_cancelled"
	ECONFLICT          = "conflict"
	ERATELIMITED       = "rate_limited"
	ETOOLARGE          = "too_large"
	EINTERNAL          = "internal"
)

// Error is an error a client may see: its Message is safe to show. Any other
// error is internal and is reported to clients only as "Internal error.".
type Error struct {
	Code    string
	Message string
	// Fields names each bad field and what is wrong with it (code invalid).
	Fields map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("salon error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it wraps an *Error, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// FieldErrors collects problems with named input fields, so a form or an API
// client learns about every bad field at once rather than one per request.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when there are no problems, else an EINVALID *Error whose
// message names the first field in a stable (sorted) order.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	first := ""
	for k := range f {
		if first == "" || k < first {
			first = k
		}
	}
	return &Error{Code: EINVALID, Message: first + ": " + f[first], Fields: map[string]string(f)}
}
