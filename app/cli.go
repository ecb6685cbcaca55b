package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"salon/events"
	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/sqlite"
)

const usage = `usage: salon <command> [flags]

commands:
  serve                     run the web server, mail worker and reminder scheduler
  user add --email E --role admin|organizer|staff [--name N] [--password-stdin]
  user set-password --email E --password-stdin
  user invite --email E --role R [--name N]   prints a one-time link (72 h) to set a password
  user disable --email E    ends its sessions and API tokens; user enable --email E undoes it
  token create --email E [--label L]
  backup --out FILE         a consistent copy of the live database
  key rotate                a new ticket-code signing key; codes already issued stay valid
  check [--quick]           the full integrity check of the database; exit 1 on damage
  version                   print the version

Run "salon <command> -h" for a command's flags.`

// Main runs the command line and returns the exit status: 0 on success, 2 on
// bad usage, 1 on any other failure, with one line on stderr.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(args, stdin, stdout, stderr)
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintf(stderr, "salon: %s\n", u)
		return 2
	default:
		fmt.Fprintf(stderr, "salon: %s\n", oneLine(err))
		return 1
	}
}

func oneLine(err error) string {
	if e := (*events.Error)(nil); errors.As(err, &e) {
		return e.Message
	}
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return usageError("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(rest, stderr)
	case "user":
		if len(rest) > 0 && rest[0] == "add" {
			return runUserAdd(rest[1:], stdin, stdout, stderr)
		}
		return runUserAccount(rest, stdin, stdout, stderr)
	case "token":
		if len(rest) == 0 || rest[0] != "create" {
			return usageError(`"salon token" takes the subcommand "create"`)
		}
		return runTokenCreate(rest[1:], stdout, stderr)
	case "backup":
		return runBackup(rest, stdout, stderr)
	case "key":
		if len(rest) == 0 || rest[0] != "rotate" {
			return usageError(`"salon key" takes the subcommand "rotate"`)
		}
		return runKeyRotate(rest[1:], stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "salon", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return usageError(fmt.Sprintf("unknown command %q", cmd))
}

func runServe(args []string, stderr io.Writer) error {
	var cfg Config
	f := newEnvFlags("salon serve")
	f.fs.SetOutput(stderr)
	f.bindServe(&cfg)
	if err := f.parse(args); err != nil {
		return err
	}
	cfg.GC.Apply()
	runtime.GOMAXPROCS(cfg.Procs)
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Serve(ctx, cfg, log)
}

func openDB(path string) (storage.Store, error) {
	return OpenStore(context.Background(), path)
}

func runUserAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var dbPath, email, role, name string
	var fromStdin bool
	f := newEnvFlags("salon user add")
	f.fs.SetOutput(stderr)
	f.bindDB(&dbPath)
	f.fs.StringVar(&email, "email", "", "the account's email (required)")
	f.fs.StringVar(&role, "role", "", "admin, organizer or staff (required)")
	f.fs.StringVar(&name, "name", "", "the account's display name")
	f.fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of stdin")
	if err := f.parse(args); err != nil {
		return err
	}
	if email == "" || role == "" {
		return usageError("--email and --role are required")
	}
	if !events.ValidRole(role) {
		return usageError("--role must be admin, organizer or staff")
	}
	u := &events.User{Email: email, Name: name, Role: role}
	if fromStdin {
		hash, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
	}
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(context.Background(), u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}

func runTokenCreate(args []string, stdout, stderr io.Writer) error {
	var dbPath, email, label string
	f := newEnvFlags("salon token create")
	f.fs.SetOutput(stderr)
	f.bindDB(&dbPath)
	f.fs.StringVar(&email, "email", "", "the account the token acts for (required)")
	f.fs.StringVar(&label, "label", "", "a note saying what the token is for")
	if err := f.parse(args); err != nil {
		return err
	}
	if email == "" {
		return usageError("--email is required")
	}
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	token, err := db.CreateAPIToken(ctx, u.ID, label)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API token for %s (%s); it is shown only now:\n%s\n", u.Email, u.Role, token)
	return nil
}

func runBackup(args []string, stdout, stderr io.Writer) error {
	var dbPath, out string
	f := newEnvFlags("salon backup")
	f.fs.SetOutput(stderr)
	f.bindDB(&dbPath)
	f.fs.StringVar(&out, "out", "", "file to write the copy to (must not exist)")
	if err := f.parse(args); err != nil {
		return err
	}
	if out == "" {
		return usageError("--out is required")
	}
	if postgres.IsURL(dbPath) {
		return errBackupPostgres
	}
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("no database at %s", dbPath)
	}
	if err := sqlite.Backup(context.Background(), dbPath, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", out)
	return nil
}

// runKeyRotate makes a new signing key for ticket codes. Codes signed with
// older keys keep verifying, so tickets already mailed still open the door;
// a running server picks the new key up at its next start.
func runKeyRotate(args []string, stdout, stderr io.Writer) error {
	var dbPath string
	f := newEnvFlags("salon key rotate")
	f.fs.SetOutput(stderr)
	f.bindDB(&dbPath)
	if err := f.parse(args); err != nil {
		return err
	}
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	id, keys, err := rotateSigningKey(context.Background(), db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new ticket signing key %d; %d keys verify codes\n", id, len(keys.PublicKeys()))
	return nil
}
