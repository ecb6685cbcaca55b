package events

// Limits on the host fields: a name fits one line of the salon page, and the
// about is a short paragraph, not a second description.
const (
	MaxHostName  = 100
	MaxHostAbout = 600
)

// HostInput is the salon's host as a client sends it ("host": {"name",
// "about"}). An empty name with no about clears the host.
type HostInput struct {
	Name  *string `json:"name"`
	About *string `json:"about"`
}

// validateHost adds the host fields' problems to f. A host's about needs
// the host's name: "Hosted by" with nobody named reads as a mistake.
func (s *Salon) validateHost(f FieldErrors) {
	if msg := CheckLine(s.HostName, 0, MaxHostName); msg != "" {
		f.Add("host.name", msg)
	}
	if msg := CheckText(s.HostAbout, MaxHostAbout); msg != "" {
		f.Add("host.about", msg)
	}
	if s.HostName == "" && s.HostAbout != "" {
		f.Add("host.name", "required when the host has an about")
	}
}
