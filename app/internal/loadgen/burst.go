package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// burst sends 5,000 RSVPs from 500 connections at once to one salon of 100
// seats, then checks through the organizer API that exactly 100 were
// confirmed and the rest waitlisted at positions 1 to 4,900.
func (b *bench) burst() error {
	step("burst: %d RSVPs from %d connections for one salon of %d seats", burstRSVPs, burstConns, burstSeats)
	addr := b.srv.addr
	var confirmed, waitlisted atomic.Int64
	o := load{addr: addr, conns: burstConns, dur: 30 * time.Second, max: burstRSVPs, build: func(i int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/v1/salons/burst/rsvps", "", rsvpBody("burst", i))
		return true
	}, check: func(_ int64, resp *fasthttp.Response) bool {
		if resp.StatusCode() != 201 {
			return false
		}
		switch field(resp.Body(), `"status":"`) {
		case "confirmed":
			confirmed.Add(1)
		case "waitlisted":
			waitlisted.Add(1)
		default:
			return false
		}
		return true
	}}.run()
	b.ticketsWritten += o.n - o.errs

	conf, err := b.attendees("burst", "confirmed")
	if err != nil {
		return err
	}
	wait, err := b.attendees("burst", "waitlisted")
	if err != nil {
		return err
	}
	problems := ""
	if o.n < burstRSVPs {
		problems += fmt.Sprintf("only %d of %d sent within the load's 30 s; ", o.n, burstRSVPs)
	}
	if o.errs > 0 {
		problems += fmt.Sprintf("%d errors (%s); ", o.errs, o.firstErr)
	}
	if len(conf) != burstSeats || confirmed.Load() != burstSeats {
		problems += fmt.Sprintf("%d confirmed in the list, %d in answers; ", len(conf), confirmed.Load())
	}
	want := burstRSVPs - burstSeats
	if len(wait) != want || waitlisted.Load() != int64(want) {
		problems += fmt.Sprintf("%d waitlisted in the list, %d in answers; ", len(wait), waitlisted.Load())
	}
	for i, a := range wait {
		if a.WaitlistPosition == nil || *a.WaitlistPosition != i+1 {
			problems += fmt.Sprintf("waitlisted #%d (id %s) has position %v; ", i+1, a.ID, a.WaitlistPosition)
			break
		}
	}
	slowest := o.quantile(1)
	short := "exact, all in " + ms(o.elapsed)
	if problems != "" {
		short = "not exact, all in " + ms(o.elapsed)
	}
	if o.elapsed > burstWithin {
		problems += "slower than 1 s; "
	}
	measured := fmt.Sprintf("%d confirmed, %d waitlisted (%s), %d errors, all in %s", len(conf), len(wait), positions(wait), o.errs, ms(o.elapsed))
	b.add(row{figure: fmt.Sprintf("burst: %d RSVPs, %d conns, 1 salon of %d seats", burstRSVPs, burstConns, burstSeats),
		measured: measured, target: "100 / 4,900 (1–4,900), 0 errors, ≤ 1 s", pass: problems == "",
		note: trimNote("slowest answer " + ms(slowest) + "; " + problems), key: "burst", short: short})
	return nil
}

// positions is "first–last" of the waitlist positions as read from the
// list, "none" when it is empty; a missing position reads as "?".
func positions(wait []attendee) string {
	if len(wait) == 0 {
		return "none"
	}
	pos := func(a attendee) string {
		if a.WaitlistPosition == nil {
			return "?"
		}
		return commas(int64(*a.WaitlistPosition))
	}
	return pos(wait[0]) + "–" + pos(wait[len(wait)-1])
}

// attendee is the part of an organizer's attendee row the checks need.
type attendee struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	WaitlistPosition *int   `json:"waitlist_position"`
}

// attendees lists every ticket of status, following the list's cursor
// a thousand at a time.
func (b *bench) attendees(slug, status string) ([]attendee, error) {
	var all []attendee
	cursor := ""
	for {
		page, next, err := b.attendeePage(slug, "limit=1000&status="+status+"&cursor="+cursor)
		if err != nil {
			return nil, fmt.Errorf("list %s attendees: %w", status, err)
		}
		for _, a := range page {
			if a.Status != status {
				return nil, fmt.Errorf("list %s attendees: ticket %s is %s", status, a.ID, a.Status)
			}
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// attendeePage reads one answer of the organizer's attendee list with the
// query given, and returns its tickets and its next cursor ("" on the last
// page).
func (b *bench) attendeePage(slug, query string) ([]attendee, string, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + b.srv.addr + "/api/v1/salons/" + slug + "/attendees?" + query)
	req.Header.Set("Authorization", "Bearer "+b.token)
	if err := fasthttp.DoTimeout(req, resp, 30*time.Second); err != nil {
		return nil, "", err
	}
	if resp.StatusCode() != 200 {
		return nil, "", fmt.Errorf("%d %s", resp.StatusCode(), resp.Body())
	}
	var out struct {
		Attendees  []attendee `json:"attendees"`
		NextCursor *string    `json:"next_cursor"`
	}
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return nil, "", err
	}
	if out.NextCursor == nil {
		return out.Attendees, "", nil
	}
	return out.Attendees, *out.NextCursor, nil
}

func trimNote(s string) string {
	s = string(bytes.TrimRight([]byte(s), "; "))
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
