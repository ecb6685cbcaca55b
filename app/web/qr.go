package web

import (
	lru "github.com/hashicorp/golang-lru/v2"

	"salon/tickets"
)

// qrSize is the PNG's side in pixels: large enough for a phone camera at
// arm's length, small enough to send in mail.
const qrSize = 320

// QRCache keeps rendered QR images by ticket id: a render costs about a
// millisecond and a ticket's code never changes while it is confirmed.
type QRCache = lru.Cache[int64, []byte]

func newQRCache() *QRCache {
	c, err := lru.New[int64, []byte](8192)
	if err != nil {
		panic(err) // only for a non-positive size
	}
	return c
}

// QRImage returns the PNG of a confirmed ticket's code, from the cache when
// it can.
func (d *Deps) QRImage(t *tickets.Ticket) ([]byte, error) {
	if png, ok := d.QR.Get(t.ID); ok {
		return png, nil
	}
	png, err := tickets.QRPNG(d.Keys.Sign(t), qrSize)
	if err != nil {
		return nil, err
	}
	d.QR.Add(t.ID, png)
	return png, nil
}
