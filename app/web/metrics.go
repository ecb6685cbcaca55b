package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus series the server exports. Each server has its
// own registry so tests can run several side by side.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	rsvps     *prometheus.CounterVec
	writeWait prometheus.Histogram
	integrity *prometheus.GaugeVec
}

// NewMetrics makes the series on a registry of their own.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salon_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "salon_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		rsvps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salon_rsvps_total", Help: "RSVP attempts by outcome (confirmed, waitlisted, pending or an error code).",
		}, []string{"outcome"}),
		writeWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "salon_write_queue_wait_seconds", Help: "Time a write waited for the single writer.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}),
	}
	m.integrity = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "salon_integrity", Help: "The last integrity check of the database: ok 1 when it found no damage, damaged 1 when it did; seconds is how long it took.",
	}, []string{"field"})
	m.reg.MustRegister(m.requests, m.duration, m.rsvps, m.writeWait, m.integrity,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveWriteWait records how long a write waited for the writer.
func (m *Metrics) ObserveWriteWait(d time.Duration) { m.writeWait.Observe(d.Seconds()) }

// SetIntegrity records the outcome of an integrity check.
func (m *Metrics) SetIntegrity(damaged bool, took time.Duration) {
	ok, bad := 1.0, 0.0
	if damaged {
		ok, bad = 0, 1
	}
	m.integrity.WithLabelValues("ok").Set(ok)
	m.integrity.WithLabelValues("damaged").Set(bad)
	m.integrity.WithLabelValues("seconds").Set(took.Seconds())
}

// Middleware counts every request by its route pattern (never the raw path,
// which would make a series per ticket token).
func (m *Metrics) Middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The ErrorHandler has not run yet; count what it will answer.
		_, status = StatusFor(err)
	}
	route := c.Route().Path
	m.requests.WithLabelValues(route, c.Method(), strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	return err
}

// Handler serves the series in Prometheus' text format.
func (m *Metrics) Handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}
