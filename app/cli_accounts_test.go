package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"salon/app/web"
	"salon/storage"
	"salon/storage/sqlite"
)

// lastLine is the last line of a command's stdout.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestCLI_Accounts runs the account commands: exit codes, the link alone
// on the last line, the password read from stdin, disable and enable.
func TestCLI_Accounts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	base := "https://salon.example"
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"user without subcommand", "", []string{"user"}, 2, "subcommand"},
		{"unknown subcommand", "", []string{"user", "frob"}, 2, "subcommand"},
		{"invite without email", "", []string{"user", "invite", "--db", db, "--role", "organizer"}, 2, "--email"},
		{"invite without role", "", []string{"user", "invite", "--db", db, "--email", "mei@example.com"}, 2, "--role"},
		{"invite bad role", "", []string{"user", "invite", "--db", db, "--email", "mei@example.com", "--role", "king"}, 2, "--role"},
		{"invite bad email", "", []string{"user", "invite", "--db", db, "--email", "not-an-address", "--role", "staff"}, 1, "email"},
		{"set-password without stdin flag", "", []string{"user", "set-password", "--db", db, "--email", "mei@example.com"}, 2, "--password-stdin"},
		{"set-password short", "short\n", []string{"user", "set-password", "--db", db, "--email", "mei@example.com", "--password-stdin"}, 2, "password"},
		{"set-password unknown", "a long passphrase\n", []string{"user", "set-password", "--db", db, "--email", "nobody@example.com", "--password-stdin"}, 1, "not found"},
		{"disable without email", "", []string{"user", "disable", "--db", db}, 2, "--email"},
		{"disable unknown", "", []string{"user", "disable", "--db", db, "--email", "nobody@example.com"}, 1, "not found"},
		{"enable unknown", "", []string{"user", "enable", "--db", db, "--email", "nobody@example.com"}, 1, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
			}
			if !strings.Contains(stderr, "usage") && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Fatalf("stderr is more than one line: %q", stderr)
			}
		})
	}

	code, stdout, stderr := runCLI(t, "", "user", "invite", "--db", db, "--base-url", base+"/", "--email", "Mei@Example.com", "--role", "organizer", "--name", "Mei")
	link := lastLine(stdout)
	if code != 0 || !strings.HasPrefix(link, base+"/invite/") || strings.ContainsAny(link, " \t") || len(link) < len(base)+40 {
		t.Fatalf("invite: %d %q %q", code, stdout, stderr)
	}
	// Again: the account exists, and a new link replaces the first.
	code, stdout, _ = runCLI(t, "", "user", "invite", "--db", db, "--base-url", base, "--email", "mei@example.com", "--role", "organizer")
	link2 := lastLine(stdout)
	if code != 0 || link2 == link || !strings.HasPrefix(link2, base+"/invite/") {
		t.Fatalf("invite again: %d %q", code, stdout)
	}

	d, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	u, err := d.FindUserByEmail(ctx, "mei@example.com")
	if err != nil || u.Role != "organizer" || u.Name != "Mei" || u.PasswordHash != "" {
		t.Fatalf("invited account: %+v %v", u, err)
	}
	if _, err := d.CheckInvite(ctx, strings.TrimPrefix(link, base+"/invite/")); err == nil {
		t.Fatal("the first link still works after a second")
	}
	if _, err := d.CheckInvite(ctx, strings.TrimPrefix(link2, base+"/invite/")); err != nil {
		t.Fatalf("link: %v", err)
	}

	code, stdout, stderr = runCLI(t, "a long passphrase\nignored\n", "user", "set-password", "--db", db, "--email", "MEI@example.com", "--password-stdin")
	if code != 0 || stderr != "" {
		t.Fatalf("set-password: %d %q %q", code, stdout, stderr)
	}
	u, _ = d.FindUserByEmail(ctx, "mei@example.com")
	if !web.VerifyPassword(u.PasswordHash, "a long passphrase") {
		t.Fatal("set-password did not set the first line of stdin")
	}

	code, _, stderr = runCLI(t, "", "user", "disable", "--db", db, "--email", "mei@example.com")
	if code != 0 {
		t.Fatalf("disable: %d %q", code, stderr)
	}
	if u, _ = d.FindUserByEmail(ctx, "mei@example.com"); !u.Disabled() {
		t.Fatal("not disabled")
	}
	if code, _, stderr = runCLI(t, "", "user", "invite", "--db", db, "--base-url", base, "--email", "mei@example.com", "--role", "organizer"); code != 1 || !strings.Contains(stderr, "disabled") {
		t.Fatalf("invite of a disabled account: %d %q", code, stderr)
	}
	if code, _, stderr = runCLI(t, "", "user", "enable", "--db", db, "--email", "mei@example.com"); code != 0 {
		t.Fatalf("enable: %d %q", code, stderr)
	}
	if u, _ = d.FindUserByEmail(ctx, "mei@example.com"); u.Disabled() {
		t.Fatal("still disabled")
	}
	entries, _ := d.FindAudit(ctx, storage.AuditFilter{})
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
	}
	for _, a := range []string{storage.ActionUserInvite, storage.ActionUserPassword, storage.ActionUserDisable, storage.ActionUserEnable} {
		if !seen[a] {
			t.Errorf("the command line left no %s entry", a)
		}
	}
}
