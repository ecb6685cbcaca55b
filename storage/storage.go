// Package storage names what the app needs of a store: the records it
// reads and writes, the errors it can get, and the interfaces a backend
// implements, each method with the guarantee every backend must give. It
// speaks no SQL; each backend (storage/sqlite, storage/postgres) has its own SQL,
// migrations and concurrency strategy, and storage/storagetest is the one
// contract suite every backend must pass.
//
// Nothing here assumes one process or one writer: a guarantee stated for
// concurrent calls holds whether they come from this process or another
// one sharing the same database.
package storage

import (
	"context"
	"time"

	"salon/events"
	"salon/tickets"
)

// Salons keeps the listings.
type Salons interface {
	// CreateSalon validates s, gives it a unique slug when it has none
	// (an explicit slug that is taken is EINVALID), and saves it; s gets
	// its id, slug and timestamps. Audited as salon.create.
	CreateSalon(ctx context.Context, s *events.Salon) error
	// UpdateSalon applies u to salon id. A status change is checked
	// against the row as it is inside the write, so two racing changes
	// cannot both pass on a stale status. More capacity promotes from the
	// waitlist in arrival order in the same write; less removes nobody. A
	// change attendees must see raises the sequence and queues a notice
	// per active ticket in the same write. Audited by SalonAction.
	UpdateSalon(ctx context.Context, id int64, u events.SalonUpdate) (*events.Salon, error)
	// FindSalonBySlug and FindSalonByID return one salon with its counts,
	// or ENOTFOUND.
	FindSalonBySlug(ctx context.Context, slug string) (*events.Salon, error)
	// FindSalonByID: see FindSalonBySlug.
	FindSalonByID(ctx context.Context, id int64) (*events.Salon, error)
	// FindSalons lists the salons f selects, soonest first.
	FindSalons(ctx context.Context, f events.SalonFilter) ([]*events.Salon, error)
	// FindIndustries lists the industry tags of the salons f selects.
	FindIndustries(ctx context.Context, f events.SalonFilter) ([]string, error)
}

// Tickets takes RSVPs and cancellations: the capacity guarantee lives here.
type Tickets interface {
	// CreateRSVP never confirms more seats than capacity, whatever runs
	// concurrently, in this process or another; beyond capacity it
	// waitlists (when the salon has a waitlist) in arrival order. The
	// same email twice answers the existing ticket; the same
	// IdempotencyKey answers the first result and writes nothing. The
	// confirmation mail is queued in the same write.
	CreateRSVP(ctx context.Context, r RSVPRequest) (*RSVPResult, error)
	// CancelRSVP cancels the ticket whose manage token is token; again
	// answers the same. A freed seat goes to the first on the waitlist in
	// the same write, exactly once, however many cancel at once.
	CancelRSVP(ctx context.Context, token string) (*tickets.Ticket, error)
	// CancelTicket is CancelRSVP by id within salonID, for organizers; a
	// ticket of another salon is not found. Audited as ticket.cancel.
	CancelTicket(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error)
	// FindTicketByToken returns the ticket a manage token opens.
	FindTicketByToken(ctx context.Context, token string) (*tickets.Ticket, error)
	// FindTicketByID returns ticket id of salonID; another salon's is
	// ENOTFOUND, exactly like an id that does not exist.
	FindTicketByID(ctx context.Context, salonID, id int64) (*tickets.Ticket, error)
	// FindTickets lists the tickets f selects.
	FindTickets(ctx context.Context, f TicketFilter) ([]*tickets.Ticket, error)
	// QueueReminders queues each due reminder once, however many callers
	// run it at once, and returns how many it queued.
	QueueReminders(ctx context.Context) (int, error)
	// FeedToken returns the calendar feed token of an attendee's email,
	// making one the first time.
	FeedToken(ctx context.Context, email string) (string, error)
	// FindFeedEmail returns the email a feed token belongs to.
	FindFeedEmail(ctx context.Context, token string) (string, error)
	// RevokeFeed replaces an email's feed token and returns the new one.
	RevokeFeed(ctx context.Context, email string) (string, error)
}

// CheckIns records what happens at the door.
type CheckIns interface {
	// CheckIn records one scan and checks the ticket in when it may
	// enter. Any number of parallel check-ins of one ticket, from any
	// process, give exactly one CheckinOK. A nonce seen before for the
	// salon answers the first result and writes nothing. A check-in by
	// TicketID is looked up within SalonID, and is audited as
	// ticket.checkin.
	CheckIn(ctx context.Context, r CheckinRequest) (*CheckinResult, error)
	// UndoCheckIn clears a check-in (an organizer's correction), logged
	// as a scan; another salon's ticket is not found. Audited.
	UndoCheckIn(ctx context.Context, salonID, ticketID, userID int64) (*tickets.Ticket, error)
	// FindScans lists a salon's scan log, oldest first.
	FindScans(ctx context.Context, salonID int64) ([]*Scan, error)
}

