package web

import (
	"context"
	"strings"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// TakeRSVP is the one RSVP path behind the API and the HTML form: it
// validates and takes an RSVP, answering with what the JSON answer
// shows besides the ticket, read in the same write. key is the
// Idempotency-Key, "" for none.
func (d *Deps) TakeRSVP(ctx context.Context, slug string, in tickets.RSVPInput, key string) (*storage.RSVPResult, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		d.Metrics.rsvps.WithLabelValues(events.EINVALID).Inc()
		return nil, err
	}
	key = strings.TrimSpace(key)
	if len(key) > maxIdempotencyKey || events.CheckLine(key, 0, maxIdempotencyKey) != "" {
		return nil, &events.Error{Code: events.EINVALID, Message: "Idempotency-Key: at most 200 printable characters",
			Fields: map[string]string{"Idempotency-Key": "at most 200 printable characters"}}
	}
	res, err := d.DB.CreateRSVP(ctx, storage.RSVPRequest{Slug: slug, Input: in, IdempotencyKey: key})
	if err != nil {
		d.Metrics.rsvps.WithLabelValues(events.ErrorCode(err)).Inc()
		return nil, err
	}
	d.Metrics.rsvps.WithLabelValues(res.Ticket.Status).Inc()
	return res, nil
}
