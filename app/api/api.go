// Package api is the JSON API under /api/v1: salons, RSVPs and tickets for
// everyone; salons, attendees, door links, scans and the outbox for
// organizers with an API token. Its JSON types are the contract's and live
// only here, so no other surface can change them. It imports no other
// surface.
package api

import "salon/app/web"

// API serves the JSON API.
type API struct {
	d *web.Deps
}

// New builds the API on the kernel.
func New(d *web.Deps) *API { return &API{d: d} }
