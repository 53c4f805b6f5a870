package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"byline/internal/mail"
	"byline/internal/mail/mailpit"
	"byline/internal/news"
	"byline/internal/store/pgstore"
	"byline/internal/store/sqlitestore"
)

// These tests run against a real mail server (mailpit, built by
// scripts/test-mail.sh; BYLINE_TEST_MAILPIT names it).

func openStore(t *testing.T) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSendToRealServer: a Korean notice arrives as composed: subject,
// names, body, Message-ID, one recipient.
func TestSendToRealServer(t *testing.T) {
	mp := mailpit.Start(t)
	msg := mail.Message{From: netmail.Address{Name: "바이라인", Address: "news@byline.example"}, To: netmail.Address{Name: "김지원", Address: "jiwon@example.com"},
		Subject: "댓글이 보류되었습니다", Body: "안녕하세요.\n검토 후 알려 드리겠습니다.\n", MessageID: "<t-1@byline.example>"}
	raw, err := msg.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if err := mail.Send(t.Context(), mail.Config{Addr: mp.SMTP, From: "news@byline.example"}, "news@byline.example", "jiwon@example.com", raw); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, "jiwon@example.com", 10*time.Second)
	if got.Subject != msg.Subject || got.MessageID != "t-1@byline.example" || got.From.Name != "바이라인" || len(got.To) != 1 || got.To[0].Name != "김지원" {
		t.Errorf("received %+v", got.Summary)
	}
	if strings.TrimSpace(strings.ReplaceAll(got.Text, "\r\n", "\n")) != strings.TrimSpace(msg.Body) {
		t.Errorf("text = %q, want %q", got.Text, msg.Body)
	}
}

func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return certFile, keyFile, pool
}

// TestSendStartTLSAuth: against a server that requires STARTTLS and a
// login, the message goes over TLS with AUTH PLAIN; a certificate the
// client does not trust is refused before any password is sent; a wrong
// password is refused by the server.
func TestSendStartTLSAuth(t *testing.T) {
	cert, key, pool := selfSigned(t)
	authFile := filepath.Join(t.TempDir(), "auth")
	os.WriteFile(authFile, []byte("desk:s3cret\n"), 0o600)
	mp := mailpit.Start(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls", "--smtp-auth-file", authFile)
	raw, err := mail.Message{From: netmail.Address{Address: "news@byline.example"}, To: netmail.Address{Address: "tls@example.com"}, Subject: "over TLS", Body: "b"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	cfg := mail.Config{Addr: mp.SMTP, From: "news@byline.example", User: "desk", Password: "s3cret", TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
	if err := mail.Send(t.Context(), cfg, "news@byline.example", "tls@example.com", raw); err != nil {
		t.Fatal(err)
	}
	mp.WaitFor(t, "tls@example.com", 10*time.Second)
	untrusted := cfg
	untrusted.TLS = &tls.Config{ServerName: "127.0.0.1"}
	if err := mail.Send(t.Context(), untrusted, "news@byline.example", "tls@example.com", raw); err == nil || !strings.Contains(err.Error(), "starttls") {
		t.Errorf("untrusted certificate: %v, want a starttls error", err)
	}
	wrong := cfg
	wrong.Password = "guess"
	if err := mail.Send(t.Context(), wrong, "news@byline.example", "tls@example.com", raw); err == nil {
		t.Error("a wrong password was accepted")
	}
	if n := mp.Count(t); n != 1 {
		t.Errorf("%d messages received, want 1", n)
	}
}

// TestOutboxOutage: with the mail server down, queueing works and the
// attempt is kept for a retry; when the server is back, the worker
// delivers the message, once.
func TestOutboxOutage(t *testing.T) {
	st := openStore(t)
	mp := mailpit.Addresses(t) // not started: an outage
	var now atomic.Int64
	now.Store(time.Now().UnixMilli())
	clock := func() time.Time { return time.UnixMilli(now.Load()) }
	box, err := mail.New(mail.Options{Store: st, SMTP: mail.Config{Addr: mp.SMTP, From: "Byline <news@byline.example>", Timeout: 5 * time.Second},
		Now: clock, Backoff: []time.Duration{time.Minute, time.Minute}, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := box.Queue(ctx, mail.Item{Kind: "notice", Ref: "d-1", To: netmail.Address{Name: "Reader", Address: "reader@example.com"},
		Subject: "Your comment was removed", Body: "Decision d-1.", MessageID: box.MessageIDFor("notice-d-1")}); err != nil {
		t.Fatal(err)
	}
	// Queued again (a second server, a retry of the decision): once.
	if err := box.Queue(ctx, mail.Item{Kind: "notice", Ref: "d-1", To: netmail.Address{Address: "reader@example.com"}, Subject: "again", Body: "x",
		MessageID: box.MessageIDFor("notice-d-1")}); err != nil {
		t.Fatal(err)
	}
	if n, err := box.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v; want one attempt", n, err)
	}
	list, err := st.ListMail(ctx, 0, 10)
	if err != nil || len(list) != 1 || list[0].Status != news.MailPending || list[0].Attempts != 1 || list[0].LastError == "" {
		t.Fatalf("after the failed attempt: %+v (%v), want one pending message with its error", list, err)
	}
	if n, _ := box.RunOnce(ctx); n != 0 {
		t.Errorf("the message was tried again before its back-off")
	}
	mp.Restart(t)
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); box.Run(runCtx) }()
	defer func() { cancel(); wg.Wait() }()
	now.Add(int64(time.Minute / time.Millisecond))
	box.Wake()
	got := mp.WaitFor(t, "reader@example.com", 20*time.Second)
	if got.Subject != "Your comment was removed" {
		t.Errorf("subject %q", got.Subject)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, _ = st.ListMail(ctx, 0, 10)
		if len(list) == 1 && list[0].Status == news.MailSent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox after delivery: %+v", list)
		}
		time.Sleep(20 * time.Millisecond) // polling the outbox, with a deadline
	}
	if list[0].Attempts != 2 || list[0].SentAt.IsZero() {
		t.Errorf("sent message = %+v, want 2 attempts and a send time", list[0])
	}
	if n := mp.Count(t); n != 1 {
		t.Errorf("%d messages received, want 1", n)
	}
}

// TestOutboxTwoServers: two workers on one database share the outbox:
// every message is delivered exactly once. On SQLite the two share a
// store; on PostgreSQL each has its own connection pool (as two servers
// do) and they claim with FOR UPDATE SKIP LOCKED.
func TestOutboxTwoServers(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		st := openStore(t)
		twoServers(t, st, st)
	})
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv("BYLINE_TEST_POSTGRES")
		if url == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("BYLINE_TEST_POSTGRES is not set (eval \"$(scripts/pg-test.sh)\")")
			}
			t.Skip("BYLINE_TEST_POSTGRES is not set")
		}
		cfg := freshSchema(t, url)
		a, err := pgstore.OpenConfig(context.Background(), cfg.Copy())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		b, err := pgstore.OpenConfig(context.Background(), cfg.Copy())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		twoServers(t, a, b)
	})
}

