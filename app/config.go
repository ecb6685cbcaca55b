// Package app is the composition root: configuration, the command line, the
// Fiber server and its route table, handlers, pages and the background
// workers.
package app

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"salon/app/i18n"
	"salon/app/mailer"
	"salon/app/webhook"
	"salon/events"
)

// Version is set at build time with -ldflags "-X salon/app.Version=…".
var Version = "dev"

// Config is everything `salon serve` is told from outside.
type Config struct {
	DB             string
	Addr           string
	BaseURL        string
	SMTP           string
	MailFrom       string
	RateLimit      int
	TrustedProxies []string
	// Wallet configures Apple Wallet passes; empty offers none.
	Wallet WalletConfig
	// ShutdownTimeout bounds how long in-flight requests may take at shutdown.
	ShutdownTimeout time.Duration
	// RetentionDays is how many days after its salon ended an attendee's
	// personal data is erased; 0 keeps it.
	RetentionDays int
	// WebhookAllow lists addresses or CIDRs webhooks may reach besides
	// public ones, over http too (--webhook-allow).
	WebhookAllow []string
	// PrivacyContact is whom the privacy page names for questions about
	// personal data (--privacy-contact); empty names the --mail-from
	// address.
	PrivacyContact string
	// WebhookPoll and WebhookBackoff, when set (tests), replace the
	// webhook worker's poll interval and first retry delay.
	WebhookPoll, WebhookBackoff time.Duration
	// GC is how the process sets Go's garbage collector (--gogc,
	// --memory-limit); runServe applies it.
	GC GCConfig
	// Procs is how many threads run Go code at once (--procs); runServe
	// applies it.
	Procs int
	// WriteTimeout, when set (tests), replaces web.DefaultWriteTimeout: how
	// long a client may take over an answer, or over each piece of a
	// streamed one.
	WriteTimeout time.Duration
}

// DefaultRetentionDays is how long attendees' personal data is kept after
// their salon ended unless --retention-days says otherwise.
const DefaultRetentionDays = 365

// DefaultRateLimit is how many public writes (RSVP, cancel) one client
// address may make per minute unless told otherwise.
const DefaultRateLimit = 30

// DefaultAddr is where `salon serve` listens unless --addr says otherwise.
const DefaultAddr = ":8080"

// DefaultMailFrom is the From of every mail unless --mail-from says otherwise.
const DefaultMailFrom = "Salon <no-reply@localhost>"

// DefaultShutdownTimeout is how long requests in flight may finish at
// shutdown unless --shutdown-timeout says otherwise.
const DefaultShutdownTimeout = 15 * time.Second

// envFlags registers flags whose defaults come from environment variables, so
// that a flag wins over its variable and the variable over the built-in default.
type envFlags struct {
	fs   *flag.FlagSet
	errs []string
	// after runs once flags are parsed, to check and derive values.
	after func() error
}

func newEnvFlags(name string) *envFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return &envFlags{fs: fs}
}

// parse parses args; a usage error is returned as a usageError, and -h or
// --help as flag.ErrHelp once the flag set has printed its usage.
func (e *envFlags) parse(args []string) error {
	if len(e.errs) > 0 {
		return usageError(e.errs[0])
	}
	if err := e.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return flag.ErrHelp
		}
		return usageError(err.Error())
	}
	if e.fs.NArg() > 0 {
		return usageError("unexpected argument " + strconv.Quote(e.fs.Arg(0)))
	}
	if e.after != nil {
		if err := e.after(); err != nil {
			return usageError(err.Error())
		}
	}
	return nil
}

// usageError is bad usage: exit status 2.
type usageError string

func (u usageError) Error() string { return string(u) }

func (e *envFlags) string(p *string, name, env, def, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		def = v
	}
	e.fs.StringVar(p, name, def, usage+" (env "+env+")")
}

func (e *envFlags) int(p *int, name, env string, def int, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			e.errs = append(e.errs, fmt.Sprintf("%s: not a whole number: %q", env, v))
		} else {
			def = n
		}
	}
	e.fs.IntVar(p, name, def, usage+" (env "+env+")")
}

func (e *envFlags) duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			e.errs = append(e.errs, fmt.Sprintf("%s: not a duration such as 15s: %q", env, v))
		} else {
			def = d
		}
	}
	e.fs.DurationVar(p, name, def, usage+" (env "+env+")")
}

// bindDB registers --db, which every command that opens the database takes.
func (e *envFlags) bindDB(p *string) {
	e.string(p, "db", "SALON_DB", "salon.db", "path of the SQLite database file, or a postgres:// URL")
}

