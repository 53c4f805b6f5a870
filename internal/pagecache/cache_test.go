package pagecache

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func page(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Last-Modified", "Sun, 29 Nov 2026 01:00:00 GMT")
		io.WriteString(w, body)
	})
}

func do(h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestMiddlewareCachesAndServes(t *testing.T) {
	c := New(1 << 20)
	var calls atomic.Int32
	body := strings.Repeat("<p>news</p>", 200)
	h := c.Middleware(KeyWith("page"))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		page(body).ServeHTTP(w, r)
	}))
	w1 := do(h, "GET", "/a")
	w2 := do(h, "GET", "/a")
	if calls.Load() != 1 {
		t.Errorf("handler ran %d times for two GETs, want 1", calls.Load())
	}
	if w1.Body.String() != body || w2.Body.String() != body {
		t.Error("cached body differs")
	}
	if c.Hits.Load() != 1 || c.Misses.Load() != 1 {
		t.Errorf("hits %d misses %d, want 1 and 1", c.Hits.Load(), c.Misses.Load())
	}
	etag := w2.Header().Get("ETag")
	if etag == "" || etag != w1.Header().Get("ETag") || w2.Header().Get("Content-Length") != "2200" {
		t.Errorf("ETag %q/%q, Content-Length %q", w1.Header().Get("ETag"), etag, w2.Header().Get("Content-Length"))
	}
	// Parameters other than page share the entry; page does not.
	do(h, "GET", "/a?utm_source=x&fbclid=y")
	if calls.Load() != 1 {
		t.Error("a junk parameter made a new entry")
	}
	do(h, "GET", "/a?page=2&junk=1")
	do(h, "GET", "/a?junk=1&page=2")
	if calls.Load() != 2 {
		t.Errorf("handler ran %d times, want 2 (page=2 is one new entry)", calls.Load())
	}
	// POST is never cached.
	do(h, "POST", "/a")
	do(h, "POST", "/a")
	if calls.Load() != 4 {
		t.Errorf("POSTs were served from the cache")
	}

	if w := do(h, "GET", "/a", "If-None-Match", etag); w.Code != 304 || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes", w.Code, w.Body.Len())
	}
	if w := do(h, "GET", "/a", "If-None-Match", `"x", W/`+etag); w.Code != 304 {
		t.Errorf("weak ETag in a list: %d", w.Code)
	}
	if w := do(h, "GET", "/a", "If-None-Match", `"other"`, "If-Modified-Since", "Sun, 29 Nov 2026 02:00:00 GMT"); w.Code != 200 {
		t.Errorf("If-None-Match that does not match must win over If-Modified-Since: %d", w.Code)
	}
	if w := do(h, "GET", "/a", "If-Modified-Since", "Sun, 29 Nov 2026 01:00:00 GMT"); w.Code != 304 {
		t.Errorf("If-Modified-Since equal: %d", w.Code)
	}
	if w := do(h, "GET", "/a", "If-Modified-Since", "Sun, 29 Nov 2026 00:59:59 GMT"); w.Code != 200 {
		t.Errorf("If-Modified-Since older: %d", w.Code)
	}
	if w := do(h, "HEAD", "/a"); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d with %d bytes", w.Code, w.Body.Len())
	}

	w := do(h, "GET", "/a", "Accept-Encoding", "br, gzip")
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", w.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != body {
		t.Error("gzip body differs")
	}
}

func TestNotCached(t *testing.T) {
	c := New(1 << 20)
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", 404) }},
		{"no-store", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			io.WriteString(w, "x")
		}},
		{"private", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "private, max-age=0")
			io.WriteString(w, "x")
		}},
	} {
		var calls int
		h := c.Middleware(KeyWith())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++; tc.h(w, r) }))
		do(h, "GET", "/"+tc.name)
		do(h, "GET", "/"+tc.name)
		if calls != 2 {
			t.Errorf("%s: handler ran %d times, want 2 (never cached)", tc.name, calls)
		}
	}
	if n := c.Len(); n != 0 {
		t.Errorf("cache holds %d entries", n)
	}
}

func TestPurge(t *testing.T) {
	c := New(1 << 20)
	for _, k := range []string{"/article/1/a", "/article/1/a/print", "/article/12/b", "/"} {
		c.Put(k, c.Generation(), NewEntry(200, http.Header{}, []byte(k)))
	}
	c.PurgePrefix("/article/1/")
	for k, want := range map[string]bool{"/article/1/a": false, "/article/1/a/print": false, "/article/12/b": true, "/": true} {
		if _, ok := c.Get(k); ok != want {
			t.Errorf("after PurgePrefix(/article/1/): %s present %v, want %v", k, ok, want)
		}
	}
	c.PurgeAll()
	if c.Len() != 0 {
		t.Errorf("after PurgeAll: %d entries", c.Len())
	}
	// A page rendered before a purge is not stored after it.
	gen := c.Generation()
	c.PurgeAll()
	c.Put("/stale", gen, NewEntry(200, http.Header{}, []byte("old")))
	if _, ok := c.Get("/stale"); ok {
		t.Error("a page rendered before a purge was stored after it")
	}
}

func TestSizeLimit(t *testing.T) {
	c := New(10_000)
	for i := range 50 {
		c.Put("/p"+string(rune('a'+i)), c.Generation(), NewEntry(200, http.Header{}, bytes.Repeat([]byte{'x'}, 400)))
	}
	c.mu.RLock()
	size := c.size
	c.mu.RUnlock()
	if size > 10_000 {
		t.Errorf("cache holds %d bytes, limit 10000", size)
	}
	if c.Len() == 0 {
		t.Error("cache holds nothing")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"gzip": true, "gzip, deflate, br": true, "br;q=1.0, GZIP;q=0.5": true, "gzip;q=0": false,
		"gzip; q=0.000": false, "deflate": false, "": false, "x-gzip": false, "*": false,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", h)
		if got := AcceptsGzip(r); got != want {
			t.Errorf("AcceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestCompress(t *testing.T) {
	body := strings.Repeat(`{"a":1}`, 100)
	h := Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	w := do(h, "GET", "/", "Accept-Encoding", "gzip")
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", w.Header().Get("Content-Encoding"))
	}
	zr, _ := gzip.NewReader(w.Body)
	if plain, _ := io.ReadAll(zr); string(plain) != body {
		t.Error("body differs after gzip")
	}
	if w := do(h, "GET", "/"); w.Header().Get("Content-Encoding") != "" || w.Body.String() != body {
		t.Error("compressed without Accept-Encoding")
	}
	img := Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG"))
	}))
	if w := do(img, "GET", "/", "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "" {
		t.Error("an image was gzipped")
	}
}

// Many readers at once, with purges in between, under the race detector.
func TestConcurrentUse(t *testing.T) {
	c := New(1 << 20)
	h := c.Middleware(KeyWith("page"))(page("<p>hello</p>"))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if g == 0 && i%20 == 0 {
					c.PurgeAll()
				}
				if w := do(h, "GET", "/x?page="+string(rune('1'+i%3))); w.Code != 200 || w.Body.String() != "<p>hello</p>" {
					t.Errorf("status %d body %q", w.Code, w.Body.String())
					return
				}
			}
		}()
	}
	wg.Wait()
}
