package events

// CheckTransition says whether a salon may go from status from to status to.
// A draft may be published or cancelled; a published salon may be cancelled.
// Nothing goes back: attendees have seen a published salon, and a cancelled
// one has told them it is off, so both refusals are conflicts with the
// salon's state rather than bad input. Staying in the same status is always
// allowed, so a repeated request is harmless. An unknown to is left to
// Validate.
func CheckTransition(from, to string) error {
	switch {
	case from == StatusCancelled && to != StatusCancelled:
		return Errorf(ECONFLICT, "A cancelled salon cannot be reopened.")
	case to == StatusDraft && from != StatusDraft:
		return Errorf(ECONFLICT, "A published salon cannot go back to draft.")
	}
	return nil
}
