package notice

import (
	"salon/app/i18n"
	"salon/events"
)

// ChangeLine is one thing a change notice says changed: what it is, and
// its old and new values as the reader's language writes them.
type ChangeLine struct{ Label, Old, New string }

// Text is the line as plain text: "Time: old → new".
func (l ChangeLine) Text(lang string) string {
	return i18n.T(lang, "change.line", l.Label, l.Old, l.New)
}

// ChangeLines says what c changed for a reader of lang: the time (each side
// in its own zone, named, with 24-hour times, written by format), the place
// and the title in the reader's language. Nothing the reader would not
// notice is listed (a Chinese title changed under an English reader's).
func ChangeLines(lang string, c events.SalonChange, format func(lang string, s *events.Salon) string) []ChangeLine {
	none := func(s string) string {
		if s == "" {
			return i18n.T(lang, "change.none")
		}
		return s
	}
	var out []ChangeLine
	if c.TimeChanged() {
		out = append(out, ChangeLine{Label: i18n.T(lang, "change.time"),
			Old: format(lang, c.Before.Salon()), New: format(lang, c.After.Salon())})
	}
	if c.PlaceChanged() {
		out = append(out, ChangeLine{Label: i18n.T(lang, "change.place"), Old: none(c.Before.Place()), New: none(c.After.Place())})
	}
	if c.TitleChanged(lang) {
		out = append(out, ChangeLine{Label: i18n.T(lang, "change.name"),
			Old: c.Before.Salon().TitleIn(lang), New: c.After.Salon().TitleIn(lang)})
	}
	return out
}
