package storage

import "time"

// DoorLink lets a volunteer without an account check guests in at one salon.
type DoorLink struct {
	ID        int64
	SalonID   int64
	Label     string
	CreatedBy int64
	CreatedAt time.Time
	RevokedAt *time.Time
}
