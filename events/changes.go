package events

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Change is one field of a salon that an edit changed, with its value
// before and after as an organizer reads them.
type Change struct {
	Field    string
	Old, New string
}

// maxChangeValue bounds a value quoted in a change: a description is
// named as changed, not copied into the audit log.
const maxChangeValue = 60

// Changes lists the fields that differ between before and after, in the
// form's order. Times are written in the salon's zone (after's), and long
// texts are cut.
func Changes(before, after *Salon) []Change {
	loc := after.Location()
	at := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	yes := func(b bool) string { return strconv.FormatBool(b) }
	var out []Change
	add := func(field, old, new string) {
		if old != new {
			out = append(out, Change{Field: field, Old: clip(old), New: clip(new)})
		}
	}
	add("title", before.Title, after.Title)
	add("title_zh", before.TitleZh, after.TitleZh)
	add("industry", before.Industry, after.Industry)
	if before.Description != after.Description {
		out = append(out, Change{Field: "description"})
	}
	if before.DescriptionZh != after.DescriptionZh {
		out = append(out, Change{Field: "description_zh"})
	}
	add("venue", before.Venue, after.Venue)
	add("address", before.Address, after.Address)
	add("timezone", before.Timezone, after.Timezone)
	add("starts_at", at(before.StartsAt), at(after.StartsAt))
	add("ends_at", at(before.EndsAt), at(after.EndsAt))
	add("rsvp_deadline", at(before.RSVPDeadline), at(after.RSVPDeadline))
	add("capacity", strconv.Itoa(before.Capacity), strconv.Itoa(after.Capacity))
	add("waitlist", yes(before.Waitlist), yes(after.Waitlist))
	add("reminder_before", reminderText(before.ReminderBefore), reminderText(after.ReminderBefore))
	add("status", before.Status, after.Status)
	return out
}

// DescribeChanges writes Changes as one line for the audit log:
// "capacity: 40 → 60; venue: Hall A → Hall B". A text field is quoted
// when it has spaces at its ends or holds the separators, so the line
// reads back unambiguously; a description says only that it changed.
func DescribeChanges(before, after *Salon) string {
	var parts []string
	for _, c := range Changes(before, after) {
		if c.Old == "" && c.New == "" {
			parts = append(parts, c.Field+": changed")
			continue
		}
		parts = append(parts, c.Field+": "+quoteValue(c.Old)+" → "+quoteValue(c.New))
	}
	return strings.Join(parts, "; ")
}

func quoteValue(s string) string {
	if s == "" || strings.ContainsAny(s, ";→\"") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}

func reminderText(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case m == 0:
		return strconv.Itoa(h) + "h"
	case h == 0:
		return strconv.Itoa(m) + "m"
	}
	return strconv.Itoa(h) + "h" + strconv.Itoa(m) + "m"
}

// clip cuts s to maxChangeValue characters, marking the cut.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxChangeValue {
		return s
	}
	r := []rune(s)
	return string(r[:maxChangeValue-1]) + "…"
}
