package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"byline/internal/testutil"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures Byline's handler chain, not a recorder's buffer.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkCachedArticleChain is a cached article through the whole
// handler (every middleware, the route table, the page cache), without
// the network: what Byline itself adds to each request. bench/load.sh
// measures it over loopback with net/http.
func BenchmarkCachedArticleChain(b *testing.B) {
	app := testutil.NewApp(b, testutil.WithDemo(), testutil.WithLogLevel(slog.LevelWarn))
	path := app.DemoArticle(b, "hanseong-hbm-bet").URL()
	h := app.Server.Handler()
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, req)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}
