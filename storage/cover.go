package storage

import (
	"context"

	"salon/events"
)

// CoverImage is one stored width of a salon's cover: the bytes as they are
// served (re-encoded, without the upload's metadata).
type CoverImage struct {
	Width, Height int
	ContentType   string
	Data          []byte
}

// Covers keeps salons' cover images in the database, so every process
// sharing it serves the same bytes.
type Covers interface {
	// SetSalonCover replaces salon id's cover with images (one per width,
	// smallest first) under key, which names their content, in one write:
	// the old images go and the new ones and the salon's Cover appear
	// together or not at all. Audited as salon.cover.
	SetSalonCover(ctx context.Context, id int64, key string, images []CoverImage) (*events.Salon, error)
	// RemoveSalonCover removes salon id's cover; a salon without one is
	// fine. Audited as salon.cover_remove when there was one.
	RemoveSalonCover(ctx context.Context, id int64) (*events.Salon, error)
	// FindCoverImage returns the image of a cover key at width, or
	// ENOTFOUND (a replaced or removed cover's images are gone).
	FindCoverImage(ctx context.Context, key string, width int) (*CoverImage, error)
}

// The cover audit actions.
const (
	ActionSalonCover       = "salon.cover"
	ActionSalonCoverRemove = "salon.cover_remove"
)

func init() {
	AuditActions = append(AuditActions, ActionSalonCover, ActionSalonCoverRemove)
}
