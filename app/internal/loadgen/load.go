package main

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// load describes one run of requests against one address.
type load struct {
	addr  string
	conns int
	// dur bounds the run in time, max in count (0: no count bound).
	dur time.Duration
	max int64
	// build fills request i; it may return false when there is nothing left
	// to send (for example, no ticket codes left to check in).
	build func(i int64, req *fasthttp.Request) bool
	// check reports whether the answer is the expected one; it may keep
	// what it needs from the body, which is only valid during the call.
	check func(i int64, resp *fasthttp.Response) bool
}

// outcome is what a load measured.
type outcome struct {
	n, errs int64
	elapsed time.Duration
	lats    []time.Duration
	// firstErr describes the first unexpected answer, for the report.
	firstErr string
}

func (o outcome) rate() float64 {
	if o.elapsed <= 0 {
		return 0
	}
	return float64(o.n) / o.elapsed.Seconds()
}

// quantile returns the q-quantile (0 < q ≤ 1) of the latencies.
func (o outcome) quantile(q float64) time.Duration {
	if len(o.lats) == 0 {
		return 0
	}
	i := int(float64(len(o.lats))*q+0.5) - 1
	return o.lats[max(0, min(i, len(o.lats)-1))]
}

// run drives l with one goroutine per connection, each sending its next
// request as soon as the last is answered (a closed loop), until the time
// or count bound. Every latency is kept: the runs are bounded, so this costs
// a few megabytes at most.
func (l load) run() outcome {
	hc := &fasthttp.HostClient{
		Addr:                l.addr,
		MaxConns:            l.conns,
		ReadTimeout:         30 * time.Second,
		WriteTimeout:        30 * time.Second,
		MaxIdleConnDuration: time.Minute,
		MaxConnWaitTimeout:  30 * time.Second,
	}
	defer hc.CloseIdleConnections()
	var next, errs atomic.Int64
	var firstErr atomic.Pointer[string]
	lats := make([][]time.Duration, l.conns)
	deadline := time.Now().Add(l.dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range l.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			mine := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if l.max > 0 && i >= l.max {
					break
				}
				req.Reset()
				resp.Reset()
				if !l.build(i, req) {
					break
				}
				t0 := time.Now()
				err := hc.Do(req, resp)
				mine = append(mine, time.Since(t0))
				if err != nil || !l.check(i, resp) {
					errs.Add(1)
					msg := describe(err, resp)
					firstErr.CompareAndSwap(nil, &msg)
				}
			}
			lats[w] = mine
		}()
	}
	wg.Wait()
	o := outcome{elapsed: time.Since(start), errs: errs.Load()}
	for _, m := range lats {
		o.lats = append(o.lats, m...)
	}
	o.n = int64(len(o.lats))
	slices.Sort(o.lats)
	if p := firstErr.Load(); p != nil {
		o.firstErr = *p
	}
	return o
}

func describe(err error, resp *fasthttp.Response) string {
	if err != nil {
		return err.Error()
	}
	body := resp.Body()
	if len(body) > 200 {
		body = body[:200]
	}
	return fasthttp.StatusMessage(resp.StatusCode()) + ": " + string(body)
}

// get builds a GET of path with optional header pairs.
func get(host, path string, headers ...string) func(int64, *fasthttp.Request) bool {
	return func(_ int64, req *fasthttp.Request) bool {
		req.SetRequestURI("http://" + host + path)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return true
	}
}

// status checks only the status code.
func status(want int) func(int64, *fasthttp.Response) bool {
	return func(_ int64, resp *fasthttp.Response) bool { return resp.StatusCode() == want }
}
