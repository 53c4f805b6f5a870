package pagecache

import (
	"bytes"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Keyer makes the cache key of a request, or "" when the request must not
// be served from the cache.
type Keyer func(r *http.Request) string

// KeyWith returns a Keyer that keeps only the named query parameters (in
// a fixed order), so that junk parameters cannot fill the cache.
func KeyWith(params ...string) Keyer {
	sort.Strings(params)
	return func(r *http.Request) string {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return ""
		}
		if len(params) == 0 || r.URL.RawQuery == "" {
			return r.URL.Path
		}
		q := r.URL.Query()
		var b strings.Builder
		b.WriteString(r.URL.Path)
		sep := byte('?')
		for _, p := range params {
			if v := q.Get(p); v != "" {
				b.WriteByte(sep)
				b.WriteString(p + "=" + url.QueryEscape(v))
				sep = '&'
			}
		}
		return b.String()
	}
}

// KeyWithOneOf is KeyWith for one parameter that matters only with one of
// a few values (?lang=ko): any other value is keyed as if absent, so it
// adds no page to the cache.
func KeyWithOneOf(param string, values ...string) Keyer {
	base := KeyWith()
	return func(r *http.Request) string {
		k := base(r)
		if k == "" || r.URL.RawQuery == "" {
			return k
		}
		v := r.URL.Query().Get(param)
		for _, ok := range values {
			if v == ok {
				return k + "?" + param + "=" + url.QueryEscape(v)
			}
		}
		return k
	}
}

// Middleware serves cached pages and stores cacheable 200 answers of next.
// A handler opts out of storing by setting Cache-Control: no-store or
// private. Concurrent misses of one key render it once: the others wait
// for that render (after a publish purges the cache, a busy home page
// would otherwise be rendered by every waiting request at once).
func (c *Cache) Middleware(key Keyer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			k := key(r)
			if k == "" {
				next.ServeHTTP(w, r)
				return
			}
			if e, ok := c.Get(k); ok {
				e.Serve(w, r)
				return
			}
			e := c.render(k, func() *Entry {
				gen := c.Generation()
				rec := &recorder{header: http.Header{}, status: http.StatusOK}
				next.ServeHTTP(rec, r)
				e := NewEntry(rec.status, rec.header, rec.buf.Bytes())
				cc := rec.header.Get("Cache-Control")
				if rec.status == http.StatusOK && !strings.Contains(cc, "no-store") && !strings.Contains(cc, "private") {
					c.Put(k, gen, e)
				}
				return e
			})
			if e == nil { // the render panicked; let this request try itself
				next.ServeHTTP(w, r)
				return
			}
			if e.Status == http.StatusServiceUnavailable {
				// The database is down: the page as it was last is
				// better than an apology.
				if old, ok := c.Stale(k); ok {
					old.Serve(w, r)
					return
				}
			}
			e.Serve(w, r)
		})
	}
}

// flight is one render in progress.
type flight struct {
	done  chan struct{}
	entry *Entry
}

// render runs fn once for concurrent callers with the same key.
func (c *Cache) render(key string, fn func() *Entry) *Entry {
	c.fmu.Lock()
	if f, ok := c.flights[key]; ok {
		c.fmu.Unlock()
		<-f.done
		return f.entry
	}
	f := &flight{done: make(chan struct{})}
	if c.flights == nil {
		c.flights = map[string]*flight{}
	}
	c.flights[key] = f
	c.fmu.Unlock()
	defer func() {
		c.fmu.Lock()
		delete(c.flights, key)
		c.fmu.Unlock()
		close(f.done)
	}()
	f.entry = fn()
	return f.entry
}

// recorder collects a response in memory.
type recorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int) {
	if !r.wrote {
		r.status, r.wrote = s, true
	}
}
func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.buf.Write(p)
}
