package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"byline/internal/config"
	"byline/internal/news"
	"byline/internal/pagecache"
	"byline/internal/respond"
	"byline/internal/store/sqlitestore"
)

func newTestServer(t *testing.T, logs io.Writer) *Server {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", []string{"--data", dir}, func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(context.Background(), cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if logs == nil {
		logs = io.Discard
	}
	srv, err := New(context.Background(), Deps{Config: cfg, Store: st, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }), mw("a"), mw("b"), mw("c"))
	serve(h, httptest.NewRequest("GET", "/", nil))
	if got := strings.Join(order, ","); got != "a,b,c,handler" {
		t.Errorf("order = %s, want a,b,c,handler", got)
	}
}

func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	h := recoverPanics(slog.New(slog.NewTextHandler(&logs, nil)))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	w := serve(h, httptest.NewRequest("GET", "/x", nil))
	if w.Code != 500 {
		t.Errorf("status %d, want 500", w.Code)
	}
	if strings.Contains(w.Body.String(), "boom") {
		t.Error("the panic value reached the reader")
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "stack") {
		t.Errorf("log lacks the panic and stack: %s", logs.String())
	}
}

func TestLogRequests(t *testing.T) {
	var logs bytes.Buffer
	var route string
	var status int
	mux := http.NewServeMux()
	mux.HandleFunc("GET /article/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201); io.WriteString(w, "hello") })
	h := logRequests(slog.New(slog.NewJSONHandler(&logs, nil)), func(r string, s int, _ time.Duration) { route, status = r, s })(mux)
	serve(h, httptest.NewRequest("GET", "/article/7", nil))
	line := logs.String()
	for _, want := range []string{`"msg":"request"`, `"route":"GET /article/{id}"`, `"status":201`, `"bytes":5`, `"path":"/article/7"`, `"duration"`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %s: %s", want, line)
		}
	}
	if route != "GET /article/{id}" || status != 201 {
		t.Errorf("observed %q %d", route, status)
	}
	logs.Reset()
	serve(h, httptest.NewRequest("GET", "/elsewhere", nil))
	if !strings.Contains(logs.String(), `"route":"unmatched"`) || !strings.Contains(logs.String(), `"status":404`) {
		t.Errorf("unmatched request logged as %s", logs.String())
	}
}

// TestInternalErrorsUseConfiguredLogger: an API handler's internal
// error is logged through the server's logger (JSON with --log-format
// json), not Go's default logger as before.
func TestInternalErrorsUseConfiguredLogger(t *testing.T) {
	var logs bytes.Buffer
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/x", func(w http.ResponseWriter, r *http.Request) { respond.Error(w, r, errors.New("boom")) })
	h := logRequests(slog.New(slog.NewJSONHandler(&logs, nil)), nil)(mux)
	serve(h, httptest.NewRequest("GET", "/api/x", nil))
	if !strings.Contains(logs.String(), `{"time":`) || !strings.Contains(logs.String(), `"msg":"internal error"`) || !strings.Contains(logs.String(), `"err":"boom"`) {
		t.Errorf("configured JSON logger lacks the internal error:\n%s", logs.String())
	}
}

func TestLimitBody(t *testing.T) {
	var read int
	var readErr error
	refuse := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
	})
	h := limitBody(1000, refuse)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		read, readErr = len(b), err
	}))
	w := serve(h, httptest.NewRequest("POST", "/x", strings.NewReader(strings.Repeat("a", 5000))))
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("declared 5000 bytes: status %d, want 413", w.Code)
	}
	// No length declared: the reader stops at the limit.
	r := httptest.NewRequest("POST", "/x", io.MultiReader(strings.NewReader(strings.Repeat("a", 5000))))
	r.ContentLength = -1
	serve(h, r)
	if readErr == nil || read > 1000 {
		t.Errorf("chunked 5000 bytes: read %d, err %v; want an error at 1000", read, readErr)
	}
	// A route with a larger limit passes the body on.
	big := limitBody(10000, refuse)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		read, readErr = len(b), err
	}))
	w = serve(big, httptest.NewRequest("POST", "/admin/media", strings.NewReader(strings.Repeat("a", 5000))))
	if w.Code != 200 || read != 5000 || readErr != nil {
		t.Errorf("route with a 10000-byte limit: status %d, read %d, err %v; want the body passed on", w.Code, read, readErr)
	}
}

func TestSecurityHeadersMiddleware(t *testing.T) {
	h := securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "x", http.StatusTeapot) }))
	w := serve(h, httptest.NewRequest("GET", "/", nil))
	for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if w.Header().Get(k) == "" {
			t.Errorf("no %s", k)
		}
	}
}

func TestNotifyPurges(t *testing.T) {
	srv := newTestServer(t, nil)
	c := srv.Cache()
	put := func(keys ...string) {
		for _, k := range keys {
			c.Put(k, c.Generation(), pagecache.NewEntry(200, http.Header{}, []byte(k)))
		}
	}
	has := func(k string) bool { _, ok := c.Get(k); return ok }

	put("/", "/article/5/a", "/article/5/a/print", "/article/50/b")
	srv.Notify(context.Background(), news.Change{Kind: news.ChangeComments, ArticleID: 5})
	if has("/article/5/a") || has("/article/5/a/print") {
		t.Error("a comment change kept the article's pages")
	}
	if !has("/") || !has("/article/50/b") {
		t.Error("a comment change on article 5 dropped other pages")
	}
	for _, kind := range []news.ChangeKind{news.ChangeContent, news.ChangeSections, news.ChangeSettings} {
		put("/", "/article/50/b")
		srv.Notify(context.Background(), news.Change{Kind: kind})
		if c.Len() != 0 {
			t.Errorf("%s change left %d pages", kind, c.Len())
		}
	}
}

func TestServerRoutes(t *testing.T) {
	var logs bytes.Buffer
	srv := newTestServer(t, &logs)
	h := srv.Handler()
	for _, tc := range []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/healthz", 200, "text/plain"},
		{"GET", "/readyz", 200, "text/plain"},
		{"GET", "/", 200, "text/html"},
		{"GET", "/api/nothing", 404, "application/json"},
		{"GET", "/nothing", 404, "text/html"},
		{"DELETE", "/", 405, "text/plain"}, // the page exists for GET only
		{"DELETE", "/nothing", 404, "text/html"},
	} {
		w := serve(h, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), tc.ctype) {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, w.Code, w.Header().Get("Content-Type"), tc.status, tc.ctype)
		}
		if w.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: no CSP", tc.method, tc.path)
		}
	}
	if !strings.Contains(logs.String(), `"route":"GET /healthz"`) {
		t.Errorf("requests are not logged with their route: %s", logs.String())
	}
}
