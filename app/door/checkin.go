package door

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

const doorLinkKey = "door_link"

// Require authenticates door devices: an API token of an account that
// may check in at the salon, or a door link token ("sld_…") for this salon.
func (s *Door) Require(c *fiber.Ctx) error {
	h := strings.TrimSpace(strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "))
	if strings.HasPrefix(h, "sld_") {
		l, err := s.d.DB.FindDoorLink(c.UserContext(), h)
		if err != nil {
			return err
		}
		c.Locals(doorLinkKey, l)
		return c.Next()
	}
	return s.d.RequireToken(c)
}

// salon loads the salon of a door request and checks the caller may
// check in there. A door link for another salon is forbidden.
func (s *Door) salon(c *fiber.Ctx) (*events.Salon, error) {
	sa, err := s.d.DB.FindSalonBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	if l, ok := c.Locals(doorLinkKey).(*storage.DoorLink); ok {
		if l.SalonID != sa.ID {
			return nil, events.Errorf(events.EFORBIDDEN, "This door link is for another salon.")
		}
		return sa, nil
	}
	if u := web.CurrentUser(c); u == nil || !u.CanCheckIn(sa) {
		return nil, events.Errorf(events.EFORBIDDEN, "You may not check guests in at this salon.")
	}
	return sa, nil
}

// checkinInput is the body of a check-in. scanned_at counts only with
// offline, which door devices set when they upload scans made while the
// network was down; an online scan is made at the server's time.
type checkinInput struct {
	Code      string `json:"code"`
	Nonce     string `json:"nonce"`
	Device    string `json:"device"`
	ScannedAt string `json:"scanned_at"`
	Offline   bool   `json:"offline"`
	// TicketID checks a guest in by hand from the door's guest list.
	TicketID string `json:"ticket_id"`
}

// checkinGuest is what door staff see of a ticket: never the email.
type checkinGuest struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Company     string  `json:"company"`
	JobTitle    string  `json:"job_title"`
	Status      string  `json:"status"`
	CheckedInAt *string `json:"checked_in_at"`
	// Guests are the companions the ticket admits with its holder.
	Guests int `json:"guests"`
	// Search is what the door's name search matches (see searchKey);
	// only the guest list carries it.
	Search string `json:"search,omitempty"`
}

// foreignGuest is what a door sees of a genuine ticket for another salon:
// what the contract names (name, company, job title, status), so staff can
// send the guest to the right door, and nothing of that salon's own door:
// no ticket id and no check-in time.
type foreignGuest struct {
	Name     string `json:"name"`
	Company  string `json:"company"`
	JobTitle string `json:"job_title"`
	Status   string `json:"status"`
}

func guestJSON(t *tickets.Ticket, loc *time.Location) *checkinGuest {
	return &checkinGuest{ID: strconv.FormatInt(t.ID, 10), Name: t.Name, Company: t.Company, JobTitle: t.JobTitle, Status: t.Status,
		CheckedInAt: web.TimePtr(t.CheckedInAt, loc), Guests: t.Guests}
}

var checkinStatus = map[string]int{
	tickets.CheckinOK:           fiber.StatusOK,
	tickets.CheckinAlready:      fiber.StatusConflict,
	tickets.CheckinNotConfirmed: fiber.StatusConflict,
	tickets.CheckinWrongSalon:   fiber.StatusConflict,
	tickets.CheckinInvalid:      fiber.StatusUnprocessableEntity,
}

// Checkin records a scan, or a check-in by hand from the door's guest
// list, and answers with what door staff may see of the guest.
func (s *Door) Checkin(c *fiber.Ctx) error {
	sa, err := s.salon(c)
	if err != nil {
		return err
	}
	var in checkinInput
	if err := web.DecodeJSON(c, &in, false); err != nil {
		return err
	}
	req := storage.CheckinRequest{SalonID: sa.ID, Code: in.Code, Nonce: strings.TrimSpace(in.Nonce), Device: in.Device, Offline: in.Offline}
	if in.ScannedAt != "" {
		t, ok := events.ParseTime(in.ScannedAt, time.UTC)
		if !ok {
			return &events.Error{Code: events.EINVALID, Message: "scanned_at: not a valid RFC 3339 time", Fields: map[string]string{"scanned_at": "not a valid RFC 3339 time"}}
		}
		req.ScannedAt = t
	}
	if in.Code == "" && in.TicketID != "" {
		// By hand from the guest list. The store looks the id up within the
		// door's salon: an id of another salon is not found, so walking ids
		// reveals nothing and logs no scan.
		id, err := strconv.ParseInt(in.TicketID, 10, 64)
		if err != nil || id <= 0 {
			return &events.Error{Code: events.EINVALID, Message: "ticket_id: not a ticket id", Fields: map[string]string{"ticket_id": "not a ticket id"}}
		}
		req.TicketID = id
	}
	if len(req.Code) > 1024 {
		req.Code = "" // never verify huge input; it is simply invalid
	}
	if u := web.CurrentUser(c); u != nil {
		req.UserID = u.ID
	}
	if l, ok := c.Locals(doorLinkKey).(*storage.DoorLink); ok {
		req.DoorLinkID = l.ID
	}
	res, err := s.d.CheckIn(c.UserContext(), req)
	if err != nil {
		return err
	}
	body := fiber.Map{"result": res.Result}
	loc := sa.Location()
	switch {
	case res.Ticket != nil && res.Result == tickets.CheckinWrongSalon:
		t := res.Ticket
		body["ticket"] = foreignGuest{Name: t.Name, Company: t.Company, JobTitle: t.JobTitle, Status: t.Status}
		body["checked_in_at"] = nil
	case res.Ticket != nil:
		body["ticket"] = guestJSON(res.Ticket, loc)
		body["checked_in_at"] = web.TimePtr(res.CheckedInAt, loc)
	}
	if res.Flagged {
		body["flagged"] = true
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(checkinStatus[res.Result]).JSON(body)
}

// Data gives a door device what it needs to keep working offline:
// the public keys, the guest list (names and companies, never emails) and
// the tickets whose codes are revoked.
func (s *Door) Data(c *fiber.Ctx) error {
	sa, err := s.salon(c)
	if err != nil {
		return err
	}
	list, err := s.d.DB.FindTickets(c.UserContext(), storage.TicketFilter{SalonID: sa.ID})
	if err != nil {
		return err
	}
	loc := sa.Location()
	guests := make([]*checkinGuest, 0, len(list))
	revoked := []string{}
	for _, t := range list {
		if t.Status == tickets.StatusCancelled {
			revoked = append(revoked, strconv.FormatInt(t.ID, 10))
		}
		g := guestJSON(t, loc)
		g.Search = searchKey(t.Name, t.Company)
		guests = append(guests, g)
	}
	keys := []fiber.Map{}
	for _, k := range s.d.Keys.PublicKeys() {
		keys = append(keys, fiber.Map{"id": k.ID, "ed25519": base64.StdEncoding.EncodeToString(k.Key)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{
		"salon":       fiber.Map{"id": sa.ID, "slug": sa.Slug, "title": sa.Title, "starts_at": sa.StartsAt.In(loc).Format(time.RFC3339), "timezone": sa.Timezone},
		"public_keys": keys,
		"guests":      guests,
		"revoked":     revoked,
		"counts":      fiber.Map{"checked_in": sa.CheckedIn, "confirmed": sa.Confirmed},
	})
}