// DoorLinks are tokens that let a device check guests in at one salon.
type DoorLinks interface {
	// CreateDoorLink makes a link and returns its token in clear, once;
	// only a hash is kept. Audited.
	CreateDoorLink(ctx context.Context, salonID int64, label string, by int64) (*DoorLink, string, error)
	// RevokeDoorLink stops a link of salonID; twice is fine. Audited.
	RevokeDoorLink(ctx context.Context, salonID, id int64) error
	// FindDoorLink returns the unrevoked link a token opens.
	FindDoorLink(ctx context.Context, token string) (*DoorLink, error)
	// FindDoorLinks lists a salon's links.
	FindDoorLinks(ctx context.Context, salonID int64) ([]*DoorLink, error)
}

// Outbox is the durable mail queue.
type Outbox interface {
	// FindMessages lists the messages f selects.
	FindMessages(ctx context.Context, f OutboxFilter) ([]*Message, error)
	// ClaimMessages hands up to limit due messages to the caller, oldest
	// first, marking them sending; concurrent claimers, in this process
	// or another, never get the same message.
	ClaimMessages(ctx context.Context, limit int) ([]*Message, error)
	// MarkSent, MarkRetry and MarkFailed move a claimed (sending)
	// message on, for the claim that handed it out (Message.Claim). From
	// any other status, or for a claim no longer current (its lease ran
	// out and another worker claimed the message), they are ECONFLICT.
	MarkSent(ctx context.Context, id, claim int64) error
	// MarkRetry: see MarkSent; the message is due again at next.
	MarkRetry(ctx context.Context, id, claim int64, errText string, next time.Time) error
	// MarkFailed: see MarkSent; the message stays, with its error.
	MarkFailed(ctx context.Context, id, claim int64, errText string) error
	// RetryMessage queues a failed message again, due now. Audited.
	RetryMessage(ctx context.Context, id int64) error
	// RequeueInFlight returns messages left sending by a stopped sender.
	RequeueInFlight(ctx context.Context) (int, error)
	// QueuedAfter counts messages queued after afterID and returns the
	// newest id, so a worker can tell mail queued by another process.
	QueuedAfter(ctx context.Context, afterID int64) (n int, lastID int64, err error)
	// OnMailQueued sets f to be called after each commit made through
	// this store that queued mail: a prompt wake-up for this process's
	// worker; mail queued elsewhere is found with QueuedAfter.
	OnMailQueued(f func())
}

// Accounts keeps users and their API tokens.
type Accounts interface {
	// CreateUser saves a new account (email case-folded; taken is
	// ECONFLICT). Audited as user.create.
	CreateUser(ctx context.Context, u *events.User) error
	// FindUserByEmail, FindUserByID and FindUserByAPIToken return one
	// account; an unknown or revoked token is EUNAUTHORIZED.
	FindUserByEmail(ctx context.Context, email string) (*events.User, error)
	// FindUserByID: see FindUserByEmail.
	FindUserByID(ctx context.Context, id int64) (*events.User, error)
	// FindUserByAPIToken: see FindUserByEmail.
	FindUserByAPIToken(ctx context.Context, token string) (*events.User, error)
	// FindUsers lists every account, by email.
	FindUsers(ctx context.Context) ([]*events.User, error)
	// CreateAPIToken returns a new token in clear, once. Audited.
	CreateAPIToken(ctx context.Context, userID int64, label string) (string, error)
	// FindAPITokens lists a user's tokens.
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// RevokeAPIToken stops one of userID's tokens; another user's is not
	// found. Audited.
	RevokeAPIToken(ctx context.Context, userID, id int64) error
	// HasAdmin reports whether any admin account exists.
	HasAdmin(ctx context.Context) (bool, error)
	// CreateSetupToken, CheckSetupToken and UseSetupToken run the
	// first-admin link. UseSetupToken creates the admin and spends the
	// token in one write, so two people racing with one link get one
	// admin. Audited as account.setup.
	CreateSetupToken(ctx context.Context, ttl time.Duration) (string, error)
	// CheckSetupToken: see CreateSetupToken.
	CheckSetupToken(ctx context.Context, token string) error
	// UseSetupToken: see CreateSetupToken.
	UseSetupToken(ctx context.Context, token string, u *events.User) error
	AccountChanges
}

