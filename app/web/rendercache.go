package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Limits of the calendar cache. Personal feeds and invitations make one
// entry per attendee, so the count must be bounded; the byte budget keeps a
// flood of big public feeds (one per industry) from taking the memory.
const (
	CalendarCacheEntries = 4096
	CalendarCacheBytes   = 64 << 20
)

// CachedFile is one rendered body as it is served (a calendar, a public
// page, a QR image): the body is never modified once made, so it is handed
// to every request without copying.
type CachedFile struct {
	Body         []byte
	ETag         string // strong, quoted
	LastModified time.Time
	LastModHTTP  string // LastModified in HTTP date form, made once
	Disposition  string // Content-Disposition, or "" for feeds
	// TokenAt is where a page's CSRF placeholder starts in Body, found once
	// at render rather than by every reader; -1 for none.
	TokenAt int

	// What the body was rendered from: the change versions read before the
	// data, and whether ticket changes matter to it.
	salonsV, ticketsV uint64
	tickets           bool
	// expires is when a time window in the body (the last 30 days) has moved
	// enough that the body must be made again; zero for never.
	expires time.Time

	// renderedAt is when the render began (the data is as of then), and
	// ticketsStale how long after it the body may still be served when
	// only tickets have changed; see Rendered.TicketsStale.
	renderedAt   time.Time
	ticketsStale time.Duration

	used atomic.Uint64 // cache clock of the last hit, for eviction
}

// Rendered is what a render function gives back.
type Rendered struct {
	Body []byte
	// LastModified is the newest change among the data rendered.
	LastModified time.Time
	// Window marks a body that depends on the clock, not only on the data.
	Window bool
	// Filename, when set, is offered for saving the file.
	Filename string
	// TokenAt is where the CSRF placeholder starts in an HTML page's body,
	// -1 for none; only ServeCached sets and reads it.
	TokenAt int
	// Until, when set, is when the body turns stale on its own (a page whose
	// RSVP form closes at the deadline).
	Until time.Time
	// TicketsStale, when set, lets the body be served for that long after
	// its render although tickets changed since (salon changes still make
	// it stale at once), and up to StaleWhileRendering while a new render
	// runs for another reader. During an RSVP storm every RSVP raises the
	// tickets version; without this each reader of a page paid a
	// re-render, with it a page is made at most once per TicketsStale.
	TicketsStale time.Duration
}

// StaleWhileRendering is the longest a body with TicketsStale is served
// while another reader renders its successor; past it readers wait for the
// new body, so a render that hangs does not keep old counts up.
const StaleWhileRendering = 2 * time.Second

// calendarTTL bounds how long a body with a time window is served before it
// is made again, and matches the max-age clients are told.
const calendarTTL = 5 * time.Minute

// Versions is a reading of the database's change counters.
type Versions struct{ Salons, Tickets uint64 }

// RenderCache keeps rendered bodies (calendar files, public pages, QR
// images) by a normalized key, so each is rendered once per change of the
// data behind it. Hits take only a read
// lock and touch no database; renders run outside any lock, and at most one
// runs per key at a time.
type RenderCache struct {
	maxEntries, maxBytes int

	mu      sync.RWMutex
	entries map[string]*CachedFile
	bytes   int

	clock   atomic.Uint64
	renders atomic.Int64 // count of bodies made, for tests

	flightMu sync.Mutex
	flight   map[string]*renderCall
}

// renderCall is one render in flight that later requests for the same key
// wait on instead of rendering the same body again.
type renderCall struct {
	done chan struct{}
	file *CachedFile
	err  error
}

// NewRenderCache makes an empty cache bounded by entries and bytes.
func NewRenderCache(maxEntries, maxBytes int) *RenderCache {
	return &RenderCache{
		maxEntries: maxEntries, maxBytes: maxBytes,
		entries: map[string]*CachedFile{}, flight: map[string]*renderCall{},
	}
}

// fresh reports whether f still shows the data as it is now.
func (f *CachedFile) fresh(v Versions, now time.Time) bool {
	if f.salonsV != v.Salons || (f.tickets && f.ticketsV != v.Tickets) {
		return false
	}
	return f.expires.IsZero() || now.Before(f.expires)
}

// get returns the entry for key when it is fresh.
func (cc *RenderCache) get(key string, v Versions, now time.Time) *CachedFile {
	cc.mu.RLock()
	f := cc.entries[key]
	cc.mu.RUnlock()
	if f == nil || !f.fresh(v, now) {
		return nil
	}
	f.used.Store(cc.clock.Add(1))
	return f
}

// staleEnough returns the entry for key when it may be served although
// tickets changed since its render (Rendered.TicketsStale): within its
// TicketsStale, or within StaleWhileRendering while a render of key runs.
// cc.flightMu must be held.
func (cc *RenderCache) staleEnough(key string, v Versions, now time.Time) *CachedFile {
	cc.mu.RLock()
	f := cc.entries[key]
	cc.mu.RUnlock()
	if f == nil || f.ticketsStale <= 0 || f.salonsV != v.Salons || (!f.expires.IsZero() && !now.Before(f.expires)) {
		return nil
	}
	age := now.Sub(f.renderedAt)
	if _, rendering := cc.flight[key]; age >= f.ticketsStale && (!rendering || age >= StaleWhileRendering) {
		return nil
	}
	f.used.Store(cc.clock.Add(1))
	return f
}

