package console

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// localInput is the layout of an <input type="datetime-local">: a wall
// clock time, read in the zone chosen beside it.
const localInput = "2006-01-02T15:04"

// salonForm is the salon form as typed: strings, so what was typed is shown
// again beside its error.
type salonForm struct {
	Title, Industry, Description, Venue, Address string
	TitleZh, DescriptionZh                       string
	StartsAt, EndsAt, RSVPDeadline               string
	Timezone, Capacity                           string
	Waitlist                                     bool
	Approval                                     bool
	MaxGuests                                    string
	// Questions are the rows of the questions editor.
	Questions []questionForm
	// Reminder is minutes before the start; "0" sends none.
	Reminder            string
	HostName, HostAbout string
}

func formFromSalon(sa *events.Salon) salonForm {
	loc := sa.Location()
	f := salonForm{Title: sa.Title, TitleZh: sa.TitleZh, DescriptionZh: sa.DescriptionZh,
		Industry: sa.Industry, Description: sa.Description, Venue: sa.Venue,
		Address: sa.Address, Timezone: sa.Timezone, Capacity: strconv.Itoa(sa.Capacity), Waitlist: sa.Waitlist,
		StartsAt: sa.StartsAt.In(loc).Format(localInput), EndsAt: sa.EndsAt.In(loc).Format(localInput),
		Approval: sa.Approval, MaxGuests: strconv.Itoa(sa.MaxGuests),
		Reminder: strconv.Itoa(int(sa.ReminderBefore / time.Minute)),
		HostName: sa.HostName, HostAbout: sa.HostAbout}
	if !sa.RSVPDeadline.Equal(sa.StartsAt) {
		f.RSVPDeadline = sa.RSVPDeadline.In(loc).Format(localInput)
	}
	f.Questions = questionForms(sa.Questions)
	return f
}

func readSalonForm(c *fiber.Ctx) salonForm {
	f := salonForm{
		Title: c.FormValue("title"), Industry: c.FormValue("industry"), Description: c.FormValue("description"),
		TitleZh: c.FormValue("title_zh"), DescriptionZh: c.FormValue("description_zh"),
		Venue: c.FormValue("venue"), Address: c.FormValue("address"), StartsAt: c.FormValue("starts_at"),
		EndsAt: c.FormValue("ends_at"), RSVPDeadline: c.FormValue("rsvp_deadline"), Timezone: c.FormValue("timezone"),
		Capacity: c.FormValue("capacity"), Waitlist: c.FormValue("waitlist") == "on",
		Approval: c.FormValue("approval") == "on", MaxGuests: c.FormValue("max_guests"),
		Reminder: c.FormValue("reminder_before_minutes"),
		HostName: c.FormValue("host_name"), HostAbout: c.FormValue("host_about"),
	}
	f.Questions = readQuestionForms(c)
	return f
}

// update turns the form into the same SalonUpdate the JSON API makes, so
// both are checked by one set of rules. An empty deadline means "when the
// salon starts".
func (f salonForm) update() (events.SalonUpdate, events.FieldErrors) {
	fe := events.FieldErrors{}
	in := events.SalonInput{Title: &f.Title, TitleZh: &f.TitleZh, DescriptionZh: &f.DescriptionZh,
		Industry: &f.Industry, Description: &f.Description, Venue: &f.Venue,
		Address: &f.Address, StartsAt: &f.StartsAt, EndsAt: &f.EndsAt, Timezone: &f.Timezone, Waitlist: &f.Waitlist,
		Host: &events.HostInput{Name: &f.HostName, About: &f.HostAbout}}
	for _, p := range []struct {
		field string
		v     *string
	}{{"starts_at", &f.StartsAt}, {"ends_at", &f.EndsAt}} {
		if strings.TrimSpace(*p.v) == "" {
			fe.Add(p.field, "required")
		}
	}
	if strings.TrimSpace(f.RSVPDeadline) != "" {
		in.RSVPDeadline = &f.RSVPDeadline
	} else {
		in.RSVPDeadline = &f.StartsAt
	}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Capacity)); err == nil {
		in.Capacity = &n
	} else {
		fe.Add("capacity", "must be a whole number")
	}
	in.Approval = &f.Approval
	if v := strings.TrimSpace(f.MaxGuests); v == "" {
		zero := 0
		in.MaxGuests = &zero
	} else if n, err := strconv.Atoi(v); err == nil {
		in.MaxGuests = &n
	} else {
		fe.Add("max_guests", "must be a whole number")
	}
	qs := questionsFromForms(f.Questions)
	in.Questions = &qs
	if v := strings.TrimSpace(f.Reminder); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			in.ReminderBeforeMinutes = &n
		} else {
			fe.Add("reminder_before_minutes", "must be a whole number")
		}
	}
	upd, err := in.Update(events.DefaultTimezone)
	if e, ok := err.(*events.Error); ok {
		for k, v := range e.Fields {
			fe.Add(k, v)
		}
	}
	return upd, fe
}

