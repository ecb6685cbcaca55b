package console

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

type consoleHomePage struct {
	consolePage
	Salons []*events.Salon
}

// Home lists the salons the account looks after with their
// counts: all of them for admins, their own for organizers, and for door
// staff the published salons still to come, each with its door page.
func (s *Console) Home(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	f := events.SalonFilter{Limit: 500}
	switch u.Role {
	case events.RoleOrganizer:
		f.OrganizerID = &u.ID
	case events.RoleStaff:
		now := s.d.DB.Now()
		f.From, f.Statuses = &now, []string{events.StatusPublished}
	}
	list, err := s.d.DB.FindSalons(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.pages.Render(c, fiber.StatusOK, "console_home", consoleHomePage{consolePage: s.newConsolePage(c, "console.title"), Salons: list})
}

type consoleSalonPage struct {
	consolePage
	Salon     *events.Salon
	DoorLinks []*storage.DoorLink
	Audit     []*storage.AuditEntry
	// NewDoorURL is a door link just made: shown this once, never stored.
	NewDoorURL string
	Errors     map[string]string
	// Message is the "Message guests" form.
	Message messageForm
	// IndustryName is the salon's industry in the page's language.
	IndustryName string
}

func (s *Console) renderConsoleSalon(c *fiber.Ctx, status int, sa *events.Salon, newDoorURL string, errs map[string]string) error {
	return s.renderSalonPage(c, status, sa, newDoorURL, errs, messageForm{})
}

// renderSalonWithMessage shows the salon's page with the message form as
// typed and its errors.
func (s *Console) renderSalonWithMessage(c *fiber.Ctx, status int, sa *events.Salon, f messageForm) error {
	return s.renderSalonPage(c, status, sa, "", nil, f)
}

func (s *Console) renderSalonPage(c *fiber.Ctx, status int, sa *events.Salon, newDoorURL string, errs map[string]string, f messageForm) error {
	ctx := c.UserContext()
	if err := s.loadMessageForm(c, sa, &f); err != nil {
		return err
	}
	links, err := s.d.DB.FindDoorLinks(ctx, sa.ID)
	if err != nil {
		return err
	}
	log, err := s.d.DB.FindAudit(ctx, storage.AuditFilter{SalonID: sa.ID, Limit: 20})
	if err != nil {
		return err
	}
	p := consoleSalonPage{consolePage: s.newConsolePage(c, "console.salon"), Salon: sa, DoorLinks: links, Audit: log,
		NewDoorURL: newDoorURL, Errors: errs, Message: f}
	p.Title = sa.Title
	countedFlash(c, &p.consolePage)
	names, err := s.d.IndustryNames(ctx, p.Lang)
	if err != nil {
		return err
	}
	p.IndustryName = names.Of(sa.Industry)
	return s.pages.Render(c, status, "console_salon", p)
}

// Salon shows a salon the organizer manages, its door links and recent
// audit entries.
func (s *Console) Salon(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	return s.renderConsoleSalon(c, fiber.StatusOK, sa, "", nil)
}

// Publish publishes a draft.
func (s *Console) Publish(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status != events.StatusDraft {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=already_done", fiber.StatusSeeOther)
	}
	st := events.StatusPublished
	if _, err := s.d.DB.UpdateSalon(c.UserContext(), sa.ID, events.SalonUpdate{Status: &st}); err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderConsoleSalon(c, web.ErrStatus(err), sa, "", consoleFieldMessages(web.PageLang(c), err))
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=published", fiber.StatusSeeOther)
}

type consoleCancelPage struct {
	consolePage
	Salon *events.Salon
}

// CancelSalonPage asks before cancelling, and says who will be mailed.
func (s *Console) CancelSalonPage(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status == events.StatusCancelled {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=already_done", fiber.StatusSeeOther)
	}
	p := consoleCancelPage{consolePage: s.newConsolePage(c, "console.cancel_title"), Salon: sa}
	return s.pages.Render(c, fiber.StatusOK, "console_cancel", p)
}

// CancelSalon cancels a salon.
func (s *Console) CancelSalon(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status == events.StatusCancelled {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=already_done", fiber.StatusSeeOther)
	}
	st := events.StatusCancelled
	if _, err := s.d.DB.UpdateSalon(c.UserContext(), sa.ID, events.SalonUpdate{Status: &st}); err != nil {
		return err
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=cancelled", fiber.StatusSeeOther)
}

// CreateDoorLink makes a door link and shows it this once.
func (s *Console) CreateDoorLink(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	_, token, err := s.d.DB.CreateDoorLink(c.UserContext(), sa.ID, c.FormValue("label"), u.ID)
	if err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderConsoleSalon(c, web.ErrStatus(err), sa, "", consoleFieldMessages(web.PageLang(c), err))
	}
	return s.renderConsoleSalon(c, fiber.StatusOK, sa, s.d.DoorLinkURL(sa.Slug, token), nil)
}

// RevokeDoorLink stops a door link from working.
func (s *Console) RevokeDoorLink(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Door link not found.")
	}
	if err := s.d.DB.RevokeDoorLink(c.UserContext(), sa.ID, int64(id)); err != nil {
		return err
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=revoked", fiber.StatusSeeOther)
}
