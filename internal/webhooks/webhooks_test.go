package webhooks

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/editorial"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

var ctx = context.Background()

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// receiver verifies every signature and fails the first `fail` requests.
type receiver struct {
	mu       sync.Mutex
	secret   string
	fail     int
	got      []Payload
	attempts int
	bad      []string
	clk      *clock
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	rc.attempts++
	if !Verify(rc.secret, r.Header.Get("X-Byline-Timestamp"), r.Header.Get("X-Byline-Signature"), body, rc.clk.Now(), 5*time.Minute) {
		rc.bad = append(rc.bad, r.Header.Get("X-Byline-Signature"))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if rc.attempts <= rc.fail {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil || r.Header.Get("X-Byline-Event") != p.Event {
		rc.bad = append(rc.bad, "payload")
	}
	rc.got = append(rc.got, p)
	w.WriteHeader(http.StatusNoContent)
}

func setup(t *testing.T, allowPrivate bool) (*Service, *sqlitestore.Store, *clock) {
	t.Helper()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	return New(Options{Store: st, BaseURL: "https://paper.example", Now: clk.Now, AllowPrivate: allowPrivate}), st, clk
}

func event(typ string) editorial.Event {
	return editorial.Event{Type: typ, At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Article: news.Article{ID: 42, Slug: "harbour-wall", Headline: "Harbour wall",
		Status: news.StatusPublished, Section: news.Section{Path: "national"}, PublishedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}}
}

func TestDeliveryRetriesWithBackoff(t *testing.T) {
	svc, st, clk := setup(t, true)
	rc := &receiver{secret: "a-shared-secret-of-some-length", fail: 2, clk: clk}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	if _, err := svc.Add(ctx, srv.URL+"/hook", rc.secret); err != nil {
		t.Fatal(err)
	}
	svc.ArticleEvent(ctx, event(editorial.EventPublish))

	n, err := svc.RunOnce(ctx)
	if err != nil || n != 1 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	log, _ := st.ListDeliveries(ctx, 0, 10)
	if log[0].Status != news.DeliveryPending || log[0].Attempts != 1 || log[0].ResponseCode != 500 || !log[0].NextAttemptAt.Equal(clk.Now().Add(time.Minute)) {
		t.Fatalf("after a failure: %+v", log[0])
	}
	// Not due yet: nothing is sent.
	clk.Add(59 * time.Second)
	if n, _ := svc.RunOnce(ctx); n != 0 {
		t.Fatalf("retried before the back-off: %d", n)
	}
	clk.Add(time.Second)
	svc.RunOnce(ctx)
	log, _ = st.ListDeliveries(ctx, 0, 10)
	if log[0].Attempts != 2 || !log[0].NextAttemptAt.Equal(clk.Now().Add(5*time.Minute)) {
		t.Fatalf("second failure: %+v", log[0])
	}
	clk.Add(5 * time.Minute)
	svc.RunOnce(ctx)
	log, _ = st.ListDeliveries(ctx, 0, 10)
	if log[0].Status != news.DeliveryDelivered || log[0].Attempts != 3 || log[0].ResponseCode != 204 {
		t.Fatalf("third attempt: %+v", log[0])
	}
	if len(rc.bad) != 0 || len(rc.got) != 1 {
		t.Fatalf("receiver: bad %v, got %d", rc.bad, len(rc.got))
	}
	p := rc.got[0]
	if p.Event != "publish" || p.Article.ID != 42 || p.Article.URL != "https://paper.example/article/42/harbour-wall" || p.Article.API != "https://paper.example/api/v1/articles/42" {
		t.Errorf("payload %+v", p)
	}
	clk.Add(24 * time.Hour)
	if n, _ := svc.RunOnce(ctx); n != 0 {
		t.Errorf("a delivered event was sent again")
	}
}

func TestDeliveryGivesUp(t *testing.T) {
	svc, st, clk := setup(t, true)
	rc := &receiver{secret: "a-shared-secret-of-some-length", fail: 100, clk: clk}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	svc.Add(ctx, srv.URL, rc.secret)
	svc.ArticleEvent(ctx, event(editorial.EventUnpublish))
	for i := 0; i < 10; i++ {
		svc.RunOnce(ctx)
		clk.Add(7 * time.Hour)
	}
	log, _ := st.ListDeliveries(ctx, 0, 10)
	if log[0].Status != news.DeliveryFailed || log[0].Attempts != len(DefaultBackoff)+1 {
		t.Errorf("after every retry: %+v", log[0])
	}
	if rc.attempts != len(DefaultBackoff)+1 {
		t.Errorf("receiver saw %d attempts", rc.attempts)
	}
}

func TestWrongSecretFailsVerification(t *testing.T) {
	svc, st, clk := setup(t, true)
	rc := &receiver{secret: "the-receivers-own-secret", clk: clk}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	svc.Add(ctx, srv.URL, "a-different-secret-entirely")
	svc.ArticleEvent(ctx, event(editorial.EventUpdate))
	svc.RunOnce(ctx)
	log, _ := st.ListDeliveries(ctx, 0, 10)
	if len(rc.bad) != 1 || log[0].ResponseCode != 401 || log[0].Status != news.DeliveryPending {
		t.Errorf("bad %v log %+v", rc.bad, log[0])
	}
}

func TestPrivateAddressesRefused(t *testing.T) {
	svc, st, clk := setup(t, false)
	rc := &receiver{secret: "a-shared-secret-of-some-length", clk: clk}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	svc.Add(ctx, srv.URL, rc.secret)                                   // 127.0.0.1
	svc.Add(ctx, "http://localhost:1/x", rc.secret)                    // a name for loopback
	svc.Add(ctx, "http://169.254.169.254/latest/meta-data", rc.secret) // cloud metadata
	svc.ArticleEvent(ctx, event(editorial.EventPublish))
	svc.RunOnce(ctx)
	log, _ := st.ListDeliveries(ctx, 0, 10)
	if len(log) != 3 {
		t.Fatalf("%d deliveries", len(log))
	}
	for _, d := range log {
		if !strings.Contains(d.LastError, "private, loopback or link-local") || d.ResponseCode != 0 {
			t.Errorf("%s: %q (code %d), want a refusal", d.URL, d.LastError, d.ResponseCode)
		}
	}
	if rc.attempts != 0 {
		t.Errorf("the internal receiver was reached %d times", rc.attempts)
	}
}

func TestRedirectsNotFollowed(t *testing.T) {
	svc, st, clk := setup(t, true)
	rc := &receiver{secret: "a-shared-secret-of-some-length", clk: clk}
	target := httptest.NewServer(rc)
	defer target.Close()
	redir := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer redir.Close()
	svc.Add(ctx, redir.URL, rc.secret)
	svc.ArticleEvent(ctx, event(editorial.EventPublish))
	svc.RunOnce(ctx)
	log, _ := st.ListDeliveries(ctx, 0, 10)
	if rc.attempts != 0 || log[0].ResponseCode != 307 || log[0].Status != news.DeliveryPending {
		t.Errorf("redirect: receiver %d, log %+v", rc.attempts, log[0])
	}
}

func TestValidateURL(t *testing.T) {
	for _, bad := range []string{"", "ftp://x.example/", "file:///etc/passwd", "gopher://x", "javascript:alert(1)", "/relative", "http://", "https://user:pw@x.example/",
		"http://x.example/#frag", "https://x.example/" + strings.Repeat("a", 2001)} {
		if _, err := ValidateURL(bad); news.KindOf(err) != news.KindInvalid {
			t.Errorf("ValidateURL(%q) = %v, want invalid", bad, err)
		}
	}
	for _, good := range []string{"https://hooks.example.com/byline", "http://10.0.0.5:8080/in"} {
		if _, err := ValidateURL(good); err != nil {
			t.Errorf("ValidateURL(%q) = %v", good, err)
		}
	}
	svc, _, _ := setup(t, true)
	if _, err := svc.Add(ctx, "https://x.example/", "short"); news.KindOf(err) != news.KindInvalid {
		t.Errorf("short secret: %v", err)
	}
	h, err := svc.Add(ctx, "https://x.example/", "")
	if err != nil || !strings.HasPrefix(h.Secret, "whsec_") {
		t.Errorf("generated secret: %+v %v", h, err)
	}
}

func TestSignature(t *testing.T) {
	body := []byte(`{"event":"publish"}`)
	sig := Sign("secret", 1700000000, body)
	// Computed independently: printf '1700000000.{"event":"publish"}' | openssl dgst -sha256 -hmac secret
	if want := "sha256=7260ed341a49d9d84fe51d5d74497c41a2bf5ccfad573a67aecd1ee10381b746"; sig != want {
		t.Fatalf("signature %q, want %q", sig, want)
	}
	now := time.Unix(1700000000, 0)
	if !Verify("secret", "1700000000", sig, body, now, time.Minute) {
		t.Error("own signature does not verify")
	}
	if Verify("secret", "1700000000", sig, []byte(`{"event":"unpublish"}`), now, time.Minute) {
		t.Error("changed body verifies")
	}
	if Verify("secret", "1700000000", sig, body, now.Add(time.Hour), time.Minute) {
		t.Error("old timestamp verifies (replay)")
	}
}
