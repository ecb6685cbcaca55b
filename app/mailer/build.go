package mailer

import "errors"

// buildError marks a message that cannot be built from its outbox row. The
// row does not change between attempts, so neither would the outcome: the
// worker fails it at once. The reason is what admins read in the outbox;
// the error underneath, in the library's words, goes to the log only.
type buildError struct {
	reason string
	err    error
}

func (e *buildError) Error() string {
	if e.err == nil {
		return e.adminText()
	}
	return e.adminText() + ": " + e.err.Error()
}

func (e *buildError) Unwrap() error { return e.err }

func (e *buildError) adminText() string { return "the message could not be built: " + e.reason }

// Unbuildable marks err as a failure to build the message itself (an
// address that is not one, a template that does not execute), as opposed to
// a failure to deliver it. reason is a few plain words for admins, such as
// "the recipient address is not valid".
func Unbuildable(reason string, err error) error {
	return &buildError{reason: reason, err: err}
}

// adminReason is the text kept with a failed message for admins: the plain
// reason when it could not be built, the delivery error otherwise (an SMTP
// reply is what an admin needs to see there).
func adminReason(err error) string {
	var be *buildError
	if errors.As(err, &be) {
		return be.adminText()
	}
	return err.Error()
}
