package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/events"
)

// Codes Fiber's own errors become that the contract's table does not list.
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeTimeout          = "timeout"
)

// statusOf maps an error code to its HTTP status; this table is the only
// place where that mapping lives. Read it through StatusFor, which also
// turns Fiber's errors into codes and answers 500 for unknown codes.
var statusOf = map[string]int{
	events.EINVALID:           fiber.StatusUnprocessableEntity,
	events.EBADREQUEST:        fiber.StatusBadRequest,
	events.EUNAUTHORIZED:      fiber.StatusUnauthorized,
	events.EFORBIDDEN:         fiber.StatusForbidden,
	events.ENOTFOUND:          fiber.StatusNotFound,
	events.EALREADYREGISTERED: fiber.StatusConflict,
	events.ESALONFULL:         fiber.StatusConflict,
	events.ERSVPCLOSED:        fiber.StatusConflict,
	events.ESALONCANCELLED:    fiber.StatusConflict,
	events.ECONFLICT:          fiber.StatusConflict,
	events.ERATELIMITED:       fiber.StatusTooManyRequests,
	events.ETOOLARGE:          fiber.StatusRequestEntityTooLarge,
	events.EINTERNAL:          fiber.StatusInternalServerError,
	codeMethodNotAllowed:      fiber.StatusMethodNotAllowed,
	codeTimeout:               fiber.StatusRequestTimeout,
}

// StatusFor is the error code and HTTP status that err is answered with:
// the ErrorHandler, the request metrics and pages that re-show a form all
// ask here, so they cannot disagree.
func StatusFor(err error) (code string, status int) {
	code = events.ErrorCode(fromFiber(err))
	if status, ok := statusOf[code]; ok {
		return code, status
	}
	return code, fiber.StatusInternalServerError
}

// ErrStatus is StatusFor's status alone, for pages that re-show a form.
func ErrStatus(err error) int {
	_, status := StatusFor(err)
	return status
}

// errorBody is the contract's error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fromFiber turns Fiber's own errors (unknown route, body too large) into
// contract errors.
func fromFiber(err error) error {
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return err
	}
	switch fe.Code {
	case fiber.StatusNotFound:
		return events.Errorf(events.ENOTFOUND, "Not found.")
	case fiber.StatusRequestEntityTooLarge:
		return events.Errorf(events.ETOOLARGE, "The request body is too large.")
	case fiber.StatusRequestTimeout:
		return &events.Error{Code: codeTimeout, Message: "The request took too long."}
	case fiber.StatusMethodNotAllowed:
		return &events.Error{Code: codeMethodNotAllowed, Message: "Method not allowed."}
	case fiber.StatusTooManyRequests:
		return events.Errorf(events.ERATELIMITED, "Too many requests; try again in a minute.")
	case fiber.StatusForbidden:
		return events.Errorf(events.EFORBIDDEN, "Forbidden.")
	case fiber.StatusBadRequest, fiber.StatusUnsupportedMediaType, fiber.StatusRequestHeaderFieldsTooLarge:
		return events.Errorf(events.EBADREQUEST, "Bad request.")
	}
	return err
}

// ErrorHandler is Fiber's ErrorHandler: it replaces the default, which would
// send err.Error() to the client. Internal errors are logged and reported only
// as "Internal error."; API paths answer JSON, pages answer HTML.
func (d *Deps) ErrorHandler(c *fiber.Ctx, err error) error {
	err = fromFiber(err)
	code, status := StatusFor(err)
	msg := events.ErrorMessage(err)
	if code == events.EINTERNAL {
		d.Log.Error("internal error", "method", c.Method(), "path", c.Route().Path, "err", err)
	}
	var fields map[string]string
	var e *events.Error
	if errors.As(err, &e) {
		fields = e.Fields
	}
	if strings.HasPrefix(c.Path(), "/api/") || !acceptsHTML(c) {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Vary(fiber.HeaderAcceptLanguage)
		msg, fields = LocalizeError(ErrorLang(c), code, msg, fields)
		return c.Status(status).JSON(errorBody{Error: errorDetail{Code: code, Message: msg, Fields: fields}})
	}
	msg, _ = LocalizeError(PageLang(c), code, msg, nil)
	return d.renderError(c, status, code, msg)
}

// acceptsHTML says whether an error should be a page: browsers ask for
// text/html; calendar clients, image loaders and scripts get the JSON shape.
func acceptsHTML(c *fiber.Ctx) bool {
	p := c.Path()
	if strings.HasSuffix(p, ".ics") || strings.HasSuffix(p, ".png") || strings.HasSuffix(p, ".jpg") || strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".pkpass") ||
		strings.HasPrefix(p, "/feeds/") {
		return false
	}
	return strings.Contains(c.Get(fiber.HeaderAccept), "text/html") || c.Get(fiber.HeaderAccept) == ""
}

// LogInternal is used where an error is handled without reaching the
// ErrorHandler.
func LogInternal(log *slog.Logger, msg string, err error) {
	if events.ErrorCode(err) == events.EINTERNAL {
		log.Error(msg, "err", err)
	}
}
