package storage

import (
	"time"

	"salon/events"
)

// Session is a signed-in console browser. The id itself lives only in the
// browser's cookie; the database keeps its hash.
type Session struct {
	UserID     int64
	User       *events.User
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}