type salonFormPage struct {
	consolePage
	Salon   *events.Salon // nil for a new salon
	Form    salonForm
	Zones   []string
	Errors  map[string]string
	Preview *events.Salon
	// Guests is how many a change notice would mail now.
	Guests int
	// Industries are the industry choices, named in the page's language;
	// a salon's tag that no industry has is kept as a choice of its own.
	Industries []industryChoice
	Names      web.IndustryNames
}

// industryChoice is one option of the salon form's industry.
type industryChoice struct{ Slug, Name string }

// Action is where the form posts.
func (p salonFormPage) Action() string {
	if p.Salon == nil {
		return "/admin/salons/new"
	}
	return "/admin/salons/" + p.Salon.Slug + "/edit"
}

func (s *Console) renderSalonForm(c *fiber.Ctx, status int, sa *events.Salon, f salonForm, errs map[string]string, preview *events.Salon) error {
	title := "console.new_salon"
	if sa != nil {
		title = "console.edit_salon"
	}
	p := salonFormPage{consolePage: s.newConsolePage(c, title), Salon: sa, Form: f, Zones: zonesWith(f.Timezone),
		Errors: errs, Preview: preview}
	if sa != nil {
		n, err := s.d.DB.CountAudience(c.UserContext(), sa.ID, storage.AudienceAll)
		if err != nil {
			return err
		}
		p.Guests = n
	}
	list, err := s.d.Industries(c.UserContext())
	if err != nil {
		return err
	}
	p.Names, _ = s.d.IndustryNames(c.UserContext(), p.Lang)
	known := false
	for _, ind := range list {
		p.Industries = append(p.Industries, industryChoice{ind.Slug, ind.NameIn(p.Lang)})
		known = known || ind.Slug == f.Industry
	}
	if !known && f.Industry != "" {
		p.Industries = append(p.Industries, industryChoice{f.Industry, f.Industry})
	}
	return s.pages.Render(c, status, "console_salon_form", p)
}

// NewSalonPage shows the form for a new salon, two weeks out at 19:00.
func (s *Console) NewSalonPage(c *fiber.Ctx) error {
	start := s.d.DB.Now().AddDate(0, 0, 14)
	loc, _ := events.LoadZone(events.DefaultTimezone)
	day := time.Date(start.In(loc).Year(), start.In(loc).Month(), start.In(loc).Day(), 19, 0, 0, 0, loc)
	f := salonForm{Timezone: events.DefaultTimezone, Capacity: "40", Waitlist: true, MaxGuests: "0", Reminder: "1440",
		StartsAt: day.Format(localInput), EndsAt: day.Add(150 * time.Minute).Format(localInput)}
	return s.renderSalonForm(c, fiber.StatusOK, nil, f, nil, nil)
}

