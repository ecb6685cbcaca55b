// Package smtptest runs a real SMTP server in the test process, on
// 127.0.0.1, that records what it receives and can be told to misbehave:
// answer 4xx/5xx, or go away and come back on the same port. Tests anywhere
// in the project use it to see the mail the app really sends.
package smtptest

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one mail as the server received it.
type Message struct {
	From string
	To   []string
	// Data is the message as sent after DATA, headers and body.
	Data []byte
	// MessageID is the Message-ID header without its angle brackets.
	MessageID string
	// TLS tells whether the message came over an encrypted connection.
	TLS bool
	// User is the name the client authenticated as, if it did.
	User string
}

// Option configures a Server.
type Option func(*Server)

// WithSTARTTLS makes the server offer STARTTLS, with a certificate for
// 127.0.0.1 that TLSConfig trusts.
func WithSTARTTLS() Option { return func(s *Server) { s.startTLS = true } }

// WithImplicitTLS makes the server speak TLS from the first byte, as on
// port 465.
func WithImplicitTLS() Option { return func(s *Server) { s.implicitTLS = true } }

// WithAuth makes the server offer AUTH PLAIN (over TLS only) and refuse
// MAIL FROM until the client has logged in as user with pass.
func WithAuth(user, pass string) Option { return func(s *Server) { s.user, s.pass = user, pass } }

// Server is an SMTP server on a fixed local port. All methods are safe for
// concurrent use.
type Server struct {
	addr string

	startTLS, implicitTLS bool
	user, pass            string
	serverTLS, clientTLS  *tls.Config

	mu        sync.Mutex
	srv       *smtp.Server
	listener  net.Listener
	served    chan struct{}
	msgs      []Message
	rcptCodes map[string]int
	failN     int
	failCode  int
	sessions  int
	changed   chan struct{}
}

// Start runs a server for the length of tb.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// NewServer starts a server on 127.0.0.1 on a free port.
func NewServer(opts ...Option) (*Server, error) {
	s := &Server{rcptCodes: map[string]int{}, changed: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	var err error
	if s.serverTLS, s.clientTLS, err = selfSigned(); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("smtptest: unable to listen: %w", err)
	}
	s.addr = l.Addr().String()
	s.serve(l)
	return s, nil
}

// TLSConfig is a client configuration that trusts the server's certificate,
// for go-mail's WithTLSConfig.
func (s *Server) TLSConfig() *tls.Config { return s.clientTLS.Clone() }

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// URL is a --smtp value for this server, with the credentials of WithAuth:
// smtps:// with WithImplicitTLS, else smtp://, where STARTTLS is used when
// the server offers it.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.implicitTLS {
		u.Scheme = "smtps"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
	}
	return u.String()
}

func (s *Server) serve(l net.Listener) {
	if s.implicitTLS {
		l = tls.NewListener(l, s.serverTLS)
	}
	srv := smtp.NewServer(backend{s})
	if s.startTLS {
		srv.TLSConfig = s.serverTLS
	}
	srv.Domain = "smtptest.localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxRecipients = 100
	srv.ErrorLog = discardLogger{}
	served := make(chan struct{})
	s.mu.Lock()
	s.srv, s.listener, s.served = srv, l, served
	s.mu.Unlock()
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
}

// Stop closes the listener and every open connection, as an outage would;
// Restart brings the server back on the same port.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, l, served := s.srv, s.listener, s.served
	s.srv, s.listener = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	_ = srv.Close()
	// Serve registers its listener only once it runs, so a Stop right after
	// a start could miss it: close it here too.
	_ = l.Close()
	<-served
}

// Restart listens again on the same port after Stop.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.srv != nil
	s.mu.Unlock()
	if running {
		return nil
	}
	var l net.Listener
	var err error
	// The port was ours a moment ago; give the kernel a moment to free it.
	for range 50 {
		if l, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("smtptest: unable to listen again on %s: %w", s.addr, err)
	}
	s.serve(l)
	return nil
}

// Close stops the server for good.
func (s *Server) Close() { s.Stop() }

// RejectRecipient makes every RCPT TO for addr answer code (e.g. 550 or
// 451) until it is called again with code 0.
func (s *Server) RejectRecipient(addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.rcptCodes, strings.ToLower(addr))
		return
	}
	s.rcptCodes[strings.ToLower(addr)] = code
}

// FailNext makes the next n transaction commands (MAIL FROM, RCPT TO, and
// the end of DATA) answer code, e.g. 421 or 451.
func (s *Server) FailNext(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, code
}

// Messages returns a copy of every message received so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Deliveries counts the messages received with this Message-ID (with or
// without angle brackets).
func (s *Server) Deliveries(messageID string) int {
	id := strings.Trim(messageID, "<>")
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.msgs {
		if m.MessageID == id {
			n++
		}
	}
	return n
}

// DeliveriesByID counts the messages received per Message-ID.
func (s *Server) DeliveriesByID() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, m := range s.msgs {
		out[m.MessageID]++
	}
	return out
}

// Sessions counts the connections the server has accepted, so a test can
// tell whether a client reused its connection.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// Wait blocks until at least n messages have arrived or ctx ends.
func (s *Server) Wait(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		got, changed := len(s.msgs), s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("smtptest: %d of %d messages arrived: %w", got, n, ctx.Err())
		}
	}
}

// Reset forgets the messages received and every failure set up.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs, s.failN, s.failCode, s.sessions = nil, 0, 0, 0
	s.rcptCodes = map[string]int{}
}

// takeFailure consumes one planned failure, if any.
func (s *Server) takeFailure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failN <= 0 {
		return nil
	}
	s.failN--
	return replyError(s.failCode)
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// replyError is the SMTP reply for code, with an enhanced code of the same
// class.
func replyError(code int) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0},
		Message: fmt.Sprintf("smtptest: told to answer %d", code)}
}

// discardLogger keeps the expected noise of Stop (closed connections) out
// of test output.
type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