// Sessions keeps console sign-ins and the login throttle.
type Sessions interface {
	// CreateSession starts a session with a new id (never the client's)
	// and returns it in clear. Audited as login.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration, ip, userAgent string) (string, error)
	// FindSession returns an unexpired session with its account.
	FindSession(ctx context.Context, id string) (*Session, error)
	// TouchSession records that a session was used now.
	TouchSession(ctx context.Context, id string) error
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, id string) error
	// ReserveLoginAttempt counts an attempt against each limit and allows
	// it only if none is over: a parallel burst, from any number of
	// processes, lets no more than Max attempts through per key.
	ReserveLoginAttempt(ctx context.Context, window time.Duration, limits ...LoginLimit) (*LoginAttempt, error)
	// ReleaseLoginAttempt forgets a reserved attempt (a right password)
	// and the failures of the forget keys.
	ReleaseLoginAttempt(ctx context.Context, a *LoginAttempt, forget ...string) error
}

// Audit reads the audit log. Entries are written only by the audited
// writes themselves, in the same transaction as their change.
type Audit interface {
	// FindAudit lists audit entries, newest first.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}

// Keys keeps secrets as bytes; what they mean is the tickets package's.
type Keys interface {
	// Key returns the server secret manage and feed tokens derive from.
	Key() []byte
	// LoadSigningKeys returns every stored ticket signing key.
	LoadSigningKeys(ctx context.Context) ([]tickets.StoredKey, error)
	// AddSigningKey stores a new signing key made by newKey with the next
	// id, unique even when processes add keys at once.
	AddSigningKey(ctx context.Context, newKey func(id uint32) (private, public []byte)) (uint32, error)
}

// Changes count committed writes, for caches of rendered bodies. The
// counters live in the store, so a write by any process raises them; a
// cache must read the version BEFORE the data it renders, so that a write
// in between makes its entry look stale, never fresh.
type Changes interface {
	// SalonsVersion rises after every committed change to any salon.
	SalonsVersion() uint64
	// TicketsVersion rises after every committed change to any ticket.
	TicketsVersion() uint64
}

// Admin is what operations need: health and the clock.
type Admin interface {
	// Ping checks that the store answers a read.
	Ping(ctx context.Context) error
	// CheckWritable checks that a write would succeed now: ErrReadOnly or
	// ErrFull when it would not.
	CheckWritable(ctx context.Context) error
	// Now is the store's clock, which tests may replace.
	Now() time.Time
	// ObserveWriteWait sets f to be told how long each write waited
	// before it ran; set it before the store is used.
	ObserveWriteWait(f func(time.Duration))
}

// Industries keeps the industries organizers and admins added beside the
// fixed list (events.Industries).
type Industries interface {
	// CreateIndustry normalizes and validates ind and saves it. A slug,
	// English name (case-insensitively) or Chinese name that the fixed list
	// or an added industry already has is EINVALID on that field, also when
	// two alike are added at once, from any process: one of them wins.
	// Audited as industry.create.
	CreateIndustry(ctx context.Context, ind *events.Industry) error
	// FindAddedIndustries lists the added industries, oldest first.
	FindAddedIndustries(ctx context.Context) ([]*events.Industry, error)
}

// Store is everything the app needs of a backend.
type Store interface {
	Salons
	Tickets
	CheckIns
	DoorLinks
	Outbox
	Webhooks
	Accounts
	Sessions
	Audit
	Keys
	Changes
	Admin
	Privacy
	Approvals
	Messages
	PasswordChanges
	Covers
	Industries
	Integrity
	// Close waits for the writes already begun and releases the store.
	Close() error
}

// Approvals are organizers' decisions on pending tickets (salons with
// approval).
type Approvals interface {
	// ApproveTicket decides pending ticket ticketID of salonID by the same
	// rule as an RSVP, in one write: confirmed when its whole party fits
	// and nobody who came before waits, else waitlisted in arrival order
	// (by when it was made) when the salon keeps a waitlist, else
	// ESALONFULL with the ticket left pending. Its confirmation or
	// waitlist notice and the ticket.approved webhook are queued in the
	// same write. A ticket that is not pending is EINVALID naming the
	// field status, and nothing is written; another salon's is ENOTFOUND.
	// Audited as ticket.approve.
	ApproveTicket(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error)
	// DeclineTicket turns pending ticket ticketID of salonID down and
	// queues the polite notice; it frees nothing, as a pending ticket
	// holds nothing. Errors as ApproveTicket. Audited as ticket.decline.
	DeclineTicket(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error)
}

// Integrity looks for damage in what is stored. It is kept off the start
// path: on a large database a full read takes seconds, and a server should
// answer before that.
type Integrity interface {
	// CheckIntegrity reads the stored data and returns one line per
	// problem found, none when all is whole; an error means the check
	// could not run. quick skips the slowest checks (index contents). It
	// never blocks writes, and honours ctx.
	CheckIntegrity(ctx context.Context, quick bool) ([]string, error)
}
