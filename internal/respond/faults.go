package respond

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"byline/internal/news"
)

// RetryAfterSeconds is what a 503 tells clients to wait: long enough for
// a database restart or a failover, short enough that readers come back.
const RetryAfterSeconds = 10

// LogEvery is how often each outage kind is logged while it lasts: a
// database that is down fails every request, and one line per request
// would bury the log (and fill the very disk that is full).
const LogEvery = time.Minute

// Faults turns the storage engine's errors for "database unreachable" and
// "disk full" into their kinds (the engine knows its codes; see
// news.Store.Classify) and logs them at most once per LogEvery per kind,
// with how many were left out. Its Middleware makes it reach every
// handler through the request context.
type Faults struct {
	classify func(error) error
	logger   *slog.Logger
	now      func() time.Time

	mu   sync.Mutex
	last map[news.Kind]time.Time
	left map[news.Kind]int
}

// NewFaults builds the request's fault recogniser. classify may be nil.
func NewFaults(classify func(error) error, logger *slog.Logger, now func() time.Time) *Faults {
	if logger == nil {
		logger = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Faults{classify: classify, logger: logger, now: now, last: map[news.Kind]time.Time{}, left: map[news.Kind]int{}}
}

type faultsKey struct{}

// Middleware puts f into each request's context.
func (f *Faults) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), faultsKey{}, f)))
	})
}

// Classify returns err as an Unavailable or StorageFull error when the
// storage engine recognises it as one, else err. Handlers that choose a
// status themselves (forms that keep what was typed) call it first.
func Classify(r *http.Request, err error) error {
	if err == nil {
		return nil
	}
	if f, ok := r.Context().Value(faultsKey{}).(*Faults); ok && f.classify != nil {
		return f.classify(err)
	}
	return err
}

// StatusFor is StatusOf the classified err.
func StatusFor(r *http.Request, err error) int { return StatusOf(Classify(r, err)) }

// RetryAfter tells the client when to come back after a 503.
func RetryAfter(w http.ResponseWriter, status int) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
		w.Header().Set("Cache-Control", "no-store")
	}
}

// LogError logs a failed request: internal errors every time, outages
// once per LogEvery per kind.
func LogError(r *http.Request, msg string, err error) {
	ctx := r.Context()
	k := news.KindOf(err)
	f, _ := ctx.Value(faultsKey{}).(*Faults)
	if k != news.KindUnavailable && k != news.KindStorageFull || f == nil {
		logger := Logger(ctx)
		if f != nil {
			logger = f.logger
		}
		logger.ErrorContext(ctx, msg, "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	now := f.now()
	f.mu.Lock()
	if last, ok := f.last[k]; ok && now.Sub(last) < LogEvery {
		f.left[k]++
		f.mu.Unlock()
		return
	}
	left := f.left[k]
	f.last[k], f.left[k] = now, 0
	f.mu.Unlock()
	what := "database unavailable"
	if k == news.KindStorageFull {
		what = "disk full: nothing was saved"
	}
	f.logger.ErrorContext(ctx, what, "method", r.Method, "path", r.URL.Path, "err", err, "not_logged_since_last", left)
}
