package storage

import (
	"time"

	"salon/tickets"
)

// CheckinRequest is one scan at the door.
type CheckinRequest struct {
	SalonID int64
	// Code is the code as scanned. Storage holds no keys and does not read
	// it: Claims is what the caller's tickets.KeySet verified of it.
	Code string
	// Claims are the verified code's claims; nil when it did not verify,
	// which CheckIn records as an invalid scan.
	Claims *tickets.Claims
	// TicketID, when set, checks the ticket in by hand (a guest list, the
	// console) instead of by code. It is looked up within SalonID: a ticket
	// of another salon is not found, and no scan is logged for it.
	TicketID int64
	// Nonce, when set, makes the scan idempotent: the same nonce again for the
	// same salon answers the first result and writes nothing.
	Nonce      string
	Device     string
	UserID     int64
	DoorLinkID int64
	// ScannedAt is when the device says it scanned. Only an Offline upload
	// keeps it, within tickets.ScanTime's bounds; otherwise, and when zero,
	// the scan is made now.
	ScannedAt time.Time
	// Offline marks a scan uploaded from a device's offline queue: it may be
	// dated back, and a repeat found then is flagged for organizers rather
	// than dropped.
	Offline bool
}

// CheckinResult is the answer to a scan.
type CheckinResult struct {
	Result      string
	Ticket      *tickets.Ticket
	CheckedInAt *time.Time
	Flagged     bool
	// Replayed is true when the nonce was seen before.
	Replayed bool
}

// Scan is one logged scan attempt.
type Scan struct {
	ID          int64
	TicketID    int64
	Result      string
	Nonce       string
	Device      string
	UserID      int64
	DoorLinkID  int64
	ScannedAt   time.Time
	RecordedAt  time.Time
	CheckedInAt *time.Time
	Flagged     bool
}
