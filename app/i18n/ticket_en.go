package i18n

// englishTicket is the ticket page's cancel confirmation, change notice
// and new-RSVP link.
var englishTicket = map[string]string{
	"ticket.cancel_confirm":          "Cancel your RSVP?",
	"ticket.effect_seat_to_waitlist": "Your seat goes to the next person on the waitlist.",
	"ticket.effect_seat_freed":       "Your seat is freed for someone else.",
	"ticket.effect_leave_waitlist":   "You leave the waitlist and give up your place (number %d).",
	"ticket.cancel_undo":             "This cannot be undone, but you can RSVP again while RSVPs are open.",
	"ticket.cancel_yes":              "Yes, cancel my RSVP",
	"ticket.cancel_keep":             "No, keep my RSVP",
	"ticket.updated":                 "This salon was changed on %s. Check the time and place above.",
	"ticket.rsvp_again_lead":         "Changed your mind?",
	"ticket.rsvp_again":              "RSVP again",
}
