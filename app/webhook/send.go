package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"salon/storage"
)

// AttemptTimeout bounds one delivery attempt: connecting, sending and the
// receiver's answer.
const AttemptTimeout = 10 * time.Second

// Sender posts signed deliveries through the Guard.
type Sender struct {
	secure, plain *http.Client
	// UserAgent names the sender to receivers.
	UserAgent string
}

// NewSender makes a Sender whose every connection is checked by g.
func NewSender(g *Guard) *Sender {
	return &Sender{secure: g.client(false), plain: g.client(true), UserAgent: "salon-webhooks"}
}

// client is an http.Client that never follows redirects (a receiver could
// send us on to an internal address), uses no proxy from the environment
// (which would connect for us, past the check), and checks each resolved
// address before connecting.
func (g *Guard) client(plain bool) *http.Client {
	d := &net.Dialer{Timeout: AttemptTimeout, Control: g.control(plain)}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   AttemptTimeout,
		ResponseHeaderTimeout: AttemptTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, Timeout: AttemptTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Sign returns the webhook-signature header of body, sent as id at ts,
// under secret ("whsec_…"): v1,<base64 HMAC-SHA256 of "id.ts.body">.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return "", fmt.Errorf("webhook: bad secret: %w", err)
	}
	return wh.Sign(id, ts, body)
}

// Send posts d once, signed at now, and returns the receiver's status
// code (0 when it gave none). err is nil only for a 2xx answer.
func (s *Sender) Send(ctx context.Context, d *storage.Delivery, now time.Time) (int, error) {
	u, err := url.Parse(d.URL)
	if err != nil {
		return 0, fmt.Errorf("the address does not parse")
	}
	client := s.secure
	switch u.Scheme {
	case "https":
	case "http":
		client = s.plain
	default:
		return 0, fmt.Errorf("the address is not http(s)")
	}
	sig, err := Sign(d.Secret, d.EventID, now, d.Body)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, fmt.Errorf("the request could not be made")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.UserAgent)
	req.Header.Set(standardwebhooks.HeaderWebhookID, d.EventID)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	// Drained a little so the connection can be reused; the answer's body
	// means nothing to us.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, nil
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return resp.StatusCode, fmt.Errorf("answered %s; redirects are not followed", resp.Status)
	}
	return resp.StatusCode, fmt.Errorf("answered %s", resp.Status)
}
