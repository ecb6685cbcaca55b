package site

import (
	"net/url"
	"strings"

	"salon/events"
)

// mapLinks open a salon's place in the maps people in Shanghai use (Amap),
// on iPhones (Apple Maps) and outside China (Google Maps). They are built
// from the text of the address, as searches: the salon has no coordinates.
type mapLinks struct {
	Amap, Apple, Google string
}

// salonMapLinks are the map links for where a salon is, or nil when it
// names no place. The address is the better search; a venue alone still
// finds well-known places.
func salonMapLinks(sa *events.Salon) *mapLinks {
	q := strings.TrimSpace(sa.Address)
	if q == "" {
		q = strings.TrimSpace(sa.Venue)
	}
	if q == "" {
		return nil
	}
	// Spaces as %20, not "+": every map reads that the same way, and a
	// literal "+" in the address is still %2B.
	link := func(base string, v url.Values) string { return base + "?" + strings.ReplaceAll(v.Encode(), "+", "%20") }
	return &mapLinks{
		Amap:   link("https://uri.amap.com/search", url.Values{"keyword": {q}, "src": {"salon"}, "callnative": {"0"}}),
		Apple:  link("https://maps.apple.com/", url.Values{"q": {q}}),
		Google: link("https://www.google.com/maps/search/", url.Values{"api": {"1"}, "query": {q}}),
	}
}
