package web

import (
	"errors"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gofiber/fiber/v2"

	"salon/events"
)

// TestStatusFor checks the one error-to-status mapping, including the codes
// that only Fiber's own errors produce, and that the request metrics count
// the status the client is answered with.
func TestStatusFor(t *testing.T) {
	cases := []struct {
		err    error
		code   string
		status int
	}{
		{fiber.ErrMethodNotAllowed, codeMethodNotAllowed, 405},
		{fiber.ErrRequestTimeout, codeTimeout, 408},
		{fiber.ErrNotFound, events.ENOTFOUND, 404},
		{fiber.ErrRequestEntityTooLarge, events.ETOOLARGE, 413},
		{events.Errorf(events.ESALONFULL, "full"), events.ESALONFULL, 409},
		{events.Errorf(events.EINVALID, "bad"), events.EINVALID, 422},
		{&events.Error{Code: "no_such_code"}, "no_such_code", 500},
		{errors.New("boom"), events.EINTERNAL, 500},
	}
	m := NewMetrics()
	a := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		_, status := StatusFor(err)
		return c.SendStatus(status)
	}})
	a.Use(m.Middleware)
	for i, tc := range cases {
		if code, status := StatusFor(tc.err); code != tc.code || status != tc.status {
			t.Errorf("StatusFor(%v) = %q %d, want %q %d", tc.err, code, status, tc.code, tc.status)
		}
		route := "/e" + strconv.Itoa(i)
		a.Get(route, func(*fiber.Ctx) error { return tc.err })
		resp, err := a.Test(httptest.NewRequest("GET", route, nil))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.status {
			t.Errorf("%v answered %d, want %d", tc.err, resp.StatusCode, tc.status)
		}
		if got := countedStatus(t, m, route); got != strconv.Itoa(tc.status) {
			t.Errorf("%v: metrics counted status %q, want %d", tc.err, got, tc.status)
		}
	}
}

// countedStatus is the status label of the one request counted on route.
func countedStatus(t *testing.T, m *Metrics, route string) string {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, mf := range families {
		if mf.GetName() != "salon_http_requests_total" {
			continue
		}
		for _, s := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range s.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["route"] == route && s.GetCounter().GetValue() > 0 {
				found = append(found, labels["status"])
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("route %s counted under statuses %v", route, found)
	}
	return found[0]
}
