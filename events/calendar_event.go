package events

import (
	"strconv"
	"strings"
	"time"
)

// writeEvent writes one VEVENT. Everything a person typed goes through
// w.text (escaped) or a parameter (cleaned and quoted), never raw. l is
// o.links(), computed once by the caller for all events of a render.
func writeEvent(w *icalWriter, e vevent, t [2]eventTime, o CalendarOptions, l renderLinks) {
	s := e.s
	withdrawn := e.cancel || (e.a != nil && e.a.Cancelled)
	seq := s.Sequence
	if withdrawn && s.Status != StatusCancelled {
		seq++
	}
	status := "CONFIRMED"
	switch {
	case s.Status == StatusCancelled || withdrawn:
		status = "CANCELLED"
	case e.a != nil && e.a.Waitlisted:
		status = "TENTATIVE"
	}
	link := salonURL(s, l.base)

	w.prop("BEGIN", "VEVENT")
	w.text("UID", salonUID(s, l.host))
	w.utc("DTSTAMP", stamp(s))
	w.prop("DTSTART", t[0].value, icalParam{"TZID", t[0].tzid})
	if t[1].value != "" {
		w.prop("DTEND", t[1].value, icalParam{"TZID", t[1].tzid})
	}
	w.prop("SEQUENCE", strconv.Itoa(seq))
	if !s.CreatedAt.IsZero() {
		w.utc("CREATED", s.CreatedAt)
	}
	w.utc("LAST-MODIFIED", stamp(s))
	w.prop("STATUS", status)
	w.text("SUMMARY", s.Title)
	if loc := salonLocation(s); loc != "" {
		w.text("LOCATION", loc)
	}
	w.text("DESCRIPTION", salonDescription(s.Description, link))
	w.prop("URL", link)
	if s.Industry != "" {
		w.text("CATEGORIES", s.Industry)
	}
	w.prop("TRANSP", "OPAQUE")
	if e.invite || o.OrganizerEmail != "" {
		w.prop("ORGANIZER", mailto(l.organizer), icalParam{"CN", o.OrganizerName})
	}
	if e.invite && e.a != nil && cleanURI(e.a.Email) != "" {
		partstat := "ACCEPTED"
		switch {
		case withdrawn:
			partstat = "DECLINED"
		case e.a.Waitlisted:
			partstat = "TENTATIVE"
		}
		// RSVP=FALSE: the server reads no mail, so replies would be lost.
		w.prop("ATTENDEE", mailto(e.a.Email),
			icalParam{"CUTYPE", "INDIVIDUAL"}, icalParam{"ROLE", "REQ-PARTICIPANT"},
			icalParam{"PARTSTAT", partstat}, icalParam{"RSVP", "FALSE"}, icalParam{"CN", e.a.Name})
	}
	w.prop("END", "VEVENT")
}

// stamp is DTSTAMP and LAST-MODIFIED: the last change, so that the same
// salon always renders to the same bytes.
func stamp(s *Salon) time.Time {
	switch {
	case !s.UpdatedAt.IsZero():
		return s.UpdatedAt
	case !s.CreatedAt.IsZero():
		return s.CreatedAt
	}
	return s.StartsAt
}

func mailto(email string) string { return "mailto:" + cleanURI(email) }

// salonLocation is LOCATION: venue and address on one line, as map apps
// expect.
func salonLocation(s *Salon) string {
	parts := make([]string, 0, 2)
	for _, p := range []string{s.Venue, s.Address} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// salonDescription is DESCRIPTION: the description desc as plain text
// followed by the salon page link, because many clients do not show URL.
func salonDescription(desc, link string) string {
	if strings.TrimSpace(desc) == "" {
		return link
	}
	return desc + "\n\n" + link
}
