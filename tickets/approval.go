package tickets

import "salon/events"

// CheckPending refuses to decide a ticket that is not waiting for a
// decision: one already confirmed, waitlisted, declined or cancelled is
// EINVALID naming the field status, so a second click, or a decision on
// a ticket its holder cancelled meanwhile, changes nothing.
func CheckPending(status string) error {
	if status == StatusPending {
		return nil
	}
	msg := "is " + status + ", not pending"
	return &events.Error{Code: events.EINVALID, Message: "status: " + msg, Fields: map[string]string{"status": msg}}
}

// CheckDecidable refuses decisions on a cancelled salon: its guests were
// told it is off.
func CheckDecidable(s *events.Salon) error {
	if s.Status == events.StatusCancelled {
		return events.Errorf(events.ESALONCANCELLED, "This salon was cancelled.")
	}
	return nil
}
