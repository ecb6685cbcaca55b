package tickets

import "salon/events"

// Decide says what a new RSVP becomes given the salon's capacity, how many
// seats are confirmed and whether it keeps a waitlist. It is the one place
// where "never overbook" is decided; storage calls it inside the writer.
func Decide(capacity, confirmed int, waitlist bool) (string, error) {
	if confirmed < capacity {
		return StatusConfirmed, nil
	}
	if waitlist {
		return StatusWaitlisted, nil
	}
	return "", events.Errorf(events.ESALONFULL, "This salon is full.")
}

// Promotions says how many waitlisted people move up when seats free: as many
// as there are free seats, never more than are waiting.
func Promotions(capacity, confirmed, waiting int) int {
	free := capacity - confirmed
	if free <= 0 || waiting <= 0 {
		return 0
	}
	if free < waiting {
		return free
	}
	return waiting
}
