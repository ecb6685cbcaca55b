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
}

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
