package mailer

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"salon/app/mailer/smtptest"
)

func testMsg(t testing.TB, to string) *mail.Msg {
	t.Helper()
	msg := mail.NewMsg()
	if err := msg.From("no-reply@salon.example"); err != nil {
		t.Fatal(err)
	}
	if err := msg.To(to); err != nil {
		t.Fatal(err)
	}
	msg.Subject("hello")
	msg.SetBodyString(mail.TypeTextPlain, "hello")
	return msg
}

// TestSMTP_Classification sends through the real client to a server told
// to answer each way, so the classification rests on what go-mail really
// returns, not on errors built by hand.
func TestSMTP_Classification(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		setup     func(*smtptest.Server)
		permanent bool
	}{
		{"550 unknown recipient", func(s *smtptest.Server) { s.RejectRecipient("x@example.com", 550) }, true},
		{"553 at MAIL FROM", func(s *smtptest.Server) { s.FailNext(1, 553) }, true},
		{"554 after DATA", func(s *smtptest.Server) { s.FailNext(3, 554) }, true},
		{"451 at MAIL FROM", func(s *smtptest.Server) { s.FailNext(1, 451) }, false},
		{"421 at RCPT", func(s *smtptest.Server) { s.RejectRecipient("x@example.com", 421) }, false},
		{"452 after DATA", func(s *smtptest.Server) { s.FailNext(3, 452) }, false},
		{"connection refused", func(s *smtptest.Server) { s.Stop() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t)
			m := newSMTP(t, srv)
			tc.setup(srv)
			err := m.Send(ctx, testMsg(t, "x@example.com"))
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if got := IsPermanent(err); got != tc.permanent {
				t.Fatalf("IsPermanent(%v) = %v, want %v", err, got, tc.permanent)
			}
		})
	}
}

func TestIsPermanent(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"unknown error", errors.New("something odd"), false},
		{"deadline", context.DeadlineExceeded, false},
		{"textproto 550", fmt.Errorf("wrapped: %w", &textproto.Error{Code: 550, Msg: "no such user"}), true},
		{"textproto 451", &textproto.Error{Code: 451, Msg: "later"}, false},
		{"auth required is the admin's to fix", &textproto.Error{Code: 530, Msg: "auth required"}, false},
		{"bad credentials are the admin's to fix", &textproto.Error{Code: 535, Msg: "bad credentials"}, false},
		{"554 greeting is a connection problem", &connError{&textproto.Error{Code: 554, Msg: "go away"}}, false},
		{"marked permanent", Permanent(errors.New("template missing")), true},
		{"marked permanent, wrapped", fmt.Errorf("render: %w", Permanent(errors.New("x"))), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsPermanent(tc.err); got != tc.want {
				t.Fatalf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) is not nil")
	}
}

func TestSMTP_ReusesAndRedials(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.Start(t)
	m := newSMTP(t, srv)
	for i := range 3 {
		if err := m.Send(ctx, testMsg(t, fmt.Sprintf("g%d@example.com", i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Sessions(); n != 1 {
		t.Fatalf("%d connections for 3 messages, want 1", n)
	}
	// The server drops every connection and comes back: the next Send finds
	// its connection dead and dials again without failing the message.
	srv.Stop()
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := m.Send(ctx, testMsg(t, "after@example.com")); err != nil {
		t.Fatalf("send after restart: %v", err)
	}
	if n := srv.Sessions(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
	// After a rejected recipient the same connection carries on.
	srv.RejectRecipient("bad@example.com", 550)
	if err := m.Send(ctx, testMsg(t, "bad@example.com")); !IsPermanent(err) {
		t.Fatalf("send to rejected address: %v", err)
	}
	if err := m.Send(ctx, testMsg(t, "good@example.com")); err != nil {
		t.Fatal(err)
	}
	if n, got := srv.Sessions(), len(srv.Messages()); n != 2 || got != 5 {
		t.Fatalf("%d connections, %d messages; want 2, 5", n, got)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNewSMTP_NeedsAServer(t *testing.T) {
	if _, err := NewSMTP(Config{}); err == nil {
		t.Fatal("NewSMTP accepted an empty config")
	}
}

// TestSMTP_TLSModes checks each --smtp form against a server offering
// STARTTLS, implicit TLS or neither, with and without credentials.
func TestSMTP_TLSModes(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		opts    []smtptest.Option
		url     func(*smtptest.Server) string
		wantTLS bool
		wantErr bool
	}{
		{name: "starttls when offered", opts: []smtptest.Option{smtptest.WithSTARTTLS()},
			url: (*smtptest.Server).URL, wantTLS: true},
		{name: "plain when not offered", url: (*smtptest.Server).URL},
		{name: "tls=none never upgrades", opts: []smtptest.Option{smtptest.WithSTARTTLS()},
			url: func(s *smtptest.Server) string { return s.URL() + "?tls=none" }},
		{name: "smtps implicit tls", opts: []smtptest.Option{smtptest.WithImplicitTLS()},
			url: (*smtptest.Server).URL, wantTLS: true},
		{name: "login over starttls", opts: []smtptest.Option{smtptest.WithSTARTTLS(), smtptest.WithAuth("ana", "s3cret")},
			url: (*smtptest.Server).URL, wantTLS: true},
		{name: "login over smtps", opts: []smtptest.Option{smtptest.WithImplicitTLS(), smtptest.WithAuth("ana", "s3cret")},
			url: (*smtptest.Server).URL, wantTLS: true},
		{name: "wrong password", opts: []smtptest.Option{smtptest.WithSTARTTLS(), smtptest.WithAuth("ana", "s3cret")},
			url: func(s *smtptest.Server) string { return "smtp://ana:wrong@" + s.Addr() }, wantErr: true},
		{name: "no password in clear", opts: []smtptest.Option{smtptest.WithSTARTTLS(), smtptest.WithAuth("ana", "s3cret")},
			url: func(s *smtptest.Server) string { return s.URL() + "?tls=none" }, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t, tc.opts...)
			cfg, err := ParseConfig(tc.url(srv))
			if err != nil {
				t.Fatal(err)
			}
			m, err := NewSMTP(cfg, mail.WithTLSConfig(srv.TLSConfig()), mail.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			err = m.Send(ctx, testMsg(t, "x@example.com"))
			if tc.wantErr {
				if err == nil {
					t.Fatal("Send succeeded")
				}
				t.Logf("Send: %v", err)
				if IsPermanent(err) {
					t.Errorf("a login problem failed the message for good: %v", err)
				}
				if len(srv.Messages()) != 0 {
					t.Error("the server took the message")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 || got[0].TLS != tc.wantTLS {
				t.Fatalf("received %+v, want one message with TLS %v", got, tc.wantTLS)
			}
			if cfg.Username != "" && got[0].User != cfg.Username {
				t.Errorf("logged in as %q, want %q", got[0].User, cfg.Username)
			}
		})
	}
}
