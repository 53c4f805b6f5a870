// Package pagecache keeps fully rendered pages that are the same for every
// anonymous reader, with their gzip form and ETag, until a change
// invalidates them. It is the reason a busy article page costs a map
// look-up and a write.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is one stored response.
type Entry struct {
	Status       int
	Header       http.Header // Content-Type, Last-Modified, Cache-Control, ...
	Body         []byte
	Gzip         []byte
	ETag         string
	LastModified time.Time
	// Header values made once by NewEntry and shared, read-only, by
	// every response (setting them costs no allocation per hit).
	etagV, bodyLen, gzipLen []string
}

var (
	varyAE = []string{"Accept-Encoding"}
	gzipV  = []string{"gzip"}
)

// Cache maps a request key to an Entry. Keys are grouped by an article id
// so that one article's pages can be dropped alone.
type Cache struct {
	mu       sync.RWMutex
	entries  map[string]*Entry
	size     int
	maxBytes int
	// gen counts purges; a response rendered before a purge must not be
	// stored after it (it may show what was just removed).
	gen atomic.Uint64

	Hits, Misses atomic.Uint64

	fmu     sync.Mutex
	flights map[string]*flight

	// stale keeps purged pages (up to maxBytes) for when the database is
	// down: a page that cannot be rendered afresh is served as it was
	// rather than an error (see Middleware).
	stale     map[string]*Entry
	staleSize int
}

// New makes a cache that holds at most maxBytes of bodies.
func New(maxBytes int) *Cache {
	return &Cache{entries: map[string]*Entry{}, maxBytes: maxBytes}
}

// Get returns the entry for key.
func (c *Cache) Get(key string) (*Entry, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok {
		c.Hits.Add(1)
	} else {
		c.Misses.Add(1)
	}
	return e, ok
}

// Generation is read before rendering and handed to Put.
func (c *Cache) Generation() uint64 { return c.gen.Load() }

// Put stores a rendered response unless a purge happened since gen.
func (c *Cache) Put(key string, gen uint64, e *Entry) {
	n := len(e.Body) + len(e.Gzip)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		// A purge overtook this render: the page may be out of date, so
		// it is not served as fresh, but it is the newest page there is
		// for the database being down a moment later.
		c.keepStale(key, e)
		return
	}
	if old, ok := c.entries[key]; ok {
		c.size -= len(old.Body) + len(old.Gzip)
	}
	if c.size+n > c.maxBytes {
		// Rare: start again rather than keep LRU bookkeeping on the hot path.
		c.entries = map[string]*Entry{}
		c.size = 0
	}
	c.entries[key] = e
	c.size += n
	if old, ok := c.stale[key]; ok {
		c.staleSize -= len(old.Body) + len(old.Gzip)
		delete(c.stale, key)
	}
}

// keepStale moves a purged entry to the stale set; c.mu is held.
func (c *Cache) keepStale(key string, e *Entry) {
	n := len(e.Body) + len(e.Gzip)
	if c.stale == nil || c.staleSize+n > c.maxBytes {
		c.stale, c.staleSize = map[string]*Entry{}, 0
	}
	if old, ok := c.stale[key]; ok {
		c.staleSize -= len(old.Body) + len(old.Gzip)
	}
	c.stale[key] = e
	c.staleSize += n
}

// Stale returns the last page purged for key, if one is kept.
func (c *Cache) Stale(key string) (*Entry, bool) {
	c.mu.RLock()
	e, ok := c.stale[key]
	c.mu.RUnlock()
	return e, ok
}

// PurgeAll drops every page.
func (c *Cache) PurgeAll() {
	c.mu.Lock()
	c.gen.Add(1)
	for k, e := range c.entries {
		c.keepStale(k, e)
	}
	c.entries = map[string]*Entry{}
	c.size = 0
	c.mu.Unlock()
}

// PurgePrefix drops the pages whose key starts with prefix.
func (c *Cache) PurgePrefix(prefix string) {
	c.mu.Lock()
	c.gen.Add(1)
	for k, e := range c.entries {
		if strings.HasPrefix(k, prefix) {
			c.size -= len(e.Body) + len(e.Gzip)
			delete(c.entries, k)
			c.keepStale(k, e)
		}
	}
	c.mu.Unlock()
}

// Len is the number of pages held.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// NewEntry compresses body and computes its ETag.
func NewEntry(status int, h http.Header, body []byte) *Entry {
	sum := sha256.Sum256(body)
	e := &Entry{Status: status, Header: h, Body: body, ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	if len(body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		e.Gzip = buf.Bytes()
		e.gzipLen = []string{itoa(len(e.Gzip))}
	}
	e.etagV, e.bodyLen = []string{e.ETag}, []string{itoa(len(body))}
	if lm := h.Get("Last-Modified"); lm != "" {
		e.LastModified, _ = http.ParseTime(lm)
	}
	return e
}

// Serve writes e to w, answering conditional requests with 304 and
// choosing gzip when the client accepts it.
func (e *Entry) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range e.Header {
		h[k] = v
	}
	if e.etagV != nil {
		h["Etag"] = e.etagV
	} else {
		h.Set("ETag", e.ETag)
	}
	h["Vary"] = varyAE
	if e.Status == http.StatusOK && notModified(r, e) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, n := e.Body, e.bodyLen
	if e.Gzip != nil && AcceptsGzip(r) {
		h["Content-Encoding"] = gzipV
		body, n = e.Gzip, e.gzipLen
	}
	if n != nil {
		h["Content-Length"] = n
	} else {
		h.Set("Content-Length", itoa(len(body)))
	}
	w.WriteHeader(e.Status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func notModified(r *http.Request, e *Entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == e.ETag || t == "W/"+e.ETag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !e.LastModified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !e.LastModified.Truncate(time.Second).After(t) {
			return true
		}
	}
	return false
}

// AcceptsGzip reports whether the request's Accept-Encoding allows gzip.
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q = strings.ReplaceAll(strings.TrimSpace(q), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
