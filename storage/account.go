package storage

import (
	"context"
	"time"

	"salon/events"
)

// InviteTTL is how long a one-time password link stays valid.
const InviteTTL = 72 * time.Hour

// Purposes of a one-time password link, as the audit log names them.
const (
	// LinkInvite is the first password of an account.
	LinkInvite = "invite"
	// LinkReset replaces a password the owner lost.
	LinkReset = "reset"
)

// ErrLinkExpired is the error of a one-time password link that is still
// unused but past its time, so the page can say so rather than "not found".
var ErrLinkExpired = &events.Error{Code: events.ENOTFOUND, Message: "This link has expired; ask for a new one."}

// InviteRequest asks for a one-time link where an account's owner sets a
// password.
type InviteRequest struct {
	UserID int64
	// Purpose is LinkInvite or LinkReset.
	Purpose string
	// TTL is how long the link is valid; zero means InviteTTL.
	TTL time.Duration
	// MailURL, when set, queues the invitation mail in the same write:
	// the link is MailURL followed by the token. Lang is the mail's
	// language.
	MailURL string
	Lang    string
}

// AccountChanges are the writes that keep an account usable over time:
// passwords, names, the one-time links where owners set a password, and
// disabling.
type AccountChanges interface {
	// SetPassword replaces userID's password hash (not empty). Audited
	// as user.password.
	SetPassword(ctx context.Context, userID int64, hash string) error
	// SetUserName changes userID's display name (checked as a line of
	// text). Audited as user.update.
	SetUserName(ctx context.Context, userID int64, name string) error
	// DisableUser stops an account in one write: its sessions end, its
	// API tokens are revoked, and sign-in, FindSession and
	// FindUserByAPIToken refuse it from then on. Twice is fine. Audited
	// as user.disable.
	DisableUser(ctx context.Context, userID int64) error
	// EnableUser lets a disabled account sign in again; the tokens
	// revoked by disabling stay revoked. Audited as user.enable.
	EnableUser(ctx context.Context, userID int64) error
	// CreateInvite makes a one-time link for r.UserID and returns its
	// token in clear, once: only a hash is kept, and the account's
	// earlier unused links stop working. A disabled account gets none
	// (ECONFLICT). With r.MailURL the invitation is queued in the same
	// write. Audited as user.invite or user.reset.
	CreateInvite(ctx context.Context, r InviteRequest) (string, error)
	// CheckInvite returns the account an unused, unexpired link is for;
	// an unknown or used link is ENOTFOUND, an expired one
	// ErrLinkExpired.
	CheckInvite(ctx context.Context, token string) (*events.User, error)
	// UseInvite sets the account's password and spends the link in one
	// write, so a link works once however many use it at once; errors as
	// CheckInvite. Audited as user.password, by the account itself.
	UseInvite(ctx context.Context, token, hash string) (*events.User, error)
}

// InvitationPayload is the outbox payload of an invitation mail: the link
// itself, since only its hash is stored elsewhere. It is blanked once the
// link is used, replaced or its account disabled.
type InvitationPayload struct {
	URL       string `json:"url"`
	Purpose   string `json:"purpose"`
	Name      string `json:"name,omitempty"`
	ExpiresAt int64  `json:"expires_at"`
}

// InviteAction is the audit action of a link's purpose; an unknown
// purpose is EINVALID.
func InviteAction(purpose string) (string, error) {
	switch purpose {
	case LinkInvite:
		return ActionUserInvite, nil
	case LinkReset:
		return ActionUserReset, nil
	}
	return "", &events.Error{Code: events.EINVALID, Message: "purpose: must be invite or reset", Fields: map[string]string{"purpose": "must be invite or reset"}}
}
