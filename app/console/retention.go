package console

import (
	"salon/app/web"
	"salon/events"
)

// RetentionNote says, on a salon's page, when its guests' personal data is
// erased (in the salon's zone), that it was, or that the server keeps it.
func (p consolePage) RetentionNote(s *events.Salon) string {
	state, at := p.retention.Of(s)
	if state == web.RetentionKept {
		return p.T("console.retention.kept")
	}
	return p.T("console.retention."+state, p.At(at, s.Timezone)+" ("+s.Timezone+")", p.retention.Days)
}

// RetentionShort is the salon list's cell: the erasure date, or a word
// for kept and erased data.
func (p consolePage) RetentionShort(s *events.Salon) string {
	state, at := p.retention.Of(s)
	switch state {
	case web.RetentionKept:
		return p.T("console.retention.short_kept")
	case web.RetentionErased:
		return p.T("console.retention.short_erased")
	}
	return p.At(at, s.Timezone)[:10]
}
