package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/mailer"
	"salon/app/notice"
	"salon/app/web"
	"salon/app/webhook"
	"salon/events"
	"salon/storage"
)

// Server is the web application: the Fiber app, its dependencies and the
// background workers it runs.
type Server struct {
	cfg Config
	db  storage.Store
	log *slog.Logger
	app *fiber.App
	// d is the kernel every surface is built from; it holds the ticket
	// keys, built from db at start.
	d *web.Deps
	// health keeps the last write probe's answer for /healthz.
	health writeHealth
	// integrity is the background integrity check's outcome.
	integrity integrityState
	// calOpts are the calendar options every .ics, page link and mail
	// invitation is built with, made once from the configuration.
	calOpts events.CalendarOptions

	wg sync.WaitGroup
}

// NewServer builds the application on an open database.
func NewServer(cfg Config, db storage.Store, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	keys, err := LoadKeySet(context.Background(), db)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, db: db, log: log, calOpts: newCalendarOptions(cfg)}
	s.d, err = web.NewDeps(db, log, cfg.BaseURL, cfg.Secure(), keys, s.calOpts)
	if err != nil {
		return nil, err
	}
	s.d.RetentionDays = cfg.RetentionDays
	s.d.PrivacyContact = privacyContact(cfg)
	if s.d.Wallet, err = loadWallet(cfg.Wallet, time.Now()); err != nil {
		return nil, err
	}
	if smtpCfg, err := mailer.ParseConfig(cfg.SMTP); err == nil {
		s.d.MailSends = smtpCfg.Enabled()
	}
	if s.d.Webhooks, err = webhook.NewGuard(cfg.WebhookAllow); err != nil {
		return nil, err
	}
	db.ObserveWriteWait(s.d.Metrics.ObserveWriteWait)
	s.d.WriteTimeout = cfg.WriteTimeout
	if s.d.WriteTimeout <= 0 {
		s.d.WriteTimeout = web.DefaultWriteTimeout
	}
	s.app = fiber.New(fiber.Config{
		// Values from the request must not change under us after the
		// handler returns (Gatus issue #1268).
		Immutable: true,
		// Cover uploads need 10 MB; web.RequestLimits keeps every other
		// route at 64 KiB.
		BodyLimit:      web.UploadBodyLimit,
		ReadBufferSize: 16 * 1024,
		// A page and its headers leave in one write (one TCP segment burst)
		// when they fit: with the default 4 KiB, a 3.8 KiB salon page went
		// out in two writes and served 28% fewer views per second.
		WriteBufferSize:         16 * 1024,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            s.d.WriteTimeout,
		IdleTimeout:             90 * time.Second,
		ErrorHandler:            s.d.ErrorHandler,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
		EnableIPValidation:      true,
		AppName:                 "salon",
	})
	s.app.Server().HeaderReceived = web.RequestLimits(isCoverUpload)
	if err := s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

func proxyHeader(cfg Config) string {
	if len(cfg.TrustedProxies) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

// App returns the Fiber app, for tests.
func (s *Server) App() *fiber.App { return s.app }

// Listener serves on ln until Shutdown.
func (s *Server) Listener(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops taking connections and waits up to timeout for requests in
// flight to finish.
func (s *Server) Shutdown(timeout time.Duration) error {
	return s.app.ShutdownWithTimeout(timeout)
}

// Serve runs `salon serve`: opens and migrates the database, starts the
// workers and the web server, and shuts all down in order on ctx's end.
func Serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	db, err := OpenStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := NewServer(cfg, db, log)
	if err != nil {
		return err
	}
	if link, err := s.SetupLink(ctx); err != nil {
		return err
	} else if link != "" {
		log.Warn("no admin account yet: open this one-time link to create one (valid 24 h)", "setup_url", link)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	workers, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	if err := s.StartWorkers(workers); err != nil {
		ln.Close()
		return err
	}
	served := make(chan error, 1)
	go func() { served <- s.Listener(ln) }()
	// Off the start path: see CheckIntegrity.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.CheckIntegrity(workers)
	}()
	log.Info("salon listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "db", displayDB(cfg.DB), "version", Version)

	select {
	case err := <-served:
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	}
	if err := s.Shutdown(cfg.ShutdownTimeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Error("shutdown", "err", err)
	}
	stopWorkers()
	s.wg.Wait()
	if err := db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	log.Info("stopped cleanly")
	return nil
}

// StartWorkers starts the mail outbox worker and the reminder scheduler;
// they stop when ctx ends, and Serve waits for them before closing the
// database.
func (s *Server) StartWorkers(ctx context.Context) error {
	smtpCfg, err := mailer.ParseConfig(s.cfg.SMTP)
	if err != nil {
		return err
	}
	var m mailer.Messenger
	if smtpCfg.Enabled() {
		smtp, err := mailer.NewSMTP(smtpCfg)
		if err != nil {
			return err
		}
		m = smtp
	} else {
		s.log.Warn("no --smtp: mail is kept in the outbox, listed for admins, not sent")
	}
	w, err := mailer.NewWorker(s.db, m, s.Notices(), s.log, mailer.WithFrom(s.cfg.MailFrom), mailer.WithBaseURL(s.cfg.BaseURL))
	if err != nil {
		return err
	}
	// Every write that queues mail wakes the worker once it commits.
	s.db.OnMailQueued(w.Wake)
	s.startWebhooks(ctx)
	s.wg.Add(3)
	go func() {
		defer s.wg.Done()
		if err := w.Run(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("mail worker stopped", "err", err)
		}
		if m != nil {
			m.Close()
		}
	}()
	go func() {
		defer s.wg.Done()
		s.remind(ctx, time.Minute, w.Wake)
	}()
	go func() {
		defer s.wg.Done()
		s.retain(ctx, web.RetentionInterval)
	}()
	return nil
}

// startWebhooks starts the webhook delivery worker beside the mail worker.
func (s *Server) startWebhooks(ctx context.Context) {
	w := webhook.NewWorker(s.db, webhook.NewSender(s.d.Webhooks), s.log)
	if s.cfg.WebhookPoll > 0 {
		w.Poll = s.cfg.WebhookPoll
	}
	if s.cfg.WebhookBackoff > 0 {
		w.MinBackoff, w.MaxBackoff = s.cfg.WebhookBackoff, 4*s.cfg.WebhookBackoff
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := w.Run(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("webhook worker stopped", "err", err)
		}
	}()
}

// Notices returns the renderer of attendee mail.
func (s *Server) Notices() *notice.Renderer {
	return &notice.Renderer{DB: s.db, BaseURL: s.cfg.BaseURL, From: s.cfg.MailFrom, Calendar: s.calOpts, QR: s.d.QRImage, Format: web.FormatRange,
		Wallet: s.cfg.Wallet.Enabled()}
}

// remind queues due reminders every interval until ctx ends.
func (s *Server) remind(ctx context.Context, every time.Duration, wake func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.db.QueueReminders(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("queue reminders", "err", err)
		} else if n > 0 {
			s.log.Info("reminders queued", "count", n)
			wake()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Wait blocks until the workers started by StartWorkers have stopped.
func (s *Server) Wait() { s.wg.Wait() }

// Deps returns the kernel the surfaces are built from, for tests and tools
// that look at its caches.
func (s *Server) Deps() *web.Deps { return s.d }
