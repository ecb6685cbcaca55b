// Package mailer delivers the notices written to the storage outbox: an SMTP
// Messenger that keeps one connection open across messages, and a Worker that
// claims due messages, sends them and records each outcome, retrying passing
// failures with back-off so that no confirmation is lost to an outage.
package mailer

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes a --smtp URL can ask for.
const (
	// TLSStartTLS upgrades with STARTTLS when the server offers it, the
	// common case for submission on port 587 (smtp://).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte, port 465 (smtps://).
	TLSImplicit TLSMode = "implicit"
	// TLSNone never encrypts (smtp://…?tls=none), for a relay on the same
	// host or a test server.
	TLSNone TLSMode = "none"
)

// Config is the outgoing mail server, parsed from the --smtp URL. The zero
// Config means no server: mail stays in the outbox.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
}

// Enabled reports whether a server was configured at all.
func (c Config) Enabled() bool { return c.Host != "" }

// Addr is host:port, for logs and dialing.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// String describes the server for logs without the password.
func (c Config) String() string {
	if !c.Enabled() {
		return "none"
	}
	u := url.URL{Scheme: "smtp", Host: c.Addr()}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	if c.TLS == TLSNone {
		u.RawQuery = "tls=none"
	}
	return u.String()
}

// ParseConfig reads a --smtp URL: smtp://user:pass@host:port uses STARTTLS
// when offered (default port 587), smtps:// implicit TLS (465), and
// ?tls=none never TLS (25). An empty string is the zero Config. Errors never
// repeat the URL, since it may hold a password.
func ParseConfig(raw string) (Config, error) {
	if raw == "" {
		return Config{}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL; keep only what went wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Config{}, fmt.Errorf("mailer: unable to parse SMTP URL: %w", err)
	}
	var c Config
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSStartTLS, 587
	case "smtps":
		c.TLS, c.Port = TLSImplicit, 465
	default:
		return Config{}, fmt.Errorf("mailer: SMTP URL scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return Config{}, fmt.Errorf("mailer: SMTP URL must look like smtp://user:pass@host:port")
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return Config{}, fmt.Errorf("mailer: SMTP URL has no host")
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return Config{}, fmt.Errorf("mailer: SMTP URL has unknown parameter %q (only tls is known)", k)
		}
	}
	switch tls := q.Get("tls"); tls {
	case "":
	case "none":
		if c.TLS == TLSImplicit {
			return Config{}, fmt.Errorf("mailer: smtps:// is always TLS; use smtp://…?tls=none for none")
		}
		c.TLS, c.Port = TLSNone, 25
	default:
		return Config{}, fmt.Errorf("mailer: SMTP URL parameter tls must be none, not %q", tls)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("mailer: SMTP URL port %q is not a port number", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return Config{}, fmt.Errorf("mailer: SMTP URL has a password but no user name")
		}
	}
	return c, nil
}
