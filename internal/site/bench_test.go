package site_test

// Benchmarks of the reader pages through the whole handler (middleware,
// page cache, rendering), in-process with no network. Run them with
//
//	go test ./internal/site/ -run '^$' -bench . -benchmem
//
// The archive (the demo paper plus BYLINE_BENCH_ARTICLES generated
// articles, default 20,000) is generated once, which takes about a
// minute, and kept in $TMPDIR/byline-bench-N for later runs.

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"byline/internal/config"
	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/sqlitestore"
)

type benchApp struct {
	srv     *server.Server
	handler http.Handler
	article string // path of a demo article with an image and a correction
}

// archive returns the data directory of a generated archive, making it on
// first use.
func archive(b *testing.B) (dir string, articles int) {
	b.Helper()
	n := 20_000
	if v := os.Getenv("BYLINE_BENCH_ARTICLES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			b.Fatalf("BYLINE_BENCH_ARTICLES=%q is not a count", v)
		}
	}
	dir = filepath.Join(os.TempDir(), "byline-bench-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "byline.db")); err == nil {
		return dir, n
	}
	// Build in a scratch directory and rename, so an interrupted run
	// never leaves half an archive to be reused.
	tmp, err := os.MkdirTemp(os.TempDir(), "byline-bench-tmp-")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(tmp, "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	// A fixed "now" keeps the archive the same from run to run.
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, st, demo.Options{MediaDir: filepath.Join(tmp, "media"), Now: now}); err != nil {
		b.Fatal(err)
	}
	if err := demo.Generate(ctx, st, n, 1, now, 5*365*24*time.Hour, nil); err != nil {
		b.Fatal(err)
	}
	st.Close()
	b.Logf("generated %d articles in %s", n, time.Since(start).Round(time.Millisecond))
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir, n
}

func newBenchApp(b *testing.B) *benchApp {
	b.Helper()
	dir, _ := archive(b)
	ctx := context.Background()
	cfg, err := config.Parse("serve", []string{"--data", dir, "--base-url", "http://bench.example"}, func(string) string { return "" }, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, cfg.SQLitePath())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	list, err := st.ListArticles(ctx, news.ArticleQuery{Limit: 200, Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	app := &benchApp{srv: srv, handler: srv.Handler()}
	for _, a := range list.Articles {
		if a.Slug == "daeyang-lng-carrier-orders" {
			app.article = a.URL()
		}
	}
	if app.article == "" {
		b.Fatal("the demo article daeyang-lng-carrier-orders is not among the newest")
	}
	return app
}

// get serves one request and fails on any status but 200.
func (a *benchApp) get(b *testing.B, path string, gzip bool) int {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	w := httptest.NewRecorder()
	a.handler.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("GET %s: status %d", path, w.Code)
	}
	return w.Body.Len()
}

func benchUncached(b *testing.B, path string) {
	app := newBenchApp(b)
	if path == "" {
		path = app.article
	}
	n := app.get(b, path, false)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		app.srv.Cache().PurgeAll()
		app.get(b, path, true)
	}
}

// An article page rendered from the database (cache miss): load, Markdown,
// template, gzip.
func BenchmarkArticleUncached(b *testing.B) { benchUncached(b, "") }

// The front page rendered from the database: top stories, latest and a
// block per section.
func BenchmarkHomeUncached(b *testing.B) { benchUncached(b, "/") }

// A section front over its subtree.
func BenchmarkSectionUncached(b *testing.B) { benchUncached(b, "/section/business") }

// A cached article page: what almost every reader gets.
func BenchmarkArticleCached(b *testing.B) {
	app := newBenchApp(b)
	n := app.get(b, app.article, true)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	hits := app.srv.Cache().Hits.Load()
	b.ResetTimer()
	for b.Loop() {
		app.get(b, app.article, true)
	}
	b.StopTimer()
	if app.srv.Cache().Hits.Load() == hits {
		b.Fatal("no cache hits: the benchmark measured rendering")
	}
}

// Cached article pages served from all CPUs at once.
func BenchmarkArticleCachedParallel(b *testing.B) {
	app := newBenchApp(b)
	app.get(b, app.article, true)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			app.get(b, app.article, true)
		}
	})
}

// Search over the archive: full-text match, ranking, snippets, count and
// the results page, for common and rare words and with filters.
func BenchmarkSearch(b *testing.B) {
	app := newBenchApp(b)
	for _, q := range []struct{ name, path string }{
		{"rare", "/search?q=shipbuilder"},
		{"common", "/search?q=housing"},
		{"two-words", "/search?q=chip+exports"},
		{"three-words", "/search?q=national+assembly+vote"},
		{"stopword", "/search?q=the"},
		{"section", "/search?q=kimchi&section=opinion"},
		{"dates", "/search?q=bank+rate&from=2025-01-01"},
	} {
		b.Run(q.name, func(b *testing.B) {
			app.get(b, q.path, true)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				app.get(b, q.path, true)
			}
		})
	}
}