// freshSchema is an empty PostgreSQL schema for one test, dropped after.
func freshSchema(t *testing.T, url string) *pgxpool.Config {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "mail_" + hex.EncodeToString(b)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	})
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

func twoServers(t *testing.T, sa, sb news.MailStore) {
	mp := mailpit.Start(t)
	cfg := mail.Config{Addr: mp.SMTP, From: "news@byline.example"}
	a, _ := mail.New(mail.Options{Store: sa, SMTP: cfg, Poll: 20 * time.Millisecond})
	b, _ := mail.New(mail.Options{Store: sb, SMTP: cfg, Poll: 20 * time.Millisecond})
	const total = 16
	for i := range total {
		box := a
		if i%2 == 1 {
			box = b
		}
		if err := box.Queue(t.Context(), mail.Item{Kind: "notice", To: netmail.Address{Address: "r" + strconv.Itoa(i) + "@example.com"}, Subject: "n", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for _, box := range []*mail.Outbox{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); box.Run(ctx) }()
	}
	defer func() { cancel(); wg.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for mp.Count(t) < total && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // polling the API, with a deadline
	}
	seen := map[string]int{}
	for _, m := range mp.Messages(t) {
		seen[m.To[0].Address]++
	}
	if len(seen) != total {
		t.Errorf("%d recipients got mail, want %d", len(seen), total)
	}
	for to, n := range seen {
		if n != 1 {
			t.Errorf("%s got %d messages, want 1", to, n)
		}
	}
}

// TestOutboxPermanentRefusal: a 5xx refusal is not retried.
func TestOutboxPermanentRefusal(t *testing.T) {
	st := openStore(t)
	mp := mailpit.Start(t, "--smtp-allowed-recipients", "@example\\.com$")
	box, _ := mail.New(mail.Options{Store: st, SMTP: mail.Config{Addr: mp.SMTP, From: "news@byline.example"}})
	if err := box.Queue(t.Context(), mail.Item{Kind: "notice", To: netmail.Address{Address: "someone@elsewhere.test"}, Subject: "n", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	box.RunOnce(t.Context())
	list, _ := st.ListMail(t.Context(), 0, 10)
	if len(list) != 1 || list[0].Status != news.MailFailed {
		t.Errorf("after a refusal: %+v, want failed", list)
	}
}
