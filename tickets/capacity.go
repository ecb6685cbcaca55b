package tickets

import "salon/events"

// Decide says what an RSVP for a party of seats becomes, given the salon's
// capacity, how many seats are confirmed, whether anyone waits ahead of it
// and whether the salon keeps a waitlist. It is the one place where "never
// overbook" is decided; storage calls it inside the writer.
//
// The waitlist is strictly first come, first served: while anyone waits
// ahead (a party too large for the seats left), a newcomer waits behind
// them even when it would fit, so nobody jumps the line.
func Decide(capacity, confirmed, seats int, waitingAhead bool, waitlist bool) (string, error) {
	if !waitingAhead && confirmed+seats <= capacity {
		return StatusConfirmed, nil
	}
	if waitlist {
		return StatusWaitlisted, nil
	}
	return "", events.Errorf(events.ESALONFULL, "This salon is full.")
}

// DecideNew says what a new RSVP becomes. A salon that needs approval takes
// it as pending, which holds no seat; but when the party could never get one
// as things stand (no waitlist and not enough seats left), it is refused
// with salon_full at once rather than left waiting for a no.
func DecideNew(s *events.Salon, seats int) (string, error) {
	status, err := Decide(s.Capacity, s.Confirmed, seats, s.Waitlisted > 0, s.Waitlist)
	if err != nil || !s.Approval {
		return status, err
	}
	return StatusPending, nil
}

// Fits says whether a waiting party of seats may be promoted: it is at the
// head of the waitlist and all of it fits in the seats left.
func Fits(capacity, confirmed, seats int) bool { return confirmed+seats <= capacity }

// Promotions says how many waitlisted people move up when seats free: as many
// as there are free seats, never more than are waiting. With parties it is
// the most that may move up (each party takes at least one seat); storage
// reads that many from the head and stops at the first that does not fit.
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

// SeatCounts is how a ticket of status and seats adds to its salon's
// counts: confirmed and waitlisted seats, and pending seats. Cancelled and
// declined tickets count nowhere.
func SeatCounts(status string, seats int) (confirmed, waitlisted, pending int) {
	switch status {
	case StatusConfirmed:
		return seats, 0, 0
	case StatusWaitlisted:
		return 0, seats, 0
	case StatusPending:
		return 0, 0, seats
	}
	return 0, 0, 0
}
