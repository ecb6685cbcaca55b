package main

import (
	"fmt"
	"time"

	"github.com/valyala/fasthttp"
)

// reads drives the pages, the cached QR image and the calendar feed, each
// against the bare Fiber hello measured right before it.
func (b *bench) reads() {
	addr := b.srv.addr
	half := func(figure, path string, headers ...string) {
		step("%s: GET %s, after the bare hello", figure, path)
		hello := b.helloRate()
		o := load{addr: addr, conns: b.conns, dur: b.dur, build: get(addr, path, headers...), check: status(200)}.run()
		r := o.rate()
		b.add(row{figure: figure, measured: perSec(r), target: "≥ ½ ref", reference: perSec(hello) + " (bare hello)",
			ratio: ratio(r, hello), pass: r >= hello/2 && o.errs == 0, note: errNote(o)})
	}
	half("salon page", "/salons/rsvp-1")
	half("listing page", "/")
	if tok := b.manage.Load(); tok != nil {
		qr := "/t/" + *tok + "/qr.png"
		fasthttp.GetTimeout(nil, "http://"+addr+qr, 5*time.Second) // fill the cache
		half("QR image (cached)", qr)
	} else {
		b.add(row{figure: "QR image (cached)", measured: "no confirmed ticket", pass: false})
	}

	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + addr + "/calendar.ics")
	if err := fasthttp.DoTimeout(req, resp, 30*time.Second); err != nil || resp.StatusCode() != 200 {
		b.add(row{figure: "/calendar.ics", measured: fmt.Sprintf("GET failed: %d %v", resp.StatusCode(), err)})
		return
	}
	body, etag := resp.Body(), string(resp.Header.Peek("ETag"))
	step("/calendar.ics, %d salons, %d bytes: 304 and full, after the bare hello", feedSalons, len(body))
	hello := b.helloRate()
	o := load{addr: addr, conns: b.conns, dur: b.dur, build: get(addr, "/calendar.ics", "If-None-Match", etag), check: status(304)}.run()
	r := o.rate()
	b.add(row{figure: fmt.Sprintf("/calendar.ics %d salons, 304", feedSalons), measured: perSec(r), target: "≥ ½ ref",
		reference: perSec(hello) + " (bare hello)", ratio: ratio(r, hello), pass: r >= hello/2 && o.errs == 0, note: errNote(o)})
	o = load{addr: addr, conns: b.conns, dur: b.dur, build: get(addr, "/calendar.ics"), check: status(200)}.run()
	r = o.rate()
	b.add(row{figure: fmt.Sprintf("/calendar.ics %d salons, full body (%d KiB)", feedSalons, len(body)>>10), measured: perSec(r),
		target: "≥ 2,000/s", reference: perSec(hello) + " (bare hello)", ratio: ratio(r, hello),
		pass: r >= 2000 && o.errs == 0, note: errNote(o)})
}

// checkins scans the door codes of the confirmed tickets from the RSVP load,
// each once, so every check-in verifies a signature and writes.
func (b *bench) checkins() {
	var codes []string
	var slugs []int64
	for i, c := range b.codes {
		if c != "" {
			codes, slugs = append(codes, c), append(slugs, int64(i)%rsvpSalons)
		}
	}
	step("check-ins: %d distinct confirmed tickets available", len(codes))
	addr := b.srv.addr
	o := load{addr: addr, conns: b.conns, dur: b.dur, max: int64(len(codes)), build: func(i int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/v1/salons/rsvp-"+itoa(slugs[i])+"/checkins", b.token, []byte(`{"code":"`+codes[i]+`"}`))
		return true
	}, check: func(_ int64, resp *fasthttp.Response) bool {
		return resp.StatusCode() == 200 && field(resp.Body(), `"result":"`) == "ok"
	}}.run()
	r := o.rate()
	b.add(row{figure: fmt.Sprintf("check-ins/s, signature checked, distinct tickets (%d sent)", o.n), measured: perSec(r),
		target: "≥ 5,000/s", pass: r >= 5000 && o.errs == 0 && o.n > 0, note: errNote(o)})
}