// bindServe registers the flags of `salon serve`.
func (e *envFlags) bindServe(c *Config) {
	e.bindDB(&c.DB)
	e.string(&c.Addr, "addr", "SALON_ADDR", DefaultAddr, "address to listen on")
	e.string(&c.BaseURL, "base-url", "SALON_BASE_URL", "http://localhost:8080", "public URL every link in mail, QR codes and calendars is built from")
	e.string(&c.SMTP, "smtp", "SALON_SMTP_URL", "", "SMTP server URL (smtp://user:pass@host:port, smtps://…, ?tls=none); empty keeps mail in the outbox")
	e.string(&c.MailFrom, "mail-from", "SALON_MAIL_FROM", DefaultMailFrom, "From address of every mail")
	e.int(&c.RateLimit, "rate-limit", "SALON_RATE_LIMIT", DefaultRateLimit, "public write requests per minute from one client address; 0 turns the limit off")
	var proxies string
	e.string(&proxies, "trusted-proxies", "SALON_TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs whose X-Forwarded-For is believed")
	e.bindWallet(&c.Wallet)
	e.int(&c.RetentionDays, "retention-days", "SALON_RETENTION_DAYS", DefaultRetentionDays,
		"days after a salon ended that its attendees' personal data is erased; 0 keeps it")
	e.string(&c.PrivacyContact, "privacy-contact", "SALON_PRIVACY_CONTACT", "",
		"address the privacy page names for questions about personal data; empty: the --mail-from address")
	var hooks string
	e.string(&hooks, "webhook-allow", "SALON_WEBHOOK_ALLOW", "", "comma-separated addresses or CIDRs webhooks may also reach, over http too; empty: only public https addresses")
	e.duration(&c.ShutdownTimeout, "shutdown-timeout", "SALON_SHUTDOWN_TIMEOUT", DefaultShutdownTimeout, "how long in-flight requests may finish at shutdown")
	gc := e.bindGC(&c.GC)
	procs := e.bindProcs(&c.Procs)
	e.after = func() error {
		if err := gc(); err != nil {
			return err
		}
		if err := procs(); err != nil {
			return err
		}
		for _, p := range strings.Split(proxies, ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.TrustedProxies = append(c.TrustedProxies, p)
			}
		}
		for _, p := range strings.Split(hooks, ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.WebhookAllow = append(c.WebhookAllow, p)
			}
		}
		return c.Validate()
	}
}

// Validate checks the configuration and says what is wrong in one line.
func (c *Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--base-url must be an absolute http(s) URL, got %q", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.RateLimit < 0 {
		return fmt.Errorf("--rate-limit must not be negative")
	}
	if c.RetentionDays < 0 {
		return fmt.Errorf("--retention-days must not be negative (0 keeps personal data)")
	}
	if c.DB == "" {
		return fmt.Errorf("--db must name a file or a postgres:// URL")
	}
	if c.MailFrom == "" {
		c.MailFrom = DefaultMailFrom
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return fmt.Errorf("--mail-from must be an address such as \"Salon <no-reply@example.com>\", got %q", c.MailFrom)
	}
	if c.PrivacyContact != "" {
		if _, err := mail.ParseAddress(c.PrivacyContact); err != nil {
			return fmt.Errorf("--privacy-contact must be an address such as \"Privacy <privacy@example.com>\", got %q", c.PrivacyContact)
		}
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if err := checkListenAddr(c.Addr); err != nil {
		return err
	}
	// Parsed here as well as where mail starts, so a URL that can never
	// work is bad usage before anything is opened. The parser's errors never
	// repeat the URL, which may hold a password.
	if _, err := mailer.ParseConfig(c.SMTP); err != nil {
		return fmt.Errorf("--smtp: %w", err)
	}
	if _, err := webhook.NewGuard(c.WebhookAllow); err != nil {
		return err
	}
	return c.Wallet.validate()
}

// checkListenAddr accepts host:port with a numeric port from 0 (any free
// port) to 65535; the host may be empty (every interface).
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		var n int
		n, err = strconv.Atoi(port)
		if err == nil && (n < 0 || n > 65535 || strings.ContainsAny(port, "+-")) {
			err = errors.New("port out of range")
		}
	}
	if err != nil {
		return fmt.Errorf("--addr must be host:port with a port from 0 to 65535, such as :8080, got %q", addr)
	}
	return nil
}

// Secure reports whether the public URL is https, which decides whether
// cookies are marked Secure.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// newCalendarOptions builds links and UIDs from the configured base URL,
// never from the request's Host, and takes the organizer from the mail
// sender so that invitations and their mail agree. NewServer makes them
// once; the calendar files, the page links and the mail all use that copy.
func newCalendarOptions(cfg Config) events.CalendarOptions {
	o := events.CalendarOptions{BaseURL: cfg.BaseURL}
	// Config.Validate has refused a MailFrom that does not parse.
	if a, err := mail.ParseAddress(cfg.MailFrom); err == nil {
		o.OrganizerName, o.OrganizerEmail = a.Name, a.Address
	}
	if o.OrganizerName == "" {
		o.OrganizerName = i18n.T("en", "site.name")
	}
	return o
}
