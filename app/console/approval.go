package console

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/tickets"
)

// maxDecisions bounds one bulk decision: the attendee page shows at most
// 2000 tickets, and a form with more ids is no form of that page.
const maxDecisions = 2000

// decisionTally counts what a bulk decision did, for the flash.
type decisionTally struct {
	Confirmed, Waitlisted, Declined, Full, Skipped int
}

// Decide approves or declines the pending tickets a form names (the ids of
// the checked rows, or one row's button), one write each, in arrival
// order: the order ids were given, so a bulk approval gives the seats to
// whoever asked first, exactly as one by one would.
func (s *Console) Decide(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	decision := c.FormValue("decision")
	if decision != "approve" && decision != "decline" {
		return &events.Error{Code: events.EINVALID, Message: "decision: must be approve or decline",
			Fields: map[string]string{"decision": "must be approve or decline"}}
	}
	var ids []int64
	for _, v := range c.Request().PostArgs().PeekMulti("id") {
		if id, err := strconv.ParseInt(string(v), 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > maxDecisions {
		ids = ids[:maxDecisions]
	}
	var tally decisionTally
	ctx := c.UserContext()
	for _, id := range ids {
		var t *tickets.Ticket
		var err error
		if decision == "approve" {
			t, err = s.d.DB.ApproveTicket(ctx, sa.ID, id)
		} else {
			t, err = s.d.DB.DeclineTicket(ctx, sa.ID, id)
		}
		switch events.ErrorCode(err) {
		case "":
			switch t.Status {
			case tickets.StatusConfirmed:
				tally.Confirmed++
			case tickets.StatusWaitlisted:
				tally.Waitlisted++
			default:
				tally.Declined++
			}
		case events.ESALONFULL:
			tally.Full++
		case events.EINVALID, events.ENOTFOUND:
			// Decided meanwhile (another organizer, a second click) or
			// cancelled by its holder: nothing to do.
			tally.Skipped++
		default:
			// A cancelled salon (salon_cancelled) or a failing store.
			return err
		}
	}
	v := url.Values{}
	for k, n := range map[string]int{"confirmed": tally.Confirmed, "waitlisted": tally.Waitlisted,
		"declined": tally.Declined, "full": tally.Full, "skipped": tally.Skipped} {
		if n > 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	v.Set("ok", "decided")
	return c.Redirect("/admin/salons/"+sa.Slug+"/attendees?"+v.Encode(), fiber.StatusSeeOther)
}

// decidedFlash says what a decision did, from the counts its redirect
// carries; only numbers are read from the query.
func decidedFlash(c *fiber.Ctx, t func(key string, args ...any) string) string {
	n := func(k string) int {
		v, err := strconv.Atoi(c.Query(k))
		if err != nil || v < 0 {
			return 0
		}
		return v
	}
	var out string
	add := func(s string) {
		if out != "" {
			out += " "
		}
		out += s
	}
	if conf, wait := n("confirmed"), n("waitlisted"); conf+wait > 0 {
		add(t("console.decided.approved", conf+wait, conf, wait))
	}
	if d := n("declined"); d > 0 {
		add(t("console.decided.declined", d))
	}
	if f := n("full"); f > 0 {
		add(t("console.decided.full", f))
	}
	if k := n("skipped"); k > 0 {
		add(t("console.decided.skipped", k))
	}
	return out
}
