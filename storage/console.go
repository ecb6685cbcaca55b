package storage

import "time"

// APIToken is an API token as its owner sees it in the console: never the
// token itself, which is shown once at creation.
type APIToken struct {
	ID        int64
	UserID    int64
	Label     string
	CreatedAt time.Time
	RevokedAt *time.Time
}
