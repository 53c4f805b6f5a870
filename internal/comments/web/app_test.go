package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/config"
	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/sqlitestore"
	"byline/internal/testutil"
)

// newApp boots the real application with the demo paper and
// --dev-login, after saving comment settings (the service reads them at
// start). It returns a testutil.App so helpers work on it.
func newApp(t testing.TB, settings func(*news.CommentSettings), args ...string) *testutil.App {
	t.Helper()
	ctx := context.Background()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", append([]string{"--data", dir, "--addr", "127.0.0.1:0", "--base-url", base, "--dev-login"}, args...),
		func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir()}); err != nil {
		t.Fatal(err)
	}
	if settings != nil {
		s, err := st.CommentSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		settings(&s)
		if err := st.SaveCommentSettings(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close(); st.Close() })
	return &testutil.App{URL: base, Config: cfg, Store: st, Server: srv, DataDir: dir, Now: time.Now(),
		Client: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page fetches a page anonymously.
func page(t testing.TB, app *testutil.App, path string) (*http.Response, *goquery.Document) {
	t.Helper()
	return app.Get(t, path)
}

// testWriter sends error logs to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
