package newsroom_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/auth"
	"byline/internal/config"
	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
)

var ctx = context.Background()

const password = "correct horse battery"

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

// harness is the whole server on a real listener, with a clock tests move.
type harness struct {
	URL string
	st  *sqlitestore.Store
	srv *server.Server
	clk *clock
	fix storetest.Fixture
}

func newHarness(t *testing.T, args ...string) *harness {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", append([]string{"--data", dir, "--base-url", base, "--timezone", "UTC"}, args...), func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{URL: base, st: st, clk: &clock{t: time.Now().UTC().Truncate(time.Millisecond)}}
	h.fix = storetest.Seed(t, st)
	h.srv, err = server.New(ctx, server.Deps{Config: cfg, Store: st, Now: h.clk.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h.srv.Handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); h.srv.Close(); st.Close() })
	return h
}

func (h *harness) user(t *testing.T, email string, role news.Role) news.StaffUser {
	t.Helper()
	u, err := auth.CreateUser(ctx, h.st, email, "User "+strings.Split(email, "@")[0], role, password)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// browser is one person's cookie jar.
type staffClient struct {
	h    *harness
	c    *http.Client
	csrf string
}

func (h *harness) client() *staffClient {
	jar, _ := cookiejar.New(nil)
	return &staffClient{h: h, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *staffClient) do(t *testing.T, req *http.Request) (*http.Response, *goquery.Document) {
	t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := doc.Find(`input[name=csrf]`).First().Attr("value"); ok && v != "" {
		b.csrf = v
	}
	return res, doc
}

func (b *staffClient) get(t *testing.T, path string) (*http.Response, *goquery.Document) {
	t.Helper()
	req, _ := http.NewRequest("GET", b.h.URL+path, nil)
	return b.do(t, req)
}

// post sends a form the way a browser does from our own page: same
// origin, with the session's CSRF token.
func (b *staffClient) post(t *testing.T, path string, form url.Values) (*http.Response, *goquery.Document) {
	t.Helper()
	if form.Get("csrf") == "" && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.h.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(t, req)
}

func (b *staffClient) login(t *testing.T, email, pw string) *http.Response {
	t.Helper()
	res, _ := b.post(t, "/admin/login", url.Values{"email": {email}, "password": {pw}})
	if res.StatusCode == http.StatusSeeOther {
		b.get(t, "/admin/") // picks up the session's CSRF token
	}
	return res
}

func (h *harness) signedIn(t *testing.T, email string, role news.Role) (*staffClient, news.StaffUser) {
	t.Helper()
	u := h.user(t, email, role)
	b := h.client()
	if res := b.login(t, email, password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d, want 303", email, res.StatusCode)
	}
	return b, u
}

// articleForm is a complete editor form.
func (h *harness) articleForm(headline, body string) url.Values {
	return url.Values{"headline": {headline}, "body": {body}, "section_id": {itoa(h.fix.Politics.ID)},
		"authors": {itoa(h.fix.Kim.ID)}, "tags": {"budget, assembly"}, "action": {"save"}}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (h *harness) lastArticle(t *testing.T) news.Article {
	t.Helper()
	n, err := h.st.CountArticles(ctx)
	if err != nil || n == 0 {
		t.Fatalf("no articles (%v)", err)
	}
	a, err := h.st.ArticleByID(ctx, int64(n))
	if err != nil {
		t.Fatal(err)
	}
	return a
}
