package web

import (
	"context"

	"salon/storage"
)

// CheckIn verifies a scan's code with the server's keys, before the writer
// is involved, and records the scan; a code that does not verify is
// recorded as an invalid scan.
func (d *Deps) CheckIn(ctx context.Context, r storage.CheckinRequest) (*storage.CheckinResult, error) {
	if c, err := d.Keys.Verify(r.Code); err == nil {
		r.Claims = &c
	}
	return d.DB.CheckIn(ctx, r)
}

// DoorLinkURL is the door page a door link opens, its token in the
// fragment, which browsers never send to servers or put in Referer headers.
func (d *Deps) DoorLinkURL(slug, token string) string {
	return d.BaseURL + "/door/" + slug + "#key=" + token
}
