// Package webhooks tells outside systems of publish, update and unpublish
// events. Events are queued in the database (so a restart, or another
// server, carries on), sent as JSON signed with HMAC-SHA256, and retried
// with growing back-off by a worker that leases rows atomically.
package webhooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"byline/internal/editorial"
	"byline/internal/lease"
	"byline/internal/news"
)

// DefaultBackoff is the wait before each retry; after the last one the
// delivery is marked failed.
var DefaultBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// Options configure the service.
type Options struct {
	Store   news.WebhookStore
	BaseURL string // makes article URLs absolute
	Now     func() time.Time
	Logger  *slog.Logger
	Backoff []time.Duration
	// Timeout of one delivery attempt.
	Timeout time.Duration
	// AllowPrivate permits endpoints on loopback, private and link-local
	// addresses. Off by default, so that the newsroom cannot be used to
	// probe the internal network; tests and intranet set-ups turn it on.
	AllowPrivate bool
	// Lease is how long a claimed delivery is reserved for one worker.
	Lease time.Duration
	// Poll is how often the worker looks for due deliveries when nothing
	// wakes it.
	Poll time.Duration
	// Keep is how long finished deliveries stay in the log (default 30 days).
	Keep time.Duration
}

// Service queues events and delivers them.
type Service struct {
	o      Options
	client *http.Client
	loop   *lease.Worker
}

// New builds the service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Lease == 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Poll == 0 {
		o.Poll = 15 * time.Second
	}
	if o.Keep == 0 {
		o.Keep = 30 * 24 * time.Hour
	}
	s := &Service{o: o}
	s.loop = &lease.Worker{What: "webhooks", Poll: o.Poll, Now: o.Now, Logger: o.Logger, RunOnce: s.RunOnce,
		Prune: func(ctx context.Context, now time.Time) error {
			_, err := o.Store.PruneDeliveries(ctx, now.Add(-o.Keep))
			return err
		}}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: s.checkAddress}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: o.Timeout,
		MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second, Proxy: nil}
	s.client = &http.Client{Transport: tr, Timeout: o.Timeout,
		// A redirect could lead anywhere; receivers must answer directly.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return s
}

var errPrivate = errors.New("the endpoint resolves to a private, loopback or link-local address, which webhooks may not reach")

// checkAddress runs after DNS resolution, on the address actually
// dialled, so a name that resolves to 127.0.0.1 is refused as well.
func (s *Service) checkAddress(network, address string, _ syscall.RawConn) error {
	if s.o.AllowPrivate {
		return nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() {
		return errPrivate
	}
	return nil
}

// ValidateURL checks an endpoint: absolute http(s), a host, no
// credentials, at most 2000 bytes.
func ValidateURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case raw == "" || err != nil:
		return "", news.Invalid("url", "the endpoint must be an absolute http:// or https:// URL")
	case len(raw) > 2000:
		return "", news.Invalid("url", "the endpoint URL is longer than 2000 bytes")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", news.Invalid("url", "only http:// and https:// endpoints are allowed (not %q)", u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return "", news.Invalid("url", "the endpoint URL has no host")
	case u.User != nil:
		return "", news.Invalid("url", "put credentials in the secret, not in the URL")
	case u.Fragment != "":
		return "", news.Invalid("url", "the endpoint URL may not have a #fragment")
	}
	return u.String(), nil
}

// NewSecret makes a random signing secret.
func NewSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + hex.EncodeToString(b[:])
}

// Add validates and stores an endpoint; an empty secret gets a random one.
func (s *Service) Add(ctx context.Context, rawURL, secret string) (news.Webhook, error) {
	u, err := ValidateURL(rawURL)
	if err != nil {
		return news.Webhook{}, err
	}
	secret = strings.TrimSpace(secret)
	if secret == "" {
		secret = NewSecret()
	}
	if len(secret) < 16 || len(secret) > 200 {
		return news.Webhook{}, news.Invalid("secret", "the secret must be 16 to 200 characters (leave it empty for a random one)")
	}
	h := news.Webhook{URL: u, Secret: secret, Active: true, CreatedAt: s.o.Now().UTC()}
	return h, s.o.Store.CreateWebhook(ctx, &h)
}

// Sign is the signature header value for a body sent at timestamp ts
// (Unix seconds): "sha256=" + hex(HMAC-SHA256(secret, ts + "." + body)).
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature as a receiver should: constant-time compare,
// and a timestamp no older than maxAge (against replays).
func Verify(secret string, tsHeader, sigHeader string, body []byte, now time.Time, maxAge time.Duration) bool {
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxAge || d < -maxAge {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sigHeader))
}

// Payload is the JSON body of every delivery.
type Payload struct {
	Event   string         `json:"event"`
	At      time.Time      `json:"at"`
	Article PayloadArticle `json:"article"`
}

