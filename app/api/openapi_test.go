package api_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"salon/app/api"
	"salon/app/internal/apptest"
)

// TestOpenAPICoversRoutes keeps the OpenAPI document true: every /api/v1
// route is documented with its method, and every documented operation exists.
func TestOpenAPICoversRoutes(t *testing.T) {
	ta := apptest.New(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:(\w+)`)
	routes := map[string]bool{}
	for _, r := range ta.Srv.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" {
			continue
		}
		p := param.ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		routes[key] = true
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !routes[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which the server does not serve", m, p)
			}
		}
	}
	status, body, hdr := ta.Do("GET", "/api/v1/openapi.json", "", "", "")
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") || !strings.Contains(body, `"openapi"`) {
		t.Fatalf("served document: %d", status)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"A","email":"a@example.com"}`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"A","email":"a@example.com"}`)
	status, body, _ := ta.Do("GET", "/healthz", "", "", "")
	if status != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("healthz %d %s", status, body)
	}
	status, body, hdr := ta.Do("GET", "/metrics", "", "", "")
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics %d", status)
	}
	for _, want := range []string{
		`salon_rsvps_total{outcome="confirmed"} 1`,
		`salon_rsvps_total{outcome="already_registered"} 1`,
		`salon_http_requests_total{method="POST",route="/api/v1/salons/:slug/rsvps",status="201"} 1`,
		`salon_http_requests_total{method="POST",route="/api/v1/salons/:slug/rsvps",status="409"} 1`,
		`salon_write_queue_wait_seconds_count`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
