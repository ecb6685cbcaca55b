package storage

// LoginLimit is how many attempts one throttle key may have in the window.
type LoginLimit struct {
	Key string
	Max int
}

// LoginAttempt is the answer to ReserveLoginAttempt.
type LoginAttempt struct {
	// Allowed says the password may be checked. When false nothing was
	// recorded: a refused attempt does not push the lock further out.
	Allowed bool
	// Counts are the attempts each limit's key had in the window before
	// this one, in the order of the limits.
	Counts []int
	// Rows name what the store recorded for this attempt, one per limit,
	// for ReleaseLoginAttempt; callers hand them back untouched.
	Rows []int64
}
