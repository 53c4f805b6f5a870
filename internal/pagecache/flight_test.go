package pagecache

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

func TestConcurrentMissesRenderOnce(t *testing.T) {
	c := New(1 << 20)
	var renders atomic.Int32
	release := make(chan struct{})
	h := c.Middleware(KeyWith())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		<-release
		w.Write([]byte("front page"))
	}))
	const n = 20
	var started, wg sync.WaitGroup
	started.Add(n)
	wg.Add(n)
	bodies := make([]string, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			defer wg.Done()
			started.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			bodies[i] = rec.Body.String()
		}(i)
	}
	started.Wait()
	// Every goroutine is past its start; the first render is blocked, so
	// the others are either waiting on it or about to find it.
	close(release)
	wg.Wait()
	if got := renders.Load(); got < 1 || got > 2 {
		t.Errorf("rendered %d times for %d concurrent readers, want 1 (at most 2 if one arrived after the first finished and before it was stored)", got, n)
	}
	for i, b := range bodies {
		if b != "front page" {
			t.Errorf("reader %d got %q", i, b)
		}
	}
}
