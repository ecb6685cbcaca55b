// Package site is the public pages: the listing, a salon's page with its
// RSVP form, and a ticket's page with its QR code, calendar links and
// cancel form. Pages are rendered from its own templates inside the
// kernel's layout, and served from the page cache where they can be. It
// imports no other surface.
package site

import (
	"embed"

	"salon/app/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Site serves the public pages.
type Site struct {
	d     *web.Deps
	pages *web.Templates
	// flashes seal failed RSVP forms into a cookie until the salon page
	// shows them.
	flashes *flashSealer
	// covers keeps cover images served lately (see Cover).
	covers *coverCache
}

// New builds the public pages on the kernel.
func New(d *web.Deps) (*Site, error) {
	t, err := web.ParseTemplates(templateFS, nil, "index", "salon", "ticket", "cancel", "erase",
		"privacy", "all", "me", "me_erase")
	if err != nil {
		return nil, err
	}
	return &Site{d: d, pages: t, flashes: newFlashSealer(d.DB.Key()), covers: newCoverCache()}, nil
}
