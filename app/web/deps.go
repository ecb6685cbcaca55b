// Package web is the kernel the surfaces (api, site, console, door,
// calendar) share: errors to HTTP in one ErrorHandler, JSON decoding,
// templates and the page layout, the render caches, CSRF, sessions and
// tokens, the reader's language, metrics, and the few operations more than
// one surface performs (an RSVP, an audit entry, a check-in). It imports no
// surface; every surface imports it.
package web

import (
	"log/slog"
	"sync/atomic"
	"time"

	"salon/app/webhook"
	"salon/events"
	"salon/storage"
	"salon/tickets"
	"salon/tickets/wallet"
)

// Page cache limits: public pages and QR images are kept in a RenderCache
// of their own, so a crowd opening the same link costs one render per
// change, not one each.
const (
	pageCacheEntries = 2048
	pageCacheBytes   = 32 << 20
)

// Deps is what every surface is built from: the store, the logger, what
// the configuration says about links and cookies, the ticket keys, the
// caches and the metrics. The root package makes one at start.
type Deps struct {
	DB  storage.Store
	Log *slog.Logger
	// BaseURL is the configured site address; links are built from it,
	// never from the request's Host.
	BaseURL string
	// Secure marks cookies Secure (the site is served over https).
	Secure bool
	// Keys sign and verify ticket codes.
	Keys *tickets.KeySet
	// Calendar are the options every .ics, page link and mail invitation
	// is built with.
	Calendar events.CalendarOptions
	Metrics  *Metrics
	// Pages keeps rendered public pages and QR images; see ServeCached.
	Pages *RenderCache
	// PageToken is what cached pages hold in place of the CSRF token.
	PageToken string
	// Calendars keeps rendered calendar files and feeds.
	Calendars *RenderCache
	// QR keeps QR images by ticket id.
	QR *QRCache
	// Wallet signs Apple Wallet passes; nil when none are configured.
	Wallet *wallet.Signer
	// MailSends says mail leaves the outbox (--smtp is set), so the
	// console mails invitations rather than only showing their links.
	MailSends bool
	// Webhooks decides which addresses webhooks may be registered for.
	Webhooks *webhook.Guard
	// RetentionDays is --retention-days: how long after its salon ended a
	// ticket's personal data is kept; 0 keeps it.
	RetentionDays int
	// PrivacyContact is the address the privacy page names (bare, no
	// display name).
	PrivacyContact string
	// WriteTimeout bounds how long a client may take over an answer, or,
	// streaming one, over each piece of it; DefaultWriteTimeout when 0.
	WriteTimeout time.Duration
	// errors renders the error page.
	errors *Templates
	// industries keeps the list of industries; see Industries.
	industries industryCache

	// OnPasswordCheck, when set (only by tests), is called before every
	// password verification, so a test can count and hold them.
	OnPasswordCheck atomic.Pointer[func()]
}

// NewDeps makes the kernel on an open store, with empty caches and a
// metrics registry of its own (so tests can run several side by side).
func NewDeps(db storage.Store, log *slog.Logger, baseURL string, secure bool, keys *tickets.KeySet, cal events.CalendarOptions) (*Deps, error) {
	errs, err := ParseTemplates(nil, nil, "error")
	if err != nil {
		return nil, err
	}
	d := &Deps{DB: db, Log: log, BaseURL: baseURL, Secure: secure, Keys: keys, Calendar: cal,
		Metrics: NewMetrics(), Pages: NewRenderCache(pageCacheEntries, pageCacheBytes), PageToken: newPageToken(),
		Calendars: NewRenderCache(CalendarCacheEntries, CalendarCacheBytes), QR: newQRCache(), errors: errs}
	return d, nil
}
