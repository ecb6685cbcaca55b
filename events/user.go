package events

import "time"

// Account roles.
const (
	RoleAdmin     = "admin"
	RoleOrganizer = "organizer"
	RoleStaff     = "staff"
)

// User is an account: an admin, an organizer or door staff.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	// DisabledAt is when the account was disabled; nil while it may sign
	// in and use its API tokens.
	DisabledAt *time.Time
}

// Disabled reports whether the account is disabled.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleOrganizer || r == RoleStaff
}

// CanManage reports whether u may edit s and see its attendees: admins
// always, organizers only their own salons.
func (u *User) CanManage(s *Salon) bool {
	return u.Role == RoleAdmin || (u.Role == RoleOrganizer && s.OrganizerID == u.ID)
}

// CanCheckIn reports whether u may check guests in at s: anyone who may
// manage it, and door staff.
func (u *User) CanCheckIn(s *Salon) bool {
	return u.CanManage(s) || u.Role == RoleStaff
}

// CanCreateSalons reports whether u may create salons.
func (u *User) CanCreateSalons() bool {
	return u.Role == RoleAdmin || u.Role == RoleOrganizer
}
