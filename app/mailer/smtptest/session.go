package smtptest

import (
	"bytes"
	"io"
	netmail "net/mail"
	"strings"

	"github.com/emersion/go-smtp"
)

// backend makes a session per connection, counting them.
type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.sessions++
	b.s.mu.Unlock()
	x := &session{s: b.s, conn: c}
	if b.s.user != "" {
		return &authSession{x}, nil
	}
	return x, nil
}

// session follows one connection: its login and the transaction in progress.
type session struct {
	s      *Server
	conn   *smtp.Conn
	authed string
	from   string
	to     []string
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.user != "" && x.authed == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if err := x.s.takeFailure(); err != nil {
		return err
	}
	x.from, x.to = from, nil
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := x.s.takeFailure(); err != nil {
		return err
	}
	x.s.mu.Lock()
	code := x.s.rcptCodes[strings.ToLower(to)]
	x.s.mu.Unlock()
	if code != 0 {
		return replyError(code)
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := x.s.takeFailure(); err != nil {
		return err
	}
	_, isTLS := x.conn.TLSConnectionState()
	m := Message{From: x.from, To: append([]string(nil), x.to...), Data: data, TLS: isTLS, User: x.authed}
	if parsed, err := netmail.ReadMessage(bytes.NewReader(data)); err == nil {
		m.MessageID = strings.Trim(strings.TrimSpace(parsed.Header.Get("Message-Id")), "<>")
	}
	x.s.record(m)
	return nil
}

func (x *session) Reset() { x.from, x.to = "", nil }

func (x *session) Logout() error { return nil }
