// Package testutil boots the whole Byline application for tests, the way
// a user runs it: configuration parsed from flags, a real SQLite database
// in a temporary data directory, optionally the demo paper, and the real
// HTTP handler behind a real listener (httptest). Every surface's tests
// (site, newsroom, comments, dictionary, APIs) use it so that they test
// what readers and editors get, middleware and page cache included.
//
//	app := testutil.NewApp(t, testutil.WithDemo())
//	res, doc := app.Get(t, "/section/national/politics")
//	if res.StatusCode != 200 { ... }
//	doc.Find("nav.breadcrumbs li").Each(...)
package testutil

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/config"
	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/sqlitestore"
)

// App is a running Byline server and the parts tests poke at.
type App struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234 (no trailing
	// slash). It is also the configured --base-url, so canonical links
	// point back at the test server.
	URL string
	// Config is the parsed configuration.
	Config *config.Config
	// Store is the real database the server reads.
	Store *sqlitestore.Store
	// Server is the assembled application (Cache(), Notify(), ...).
	Server *server.Server
	// Client talks to the server and does not follow redirects, so tests
	// see 301s and 303s as they are.
	Client *http.Client
	// Now is the time the demo paper was loaded at ("3h ago" articles
	// were published at Now-3h). With WithNow it is also the server's
	// clock.
	Now time.Time
	// DataDir is the --data directory (a t.TempDir).
	DataDir string
}

type options struct {
	demo     bool
	monitor  bool
	now      time.Time
	fixClock bool
	args     []string
	env      map[string]string
	logLevel slog.Level
	dataDir  string
}

// Option changes how NewApp builds the application.
type Option func(*options)

// WithDemo loads the demo paper (sections, authors, 29 articles with
// images and a correction) before the server starts.
func WithDemo() Option { return func(o *options) { o.demo = true } }

// WithDemoMonitor loads the demo paper as `byline demo` does: with a
// year of weekly state-media monitor columns, their running story
// (demo.CampaignStorySlug) and the published tracker /tracker/self-reliance.
func WithDemoMonitor() Option { return func(o *options) { o.demo, o.monitor = true, true } }

// WithNow fixes the server's clock at t (and loads the demo relative to
// it). Without it the server uses the real clock and the demo is loaded
// relative to the moment NewApp runs, so articles a test publishes "now"
// are visible at once.
func WithNow(t time.Time) Option {
	return func(o *options) { o.now, o.fixClock = t, true }
}

// WithArgs adds command-line flags, as `byline serve` would get them,
// e.g. WithArgs("--site-name", "The Test Times").
func WithArgs(args ...string) Option {
	return func(o *options) { o.args = append(o.args, args...) }
}

// WithEnv sets a BYLINE_* environment variable for the configuration.
// The real environment is never read, so a developer's settings cannot
// change test results.
func WithEnv(name, value string) Option {
	return func(o *options) {
		if o.env == nil {
			o.env = map[string]string{}
		}
		o.env[name] = value
	}
}

// WithDataDir serves from dir (e.g. a small file system a test mounted)
// instead of a fresh t.TempDir().
func WithDataDir(dir string) Option { return func(o *options) { o.dataDir = dir } }

// WithLogLevel sets the level from which server log lines are copied to
// the test log (default slog.LevelWarn, so internal errors show up).
func WithLogLevel(l slog.Level) Option { return func(o *options) { o.logLevel = l } }

// NewApp builds and starts the application; everything is torn down when
// the test ends.
func NewApp(t testing.TB, opts ...Option) *App {
	t.Helper()
	o := options{logLevel: slog.LevelWarn}
	for _, f := range opts {
		f(&o)
	}
	if o.now.IsZero() {
		o.now = time.Now().UTC().Truncate(time.Second)
	}
	ctx := context.Background()

	// The listener exists before the configuration so that --base-url
	// can be the test server's own URL.
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	dir := o.dataDir
	if dir == "" {
		dir = t.TempDir()
	}
	args := append([]string{"--data", dir, "--addr", "127.0.0.1:0", "--base-url", base}, o.args...)
	getenv := func(k string) string { return o.env[k] }
	cfg, err := config.Parse("serve", args, getenv, nil)
	if err != nil {
		ts.Close()
		t.Fatalf("testutil: config: %v", err)
	}
	st, err := sqlitestore.Open(ctx, cfg.SQLitePath())
	if err != nil {
		ts.Close()
		t.Fatalf("testutil: open store: %v", err)
	}
	if o.demo {
		if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir(), Now: o.now, Monitor: o.monitor}); err != nil {
			st.Close()
			ts.Close()
			t.Fatalf("testutil: load demo: %v", err)
		}
	}
	lw := &testLogWriter{t: t}
	deps := server.Deps{Config: cfg, Store: st, Logger: slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: o.logLevel}))}
	if o.fixClock {
		now := o.now
		deps.Now = func() time.Time { return now }
	}
	srv, err := server.New(ctx, deps)
	if err != nil {
		st.Close()
		ts.Close()
		t.Fatalf("testutil: server: %v", err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		st.Close()
		lw.stop()
	})
	return &App{
		URL: base, Config: cfg, Store: st, Server: srv, Now: o.now, DataDir: dir,
		Client: &http.Client{
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Get requests path (e.g. "/search?q=chip") and parses the answer as
// HTML. The body has been read; res.Body can be read again from the start.
// A transport error fails the test; any HTTP status is returned.
func (a *App) Get(t testing.TB, path string) (*http.Response, *goquery.Document) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	res, body := a.Do(t, req)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: parse HTML: %v", path, err)
	}
	return res, doc
}

// Do sends req (a relative URL such as "/healthz" is resolved against the
// app) and returns the response with its whole body. res.Body can be read
// again from the start.
func (a *App) Do(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	if req.URL.Host == "" {
		u, err := req.URL.Parse(a.URL + req.URL.RequestURI())
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
		req.URL, req.Host = u, u.Host
	}
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.RequestURI(), err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.RequestURI(), err)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, body
}

// Notify tells the server that content changed, as the newsroom does
// after publishing (the page cache is purged).
func (a *App) Notify(c news.Change) { a.Server.Notify(context.Background(), c) }

// DemoArticle returns the stored demo article with the given slug.
func (a *App) DemoArticle(t testing.TB, slug string) news.Article {
	t.Helper()
	ctx := context.Background()
	list, err := a.Store.ListArticles(ctx, news.ArticleQuery{Limit: 1000, Now: a.Now.Add(time.Hour)})
	if err != nil {
		t.Fatalf("list articles: %v", err)
	}
	for _, x := range list.Articles {
		if x.Slug == slug {
			full, err := a.Store.ArticleByID(ctx, x.ID)
			if err != nil {
				t.Fatalf("article %d: %v", x.ID, err)
			}
			return full
		}
	}
	t.Fatalf("no demo article with slug %q (did you use WithDemo?)", slug)
	return news.Article{}
}

// testLogWriter copies server log lines into the test log until the test
// ends (t.Log after the end would panic).
type testLogWriter struct {
	t    testing.TB
	mu   sync.Mutex
	done bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log("server: " + strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testLogWriter) stop() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}