// PayloadArticle is the article an event is about.
type PayloadArticle struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Headline    string    `json:"headline"`
	Section     string    `json:"section"`
	Status      string    `json:"status"`
	PublishedAt time.Time `json:"published_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	API         string    `json:"api"` // Content API URL of the article
}

// ArticleEvent queues an event for every active endpoint (it is the
// editorial.Listener the server registers) and wakes the worker.
func (s *Service) ArticleEvent(ctx context.Context, ev editorial.Event) {
	base := strings.TrimRight(s.o.BaseURL, "/")
	p := Payload{Event: ev.Type, At: ev.At.UTC(), Article: PayloadArticle{ID: ev.Article.ID, URL: base + ev.Article.URL(), Headline: ev.Article.Headline,
		Section: ev.Article.Section.Path, Status: string(ev.Article.Status), PublishedAt: ev.Article.PublishedAt, UpdatedAt: ev.Article.LastModified(),
		API: base + "/api/v1/articles/" + strconv.FormatInt(ev.Article.ID, 10)}}
	body, err := json.Marshal(p)
	if err != nil {
		s.o.Logger.ErrorContext(ctx, "webhooks: encode", "err", err)
		return
	}
	n, err := s.o.Store.EnqueueDeliveries(context.WithoutCancel(ctx), ev.Type, body, s.o.Now().UTC())
	if err != nil {
		s.o.Logger.ErrorContext(ctx, "webhooks: enqueue", "event", ev.Type, "article", ev.Article.ID, "err", err)
		return
	}
	if n > 0 {
		s.Wake()
	}
}

var _ editorial.Listener = (*Service)(nil)

// Wake makes the worker look for due deliveries now.
func (s *Service) Wake() { s.loop.Wake() }

// Run delivers until ctx ends: at start (deliveries left by a stopped
// server), when woken, when this server's earliest retry is due (the
// documented backoff, to the second), and every Poll for the deliveries
// of others.
func (s *Service) Run(ctx context.Context) { s.loop.Run(ctx) }

// RunOnce claims the due deliveries and attempts them (at the same time,
// so one slow endpoint does not hold up the others); it returns how many
// it attempted.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	due, err := s.o.Store.ClaimDeliveries(ctx, s.o.Now().UTC(), s.o.Lease, 10)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for i := range due {
		wg.Add(1)
		go func(d *news.WebhookDelivery) {
			defer wg.Done()
			s.attempt(ctx, d)
		}(&due[i])
	}
	wg.Wait()
	var errs []error
	for i := range due {
		errs = append(errs, s.o.Store.FinishAttempt(context.WithoutCancel(ctx), &due[i]))
		if d := due[i]; d.Status == news.DeliveryPending {
			s.loop.Retry(d.NextAttemptAt)
		}
	}
	return len(due), errors.Join(errs...)
}

// attempt sends one delivery and sets its outcome and next attempt.
func (s *Service) attempt(ctx context.Context, d *news.WebhookDelivery) {
	now := s.o.Now().UTC()
	d.Attempts++
	d.LastAttemptAt = now
	d.ResponseCode = 0
	d.LastError = ""
	code, err := s.send(ctx, d, now)
	d.ResponseCode = code
	if err == nil && code >= 200 && code < 300 {
		d.Status = news.DeliveryDelivered
		return
	}
	if err != nil {
		d.LastError = err.Error()
	} else {
		d.LastError = fmt.Sprintf("the endpoint answered %d", code)
	}
	if d.Attempts > len(s.o.Backoff) {
		d.Status = news.DeliveryFailed
		s.o.Logger.WarnContext(ctx, "webhooks: giving up", "delivery", d.ID, "url", d.URL, "attempts", d.Attempts, "err", d.LastError)
		return
	}
	d.Status = news.DeliveryPending
	d.NextAttemptAt = now.Add(s.o.Backoff[d.Attempts-1])
}

func (s *Service) send(ctx context.Context, d *news.WebhookDelivery, now time.Time) (int, error) {
	if _, err := ValidateURL(d.URL); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Byline-Webhooks/1")
	req.Header.Set("X-Byline-Event", d.Event)
	req.Header.Set("X-Byline-Delivery", strconv.FormatInt(d.ID, 10))
	req.Header.Set("X-Byline-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Byline-Signature", Sign(d.Secret, ts, d.Payload))
	res, err := s.client.Do(req)
	if err != nil {
		if errors.Is(err, errPrivate) {
			return 0, errPrivate
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			return 0, ue.Err
		}
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, nil
}

// Store is the webhook store (the admin page lists endpoints and
// deliveries from it).
func (s *Service) Store() news.WebhookStore { return s.o.Store }
