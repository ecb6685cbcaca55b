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
}