// Load returns a fresh file for key, rendering it when needed. v must be
// read by the caller BEFORE render reads the data: a write landing in
// between then leaves the entry looking stale, never fresh.
func (cc *RenderCache) Load(ctx context.Context, key string, v Versions, tickets bool, now func() time.Time,
	render func(context.Context) (Rendered, error)) (*CachedFile, error) {
	if f := cc.get(key, v, now()); f != nil {
		return f, nil
	}
	cc.flightMu.Lock()
	if f := cc.staleEnough(key, v, now()); f != nil {
		cc.flightMu.Unlock()
		return f, nil
	}
	if call, ok := cc.flight[key]; ok {
		cc.flightMu.Unlock()
		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// The render in flight may have begun before our versions: only
		// take it when it is as new as what we need.
		if call.err == nil && call.file.fresh(v, now()) {
			return call.file, nil
		}
		if call.err != nil {
			return nil, call.err
		}
		return cc.renderNow(ctx, key, v, tickets, now, render)
	}
	// A render that ended between our first look and taking flightMu has
	// stored its entry already (it stores before leaving the flight map).
	if f := cc.get(key, v, now()); f != nil {
		cc.flightMu.Unlock()
		return f, nil
	}
	call := &renderCall{done: make(chan struct{})}
	cc.flight[key] = call
	cc.flightMu.Unlock()

	// The render is shared with later requests, so one client going away
	// must not fail it for the others.
	call.file, call.err = cc.renderNow(context.WithoutCancel(ctx), key, v, tickets, now, render)
	cc.flightMu.Lock()
	delete(cc.flight, key)
	cc.flightMu.Unlock()
	close(call.done)
	return call.file, call.err
}

// renderNow renders key and stores the result.
func (cc *RenderCache) renderNow(ctx context.Context, key string, v Versions, tickets bool, now func() time.Time,
	render func(context.Context) (Rendered, error)) (*CachedFile, error) {
	began := now()
	r, err := render(ctx)
	if err != nil {
		return nil, err
	}
	cc.renders.Add(1)
	sum := sha256.Sum256(r.Body)
	f := &CachedFile{
		Body: r.Body, ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`,
		LastModified: r.LastModified.UTC().Truncate(time.Second),
		salonsV:      v.Salons, ticketsV: v.Tickets, tickets: tickets, TokenAt: r.TokenAt,
		renderedAt: began, ticketsStale: r.TicketsStale,
	}
	if r.Filename != "" {
		f.Disposition = `inline; filename="` + r.Filename + `"`
	}
	t := now()
	if r.Window {
		f.expires = t.Add(calendarTTL)
	}
	if !r.Until.IsZero() && (f.expires.IsZero() || r.Until.Before(f.expires)) {
		f.expires = r.Until
	}
	cc.mu.Lock()
	if old := cc.entries[key]; old != nil && old.ETag != f.ETag && !f.LastModified.After(old.LastModified) {
		// The body changed without a newer timestamp in the data (a salon
		// left the 30-day window, a ticket went elsewhere): say it changed
		// now, or If-Modified-Since would keep the old body in use.
		f.LastModified = Later(t.UTC().Truncate(time.Second), old.LastModified.Add(time.Second))
	} else if old != nil && old.ETag == f.ETag {
		f.LastModified = old.LastModified
	}
	if f.LastModified.IsZero() {
		f.LastModified = t.UTC().Truncate(time.Second)
	}
	f.LastModHTTP = f.LastModified.Format(http.TimeFormat)
	f.used.Store(cc.clock.Add(1))
	cc.put(key, f)
	cc.mu.Unlock()
	return f, nil
}

// put stores f under key; cc.mu must be held. When over a limit it drops
// the least recently used eighth in one go, so the sort is paid rarely.
func (cc *RenderCache) put(key string, f *CachedFile) {
	if old := cc.entries[key]; old != nil {
		cc.bytes -= len(old.Body)
	}
	cc.entries[key] = f
	cc.bytes += len(f.Body)
	if len(cc.entries) <= cc.maxEntries && cc.bytes <= cc.maxBytes {
		return
	}
	type aged struct {
		key  string
		used uint64
	}
	all := make([]aged, 0, len(cc.entries))
	for k, e := range cc.entries {
		if k != key {
			all = append(all, aged{k, e.used.Load()})
		}
	}
	slices.SortFunc(all, func(a, b aged) int { return cmp.Compare(a.used, b.used) })
	drop := max(1, len(cc.entries)/8)
	for _, a := range all {
		if drop <= 0 && len(cc.entries) <= cc.maxEntries && cc.bytes <= cc.maxBytes {
			break
		}
		cc.bytes -= len(cc.entries[a.key].Body)
		delete(cc.entries, a.key)
		drop--
	}
}

// Renders is how many bodies cc has made, so tests can tell a hit from a
// render.
func (cc *RenderCache) Renders() int64 { return cc.renders.Load() }

// Len is the number of entries, for tests.
func (cc *RenderCache) Len() int {
	cc.mu.RLock()
	defer cc.mu.RUnlock()
	return len(cc.entries)
}

// Later is the later of two times.
func Later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
