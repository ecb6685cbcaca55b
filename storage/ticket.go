package storage

// TicketFilter selects tickets; zero fields do not filter.
type TicketFilter struct {
	SalonID int64
	Email   string
	Status  string
	// Q matches a name, company or email.
	Q      string
	Limit  int
	Offset int
	// After keeps only tickets with a greater id: keyset paging, so a
	// page starts where the last one ended however many tickets arrive
	// meanwhile (new ones have greater ids and land on later pages).
	After int64
}
