package tickets

import (
	"encoding/json"
	"strconv"

	"salon/events"
)

// SalonChangedPayload is the outbox payload of a salon_changed notice: the
// salon's sequence, as NoticePayload writes it, and the change itself (the
// title, time and place before and after), so the mail and the ticket page
// can say what changed even after the salon changes again.
func SalonChangedPayload(sequence int, c events.SalonChange) string {
	b, err := json.Marshal(c)
	if err != nil {
		// Times and strings always encode; keep the notice rather than
		// fail the salon's change over what its mail can say.
		return NoticePayload(NoticeSalonChanged, 0, sequence)
	}
	return `{"sequence":` + strconv.Itoa(sequence) + `,"change":` + string(b) + `}`
}

// ChangeFromPayload reads the change a salon_changed notice's payload (as
// the store decoded it) carries. Notices queued before changes were kept
// have none: ok is false.
func ChangeFromPayload(p map[string]any) (c events.SalonChange, ok bool) {
	raw, found := p["change"]
	if !found {
		return c, false
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return c, false
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Before.StartsAt.IsZero() || c.After.StartsAt.IsZero() {
		return events.SalonChange{}, false
	}
	return c, true
}
