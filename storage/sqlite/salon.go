package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

const salonColumns = `id, slug, title, title_zh, industry, description, description_zh, venue, address, starts_at, ends_at,
	timezone, capacity, waitlist, rsvp_deadline, status, sequence, reminder_before,
	COALESCE(organizer_id, 0), confirmed, waitlisted, created_at, updated_at, checked_in,
	approval, max_guests, pending, questions, host_name, host_about, cover_key, cover_sizes`

// salonsFrom is where salonColumns are read from: the salons and their
// counts, which have a narrow table of their own (migration 0022). CROSS
// JOIN keeps salons the outer loop, so their indexes serve the WHERE and
// ORDER BY and each salon's counts are one lookup by its id.
const salonsFrom = ` FROM salons CROSS JOIN salon_counts ON salon_counts.salon_id = salons.id`

// salonByID selects one salon by id, for scanSalon.
const salonByID = `SELECT ` + salonColumns + salonsFrom + ` WHERE id = ?`

type scanner interface{ Scan(dest ...any) error }

func scanSalon(row scanner) (*events.Salon, error) {
	var s events.Salon
	var starts, ends, deadline, created, updated, reminder int64
	var questions string
	var coverSizes string
	err := row.Scan(&s.ID, &s.Slug, &s.Title, &s.TitleZh, &s.Industry, &s.Description, &s.DescriptionZh, &s.Venue, &s.Address,
		&starts, &ends, &s.Timezone, &s.Capacity, &s.Waitlist, &deadline, &s.Status, &s.Sequence,
		&reminder, &s.OrganizerID, &s.Confirmed, &s.Waitlisted, &created, &updated, &s.CheckedIn,
		&s.Approval, &s.MaxGuests, &s.Pending, &questions, &s.HostName, &s.HostAbout, &s.Cover.Key, &coverSizes)
	if err != nil {
		return nil, err
	}
	if s.Questions, err = storage.DecodeQuestions(questions); err != nil {
		return nil, err
	}
	s.StartsAt, s.EndsAt, s.RSVPDeadline = unix(starts), unix(ends), unix(deadline)
	s.CreatedAt, s.UpdatedAt = unix(created), unix(updated)
	s.ReminderBefore = time.Duration(reminder) * time.Second
	s.Cover.Sizes = events.ParseSizes(coverSizes)
	return &s, nil
}

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// FindSalonBySlug returns any salon, drafts included; callers that answer
// the public hide drafts themselves.
func (db *DB) FindSalonBySlug(ctx context.Context, slug string) (*events.Salon, error) {
	s, err := scanSalon(db.read.QueryRowContext(ctx, `SELECT `+salonColumns+salonsFrom+` WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Salon")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch salon %q: %w", slug, err)
	}
	return s, nil
}

// FindSalonByID returns the salon with the given id.
func (db *DB) FindSalonByID(ctx context.Context, id int64) (*events.Salon, error) {
	s, err := scanSalon(db.read.QueryRowContext(ctx, salonByID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Salon")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch salon %d: %w", id, err)
	}
	return s, nil
}

// FindSalons returns the salons matching f, soonest first.
func (db *DB) FindSalons(ctx context.Context, f events.SalonFilter) ([]*events.Salon, error) {
	query, args := salonsQuery(f)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list salons: %w", err)
	}
	defer rows.Close()
	var out []*events.Salon
	for rows.Next() {
		s, err := scanSalon(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read salon: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: unable to list salons: %w", err)
	}
	return out, nil
}

// salonsQuery is FindSalons' query for f and its arguments.
func salonsQuery(f events.SalonFilter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Industry != nil {
		where, args = append(where, "industry = ?"), append(args, *f.Industry)
	}
	if f.Q != nil {
		// Every word must appear in one of the four texts, as typed or in
		// another case; % and _ in a word are literal characters.
		for _, w := range strings.Fields(*f.Q) {
			pat := "%" + escapeLike(strings.ToLower(w)) + "%"
			where = append(where, `(salon_fold(title) LIKE ? ESCAPE '\' OR salon_fold(description) LIKE ? ESCAPE '\'
				OR salon_fold(title_zh) LIKE ? ESCAPE '\' OR salon_fold(description_zh) LIKE ? ESCAPE '\')`)
			args = append(args, pat, pat, pat, pat)
		}
	}
	if f.From != nil {
		where, args = append(where, "ends_at >= ?"), append(args, f.From.Unix())
	}
	if f.To != nil {
		where, args = append(where, "starts_at < ?"), append(args, f.To.Unix())
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.OrganizerID != nil {
		where, args = append(where, "organizer_id = ?"), append(args, *f.OrganizerID)
	}
	if f.EndedBefore != nil {
		where, args = append(where, "ends_at < ?"), append(args, f.EndedBefore.Unix())
	}
	order := "starts_at, id"
	if f.Newest {
		order = "starts_at DESC, id DESC"
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit, f.Offset)
	return `SELECT ` + salonColumns + salonsFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + ` LIMIT ? OFFSET ?`, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CreateSalon validates s, gives it a unique slug when it has none, and saves
// it. s is updated with its id, slug and timestamps.
func (db *DB) CreateSalon(ctx context.Context, s *events.Salon) error {
	if s.Timezone == "" {
		s.Timezone = events.DefaultTimezone
	}
	if s.Status == "" {
		s.Status = events.StatusDraft
	}
	if s.RSVPDeadline.IsZero() {
		s.RSVPDeadline = s.StartsAt
	}
	if s.ReminderBefore == 0 {
		s.ReminderBefore = events.DefaultReminderBefore
	}
	if err := s.Validate(); err != nil {
		return err
	}
	explicit := s.Slug != ""
	base := s.Slug
	if !explicit {
		base = events.Slugify(s.Title)
	}
	return db.update(ctx, func(tx *Tx) error {
		slug, err := uniqueSlug(ctx, tx, base, explicit)
		if err != nil {
			return err
		}
		s.Slug = slug
		s.CreatedAt, s.UpdatedAt = tx.now, tx.now
		var org any
		if s.OrganizerID != 0 {
			org = s.OrganizerID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO salons (slug, title, title_zh, industry, description, description_zh,
			venue, address, starts_at, ends_at, timezone, capacity, waitlist, rsvp_deadline, status, sequence,
			reminder_before, organizer_id, created_at, updated_at, approval, max_guests, questions, host_name, host_about)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.Slug, s.Title, s.TitleZh, s.Industry, s.Description, s.DescriptionZh, s.Venue, s.Address, s.StartsAt.Unix(), s.EndsAt.Unix(),
			s.Timezone, s.Capacity, s.Waitlist, s.RSVPDeadline.Unix(), s.Status, s.Sequence,
			int64(s.ReminderBefore/time.Second), org, s.CreatedAt.Unix(), s.UpdatedAt.Unix(), s.Approval, s.MaxGuests, storage.EncodeQuestions(s.Questions), s.HostName, s.HostAbout)
		if isUniqueViolation(err) {
			return &events.Error{Code: events.EINVALID, Message: "slug: already taken", Fields: map[string]string{"slug": "already taken"}}
		} else if err != nil {
			return fmt.Errorf("storage: unable to create salon: %w", err)
		}
		s.ID, _ = res.LastInsertId()
		if _, err := tx.ExecContext(ctx, `INSERT INTO salon_counts (salon_id) VALUES (?)`, s.ID); err != nil {
			return fmt.Errorf("storage: unable to create salon counts: %w", err)
		}
		db.salonsChanged(tx)
		return audit(ctx, tx, storage.ActionSalonCreate, s.ID, s.Status)
	})
}

// uniqueSlug returns base, or base with the smallest free "-N" suffix. An
// explicit slug that is taken is an error rather than silently changed.
func uniqueSlug(ctx context.Context, tx *Tx, base string, explicit bool) (string, error) {
	for i := 1; i < 1000; i++ {
		slug := base
		if i > 1 {
			slug = base + "-" + strconv.Itoa(i)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM salons WHERE slug = ?`, slug).Scan(&n); err != nil {
			return "", fmt.Errorf("storage: unable to check slug: %w", err)
		}
		if n == 0 {
			return slug, nil
		}
		if explicit {
			return "", &events.Error{Code: events.EINVALID, Message: "slug: already taken", Fields: map[string]string{"slug": "already taken"}}
		}
	}
	return base + "-" + strings.ToLower(tickets.NewToken()[:6]), nil
}

// UpdateSalon applies u to the salon with the given id. The slug never
// changes. More capacity promotes from the waitlist; less removes nobody.
// A change attendees must see raises the sequence and queues a notice for
// every active ticket, in the same transaction.
func (db *DB) UpdateSalon(ctx context.Context, id int64, u events.SalonUpdate) (*events.Salon, error) {
	var out *events.Salon
	err := db.update(ctx, func(tx *Tx) error {
		s, err := scanSalon(tx.QueryRowContext(ctx, salonByID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Salon")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch salon %d: %w", id, err)
		}
		before := s.Status
		wasCancelled := s.Status == events.StatusCancelled
		if u.Status != nil {
			// Checked against the row as read here, inside the writer, so
			// two racing requests cannot both pass on a stale status.
			if err := events.CheckTransition(s.Status, *u.Status); err != nil {
				return err
			}
		}
		old := *s
		facts := s.Facts()
		notify := s.Apply(u)
		if err := s.Validate(); err != nil {
			return err
		}
		s.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE salons SET title = ?, title_zh = ?, industry = ?, description = ?, description_zh = ?, venue = ?,
			address = ?, starts_at = ?, ends_at = ?, timezone = ?, capacity = ?, waitlist = ?, rsvp_deadline = ?,
			status = ?, sequence = ?, reminder_before = ?, updated_at = ?, approval = ?, max_guests = ?, questions = ?, host_name = ?, host_about = ? WHERE id = ?`,
			s.Title, s.TitleZh, s.Industry, s.Description, s.DescriptionZh, s.Venue, s.Address, s.StartsAt.Unix(), s.EndsAt.Unix(),
			s.Timezone, s.Capacity, s.Waitlist, s.RSVPDeadline.Unix(), s.Status, s.Sequence,
			int64(s.ReminderBefore/time.Second), s.UpdatedAt.Unix(), s.Approval, s.MaxGuests, storage.EncodeQuestions(s.Questions), s.HostName, s.HostAbout, s.ID); err != nil {
			return fmt.Errorf("storage: unable to update salon: %w", err)
		}
		if s.Status != events.StatusCancelled {
			if err := promote(ctx, tx, s); err != nil {
				return err
			}
		}
		if notify && !wasCancelled {
			kind := tickets.NoticeSalonChanged
			if s.Status == events.StatusCancelled {
				kind = tickets.NoticeSalonCancelled
			}
			change := events.SalonChange{Before: facts, After: s.Facts()}
			if s.Notified, err = notifyAttendees(ctx, tx, s, kind, change); err != nil {
				return err
			}
		}
		event := storage.EventSalonChanged
		if s.Status == events.StatusCancelled && !wasCancelled {
			event = storage.EventSalonCancelled
		}
		if err := emitWebhook(ctx, tx, s.ID, event, func() (any, error) { return storage.SalonEventData(s), nil }); err != nil {
			return err
		}
		db.salonsChanged(tx)
		db.ticketsChanged(tx)
		out = s
		return audit(ctx, tx, storage.SalonAction(before, s.Status), s.ID, events.DescribeChanges(&old, s))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindIndustries lists the industry tags of the salons f selects (its
// statuses and time window), in order, for a listing's filter.
func (db *DB) FindIndustries(ctx context.Context, f events.SalonFilter) ([]string, error) {
	where, args := []string{"1 = 1"}, []any{}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.From != nil {
		where, args = append(where, "ends_at >= ?"), append(args, f.From.Unix())
	}
	if f.EndedBefore != nil {
		where, args = append(where, "ends_at < ?"), append(args, f.EndedBefore.Unix())
	}
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT industry FROM salons WHERE `+strings.Join(where, " AND ")+` ORDER BY industry`, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list industries: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("storage: unable to read industry: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// salon_fold is strings.ToLower for the listing's search: SQLite's own
// lower() and LIKE fold ASCII letters only, so "ZOË" would not match "zoë".
func init() {
	err := msqlite.RegisterDeterministicScalarFunction("salon_fold", 1, func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
	if err != nil {
		panic("sqlite: " + err.Error())
	}
}
