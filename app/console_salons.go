package app

import (
	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

type consoleHomePage struct {
	consolePage
	Salons []*events.Salon
}

// handleConsoleHome lists the salons the account looks after with their
// counts: all of them for admins, their own for organizers, and for door
// staff the published salons still to come, each with its door page.
func (s *Server) handleConsoleHome(c *fiber.Ctx) error {
	u := currentUser(c)
	f := events.SalonFilter{Limit: 500}
	switch u.Role {
	case events.RoleOrganizer:
		f.OrganizerID = &u.ID
	case events.RoleStaff:
		now := s.db.Now()
		f.From, f.Statuses = &now, []string{events.StatusPublished}
	}
	list, err := s.db.FindSalons(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "console_home", consoleHomePage{consolePage: s.newConsolePage(c, "console.title"), Salons: list})
}

type consoleSalonPage struct {
	consolePage
	Salon     *events.Salon
	DoorLinks []*storage.DoorLink
	Audit     []*storage.AuditEntry
	// NewDoorURL is a door link just made: shown this once, never stored.
	NewDoorURL string
	Errors     map[string]string
}

func (s *Server) renderConsoleSalon(c *fiber.Ctx, status int, sa *events.Salon, newDoorURL string, errs map[string]string) error {
	ctx := c.UserContext()
	links, err := s.db.FindDoorLinks(ctx, sa.ID)
	if err != nil {
		return err
	}
	log, err := s.db.FindAudit(ctx, storage.AuditFilter{SalonID: sa.ID, Limit: 20})
	if err != nil {
		return err
	}
	p := consoleSalonPage{consolePage: s.newConsolePage(c, "console.salon"), Salon: sa, DoorLinks: links, Audit: log,
		NewDoorURL: newDoorURL, Errors: errs}
	p.Title = sa.Title
	return s.render(c, status, "console_salon", p)
}

func (s *Server) handleConsoleSalon(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	return s.renderConsoleSalon(c, fiber.StatusOK, sa, "", nil)
}

func (s *Server) handleConsolePublish(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status != events.StatusDraft {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=already_done", fiber.StatusSeeOther)
	}
	st := events.StatusPublished
	if _, err := s.db.UpdateSalon(c.UserContext(), sa.ID, events.SalonUpdate{Status: &st}); err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderConsoleSalon(c, errStatus(err), sa, "", consoleFieldMessages(pageLang(c), err))
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=published", fiber.StatusSeeOther)
}

type consoleCancelPage struct {
	consolePage
	Salon *events.Salon
}

// handleCancelSalonPage asks before cancelling, and says who will be mailed.
func (s *Server) handleCancelSalonPage(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status == events.StatusCancelled {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=already_done", fiber.StatusSeeOther)
	}
	p := consoleCancelPage{consolePage: s.newConsolePage(c, "console.cancel_title"), Salon: sa}
	return s.render(c, fiber.StatusOK, "console_cancel", p)
}

func (s *Server) handleConsoleCancelSalon(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status == events.StatusCancelled {
		return c.Redirect("/admin/salons/"+sa.Slug+"?ok=already_done", fiber.StatusSeeOther)
	}
	st := events.StatusCancelled
	if _, err := s.db.UpdateSalon(c.UserContext(), sa.ID, events.SalonUpdate{Status: &st}); err != nil {
		return err
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=cancelled", fiber.StatusSeeOther)
}

// handleConsoleCreateDoorLink makes a door link and shows it this once.
func (s *Server) handleConsoleCreateDoorLink(c *fiber.Ctx) error {
	sa, u, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	l, token, err := s.db.CreateDoorLink(c.UserContext(), sa.ID, c.FormValue("label"), u.ID)
	if err != nil {
		if events.ErrorCode(err) == events.EINTERNAL {
			return err
		}
		return s.renderConsoleSalon(c, errStatus(err), sa, "", consoleFieldMessages(pageLang(c), err))
	}
	return s.renderConsoleSalon(c, fiber.StatusOK, sa, s.doorLinkJSON(l, sa, token).URL, nil)
}

func (s *Server) handleConsoleRevokeDoorLink(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Door link not found.")
	}
	if err := s.db.RevokeDoorLink(c.UserContext(), sa.ID, int64(id)); err != nil {
		return err
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=revoked", fiber.StatusSeeOther)
}
