package pagecache

import (
	"io"
	"net/http"
	"sync/atomic"
	"testing"
)

// While the database is down (the handler answers 503) a page that was
// purged is served as it was last; once rendering works again, the fresh
// page replaces it, and a page never rendered gets the 503.
func TestStaleWhileUnavailable(t *testing.T) {
	c := New(1 << 20)
	var down atomic.Bool
	var version atomic.Int32
	h := c.Middleware(func(r *http.Request) string { return r.URL.Path })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "briefly unavailable")
			return
		}
		io.WriteString(w, "edition "+string(rune('0'+version.Load())))
	}))
	if got := do(h, "GET", "/").Body.String(); got != "edition 0" {
		t.Fatalf("first render: %q", got)
	}
	c.PurgeAll()
	down.Store(true)
	if w := do(h, "GET", "/"); w.Code != http.StatusOK || w.Body.String() != "edition 0" {
		t.Errorf("purged page while down: %d %q, want the last edition", w.Code, w.Body)
	}
	if w := do(h, "GET", "/never"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("page never rendered while down: %d, want 503", w.Code)
	}
	down.Store(false)
	version.Store(1)
	if got := do(h, "GET", "/").Body.String(); got != "edition 1" {
		t.Errorf("after the outage: %q, want the fresh edition", got)
	}
	c.PurgePrefix("/")
	down.Store(true)
	if got := do(h, "GET", "/").Body.String(); got != "edition 1" {
		t.Errorf("after PurgePrefix while down: %q, want edition 1", got)
	}
}

// A page whose render was overtaken by a purge is not cached as fresh,
// but kept for an outage that follows (under load, renders and purges
// overlap).
func TestOvertakenRenderKeptStale(t *testing.T) {
	c := New(1 << 20)
	gen := c.Generation()
	c.PurgeAll()
	c.Put("/", gen, NewEntry(200, http.Header{}, []byte("home")))
	if _, ok := c.Get("/"); ok {
		t.Error("a render overtaken by a purge was cached as fresh")
	}
	if e, ok := c.Stale("/"); !ok || string(e.Body) != "home" {
		t.Error("the overtaken render was not kept for an outage")
	}
}