// NewSalon previews, saves as a draft, or saves and publishes the
// form, by the button pressed.
func (s *Console) NewSalon(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	f := readSalonForm(c)
	if f.editQuestions(c.FormValue("action")) {
		return s.renderSalonForm(c, fiber.StatusOK, nil, f, nil, nil)
	}
	upd, fe := f.update()
	sa := &events.Salon{Timezone: events.DefaultTimezone, Status: events.StatusDraft, OrganizerID: u.ID}
	sa.Apply(upd)
	if c.FormValue("action") == "publish" {
		sa.Status = events.StatusPublished
	}
	if len(fe) > 0 || c.FormValue("action") == "preview" {
		return s.previewOrRefuse(c, nil, f, sa, fe)
	}
	if err := s.d.DB.CreateSalon(c.UserContext(), sa); err != nil {
		return s.salonFormError(c, nil, f, err)
	}
	// The store gives a new salon the default reminder when it has none;
	// "no reminder" is set back at once.
	if upd.ReminderBefore != nil && *upd.ReminderBefore == 0 && sa.ReminderBefore != 0 {
		if _, err := s.d.DB.UpdateSalon(c.UserContext(), sa.ID, events.SalonUpdate{ReminderBefore: upd.ReminderBefore}); err != nil {
			return err
		}
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=created", fiber.StatusSeeOther)
}

// previewOrRefuse shows the form again: with its errors, or (for the preview
// button) with the public salon card made from the unsaved form.
func (s *Console) previewOrRefuse(c *fiber.Ctx, orig *events.Salon, f salonForm, sa *events.Salon, fe events.FieldErrors) error {
	if err := sa.Validate(); err != nil {
		if e, ok := err.(*events.Error); ok {
			for k, v := range e.Fields {
				fe.Add(k, v)
			}
		}
	}
	if len(fe) > 0 {
		return s.salonFormError(c, orig, f, fe.Err())
	}
	return s.renderSalonForm(c, fiber.StatusOK, orig, f, nil, sa)
}

func (s *Console) salonFormError(c *fiber.Ctx, orig *events.Salon, f salonForm, err error) error {
	code, status := web.StatusFor(err)
	if code == events.EINTERNAL {
		return err
	}
	return s.renderSalonForm(c, status, orig, f, consoleFieldMessages(web.PageLang(c), err), nil)
}

// EditSalonPage shows the form for a salon the organizer manages.
func (s *Console) EditSalonPage(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	return s.renderSalonForm(c, fiber.StatusOK, sa, formFromSalon(sa), nil, nil)
}

// EditSalon previews or saves an edit. Saving a change of time, place
// or title of a published salon mails its attendees, as through the API.
func (s *Console) EditSalon(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	f := readSalonForm(c)
	if f.editQuestions(c.FormValue("action")) {
		return s.renderSalonForm(c, fiber.StatusOK, sa, f, nil, nil)
	}
	upd, fe := f.update()
	if c.FormValue("action") == "preview" || len(fe) > 0 {
		next := *sa
		next.Apply(upd)
		return s.previewOrRefuse(c, sa, f, &next, fe)
	}
	out, err := s.d.DB.UpdateSalon(c.UserContext(), sa.ID, upd)
	if err != nil {
		return s.salonFormError(c, sa, f, err)
	}
	return c.Redirect("/admin/salons/"+out.Slug+"?ok=saved&n="+strconv.Itoa(out.Notified), fiber.StatusSeeOther)
}

// reminderChoices are the reminder times the form offers, in minutes.
var reminderChoices = []int{0, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080}

// reminderOption is one choice of the reminder select.
type reminderOption struct {
	Value    string
	Label    string
	Selected bool
}

// ReminderOptions lists the reminder choices, with the salon's own time
// (one set through the API, say 90 minutes) among them when it is not one.
func (p salonFormPage) ReminderOptions() []reminderOption {
	current, err := strconv.Atoi(strings.TrimSpace(p.Form.Reminder))
	if err != nil {
		current = int(events.DefaultReminderBefore / time.Minute)
	}
	var out []reminderOption
	listed := false
	for _, m := range reminderChoices {
		if !listed && current != m && current < m && current > 0 {
			out = append(out, reminderOption{Value: strconv.Itoa(current), Label: p.T("console.reminder.minutes", current), Selected: true})
			listed = true
		}
		out = append(out, reminderOption{Value: strconv.Itoa(m), Label: p.T("console.reminder." + strconv.Itoa(m)), Selected: m == current})
		listed = listed || m == current
	}
	if !listed {
		out = append(out, reminderOption{Value: strconv.Itoa(current), Label: p.T("console.reminder.minutes", current), Selected: true})
	}
	return out
}
