package console_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"salon/app/i18n"
	"salon/storage"
)

// TestConsole_TextsInCatalogue checks that every text the console pages and
// handlers ask for is in the catalogue, including keys built from a role,
// status or audit action.
func TestConsole_TextsInCatalogue(t *testing.T) {
	keys := i18n.Keys()
	files, _ := filepath.Glob("templates/console*.html")
	files = append(files, "templates/login.html", "templates/setup.html")
	gofiles, _ := filepath.Glob("*.go")
	gofiles = append(gofiles, "../web/session.go", "../api/salons.go")
	literal := regexp.MustCompile(`\.T "([a-z_.0-9]+)"|tr\([a-zA-Z]+, "([a-z_.0-9]+)"|"(console\.[a-z_.0-9]+)"`)
	n := 0
	for _, f := range append(files, gofiles...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			k := m[1] + m[2] + m[3]
			// A key built from a prefix, or a static file name ({{static "console.css"}}).
			if strings.HasSuffix(k, ".") || strings.HasSuffix(k, ".css") || strings.HasSuffix(k, ".js") {
				continue
			}
			n++
			if !slices.Contains(keys, k) {
				t.Errorf("%s: %q is not in the catalogue", f, k)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d texts found", n)
	}
	// The store records the audit actions, named by constants in storage;
	// every one must be listed there and have a text.
	src, err := os.ReadFile("../../storage/audit.go")
	if err != nil {
		t.Fatal(err)
	}
	actions := regexp.MustCompile(`(?m)^\s+Action[A-Za-z]+\s+= "([a-z_.]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(actions) < 15 {
		t.Fatalf("only %d audit actions found", len(actions))
	}
	for _, m := range actions {
		if !slices.Contains(storage.AuditActions, m[1]) {
			t.Errorf("audit action %q is not in storage.AuditActions", m[1])
		}
	}
	for _, a := range storage.AuditActions {
		if !slices.Contains(keys, "audit."+a) {
			t.Errorf("audit action %q has no text", a)
		}
	}
	for _, k := range []string{"console.role.admin", "console.role.organizer", "console.role.staff",
		"console.status.draft", "console.status.published", "console.status.cancelled",
		"console.ticket.confirmed", "console.ticket.waitlisted", "console.ticket.cancelled",
		"console.mail.queued", "console.mail.sending", "console.mail.sent", "console.mail.failed",
		"audit.salon.publish", "audit.salon.cancel", "audit.salon.update"} {
		if !slices.Contains(keys, k) {
			t.Errorf("%q is not in the catalogue", k)
		}
	}
}
