package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// cliActor is the audit log's actor for account changes made on the
// command line: no account, marked "cli".
var cliActor = storage.Actor{Via: "cli"}

// readPassword reads the first line of stdin, checks it as a new password
// and returns its hash; a bad password is bad usage.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if msg := web.CheckPassword(pw); msg != "" {
		return "", usageError("password " + msg)
	}
	return web.HashPassword(pw), nil
}

// runUserAccount runs "salon user set-password|invite|disable|enable".
func runUserAccount(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(`"salon user" takes a subcommand: add, set-password, invite, disable or enable`)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "set-password", "invite", "disable", "enable":
	default:
		return usageError(fmt.Sprintf(`"salon user" takes a subcommand: add, set-password, invite, disable or enable, not %q`, sub))
	}
	var dbPath, email, role, name, baseURL string
	var fromStdin bool
	f := newEnvFlags("salon user " + sub)
	f.fs.SetOutput(stderr)
	f.bindDB(&dbPath)
	f.fs.StringVar(&email, "email", "", "the account's email (required)")
	switch sub {
	case "set-password":
		f.fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of stdin (required)")
	case "invite":
		f.fs.StringVar(&role, "role", "", "admin, organizer or staff, for a new account (required)")
		f.fs.StringVar(&name, "name", "", "the new account's display name")
		f.string(&baseURL, "base-url", "SALON_BASE_URL", "http://localhost:8080", "public URL the link is built from")
	}
	if err := f.parse(args); err != nil {
		return err
	}
	if email == "" {
		return usageError("--email is required")
	}
	var hash string
	switch sub {
	case "set-password":
		if !fromStdin {
			return usageError("--password-stdin is required: the password is read from stdin, never from a flag")
		}
		var err error
		if hash, err = readPassword(stdin); err != nil {
			return err
		}
	case "invite":
		if role == "" || !events.ValidRole(role) {
			return usageError("--role must be admin, organizer or staff")
		}
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError(fmt.Sprintf("--base-url must be an absolute http(s) URL, got %q", baseURL))
		}
		baseURL = strings.TrimRight(baseURL, "/")
	}
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := storage.WithActor(context.Background(), cliActor)
	if sub == "invite" {
		return inviteFromCLI(ctx, db, &events.User{Email: email, Role: role, Name: name}, baseURL, stdout)
	}
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	switch sub {
	case "set-password":
		err = db.SetPassword(ctx, u.ID, hash)
	case "disable":
		err = db.DisableUser(ctx, u.ID)
	case "enable":
		err = db.EnableUser(ctx, u.ID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: done for %s %s\n", sub, u.Role, u.Email)
	return nil
}

// inviteFromCLI creates the account when there is none and prints a
// one-time link, alone on the last line.
func inviteFromCLI(ctx context.Context, db storage.Store, nu *events.User, baseURL string, stdout io.Writer) error {
	u, err := db.FindUserByEmail(ctx, nu.Email)
	if events.ErrorCode(err) == events.ENOTFOUND {
		if err := db.CreateUser(ctx, nu); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s %s (id %d)\n", nu.Role, nu.Email, nu.ID)
		u = nu
	} else if err != nil {
		return err
	} else if u.Role != nu.Role {
		fmt.Fprintf(stdout, "%s exists as %s; its role is not changed\n", u.Email, u.Role)
	}
	purpose := storage.LinkInvite
	if u.PasswordHash != "" {
		purpose = storage.LinkReset
	}
	token, err := db.CreateInvite(ctx, storage.InviteRequest{UserID: u.ID, Purpose: purpose})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "one-time link for %s to set a password, valid %d hours; it is shown only now:\n%s%s%s\n",
		u.Email, int(storage.InviteTTL.Hours()), baseURL, web.InvitePath, token)
	return nil
}
