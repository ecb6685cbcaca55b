package postgres

// SetRSVPLanes sets how many lanes db's RSVP batcher starts with; call it
// before db's first RSVP. One lane puts every salon's RSVPs in the same
// batches.
func SetRSVPLanes(db *DB, n int) { db.rsvpLanes = n }

// OnRSVPBatch sets f to be told the size of every RSVP batch db commits,
// and how it ran: "bulk" (one statement for all), "one by one", or
// "savepoints" (one by one, each under a savepoint). Set it before db's
// first RSVP.
func OnRSVPBatch(db *DB, f func(n int, mode string)) { db.onRSVPBatch = f }

// QueuedRSVPs counts the RSVPs waiting in db's lanes, not yet taken into
// a batch.
func QueuedRSVPs(db *DB) int {
	db.rsvps.mu.RLock()
	defer db.rsvps.mu.RUnlock()
	n := 0
	for _, l := range db.rsvps.lanes {
		n += len(l)
	}
	return n
}

// FeedQuery is the statement that reads an email's first ticket and feed
// version, with PostgreSQL's placeholders.
var FeedQuery = rebind(feedQuery)

// BulkInsertQuery is the statement that writes a batch's tickets in one,
// with PostgreSQL's placeholders.
var BulkInsertQuery = rebind(bulkInsertQuery)

// CreateTicketQuery is the statement that writes one RSVP's ticket and
// notice when a batch runs one RSVP at a time, for the plan test.
var CreateTicketQuery = rebind(createTicketQuery)
