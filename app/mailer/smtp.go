package mailer

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Messenger delivers one rendered message. It is as narrow as listmonk's
// back ends so a test double or another transport fits behind it.
type Messenger interface {
	// Send delivers msg. Its error tells IsPermanent whether trying again
	// later could help.
	Send(ctx context.Context, msg *mail.Msg) error
	// Close ends any open connection.
	Close() error
}

// DefaultTimeout bounds each dial and each SMTP command, so a server that
// stops answering cannot hold the worker (and shutdown) for long.
const DefaultTimeout = 30 * time.Second

// SMTP is a Messenger that keeps one connection to the server open across
// messages, dialing on first use and again after the connection drops: a
// handshake (and TLS) per notice would cost more than the notice.
type SMTP struct {
	cfg    Config
	client *mail.Client

	mu   sync.Mutex
	conn *smtp.Client
}

// NewSMTP prepares a Messenger for cfg without connecting yet. Extra go-mail
// options (a TLS config, a HELO name, a timeout) come after ours and win.
func NewSMTP(cfg Config, opts ...mail.Option) (*SMTP, error) {
	if !cfg.Enabled() {
		return nil, fmt.Errorf("mailer: no SMTP server configured")
	}
	// The port is always set explicitly: go-mail's port-choosing options
	// treat an explicit 25 as "unset" and silently add a plain-text fallback.
	base := []mail.Option{mail.WithPort(cfg.Port), mail.WithTimeout(DefaultTimeout)}
	switch cfg.TLS {
	case TLSStartTLS:
		base = append(base, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case TLSImplicit:
		base = append(base, mail.WithSSL())
	case TLSNone:
		base = append(base, mail.WithTLSPolicy(mail.NoTLS))
	default:
		return nil, fmt.Errorf("mailer: unknown TLS mode %q", cfg.TLS)
	}
	if cfg.Username != "" {
		// Auto-discovery picks the strongest mechanism the server offers
		// and refuses to send a password in clear over an unencrypted link.
		base = append(base, mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password),
			mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover))
	}
	client, err := mail.NewClient(cfg.Host, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("mailer: unable to set up SMTP client for %s: %w", cfg.Addr(), err)
	}
	return &SMTP{cfg: cfg, client: client}, nil
}

// Send delivers msg over the open connection, dialing first if there is
// none. A connection found dead before anything was sent is redialed once at
// once, since servers close idle connections as a matter of course.
func (s *SMTP) Send(ctx context.Context, msg *mail.Msg) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for try := 0; ; try++ {
		if s.conn == nil {
			conn, err := s.client.DialToSMTPClientWithContext(ctx)
			if err != nil {
				return &connError{fmt.Errorf("mailer: unable to connect to %s: %w", s.cfg.Addr(), err)}
			}
			s.conn = conn
		}
		err := s.client.SendWithSMTPClient(s.conn, msg)
		if err == nil {
			return nil
		}
		if msg.IsDelivered() {
			// The server accepted the message; only the RSET after it
			// failed. Report success and start afresh next time.
			s.dropLocked()
			return nil
		}
		var se *mail.SendError
		if errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
			s.dropLocked()
			if try == 0 {
				continue
			}
			return &connError{fmt.Errorf("mailer: unable to keep a connection to %s: %w", s.cfg.Addr(), err)}
		}
		// Without a reply the connection is in an unknown state (a write
		// failed half way); after 421 the server is closing it anyway.
		if code := replyCode(err); code == 0 || code == 421 {
			s.dropLocked()
		}
		return fmt.Errorf("mailer: unable to send message: %w", err)
	}
}

// Close says QUIT on the open connection, if any.
func (s *SMTP) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	err := s.client.CloseWithSMTPClient(s.conn)
	s.conn = nil
	if err != nil {
		return fmt.Errorf("mailer: unable to close SMTP connection: %w", err)
	}
	return nil
}

// dropLocked forgets the connection without a polite QUIT, which could
// itself hang on a broken link. s.mu must be held.
func (s *SMTP) dropLocked() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

// connError marks failures to reach or greet the server. They say nothing
// about the message, so they are never permanent, whatever the reply code
// (a 554 greeting or a failed AUTH is for the admin to fix, not a reason to
// drop every notice).
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// permanentError marks a failure that no retry can cure.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot cure, so the worker fails
// the message at once: a Renderer uses it for a notice it can never render.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err means the message will never be accepted,
// so it should be failed at once rather than retried. Only a 5xx reply to the
// message's own commands (MAIL, RCPT, DATA), a message that cannot be built
// (Unbuildable) or one go-mail cannot even address counts; anything else (refused connections, timeouts, 4xx replies,
// errors of unknown kind) is worth another try, since losing a confirmation
// costs more than a late retry.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var pe *permanentError
	var be *buildError
	if errors.As(err, &pe) || errors.As(err, &be) {
		return true
	}
	var ce *connError
	if errors.As(err, &ce) {
		return false
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case mail.ErrGetSender, mail.ErrGetRcpts, mail.ErrNoUnencoded:
			return true
		}
		return isPermanentCode(se.ErrorCode())
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return isPermanentCode(te.Code)
	}
	return false
}

// isPermanentCode is true for 5xx replies, except those about our own
// credentials (530 authentication required, 535 bad credentials): the
// message is fine and will go once the admin fixes the configuration.
func isPermanentCode(code int) bool {
	return code >= 500 && code < 600 && code != 530 && code != 535
}

// replyCode is the server's reply code carried by err, or 0 when the server
// never answered (a network failure, a local error).
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}
