package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/respond"
)

// Reader sign-in throttling: starting a sign-in and coming back from the
// provider each take a token from the address's bucket, so that a script
// cannot open sign-ins, or make the server call the providers' token
// endpoints, without end. A person signing in spends two.
const (
	signInPerMinute = 10
	signInBurst     = 20
)

// signInLimiter keeps the buckets: on PostgreSQL rows of rate_buckets
// that every server shares (two servers allow what one allows, like the
// comment limits), on SQLite in memory.
type signInLimiter struct {
	shared news.RateLimitStore
	now    func() time.Time
	mu     sync.Mutex
	mem    map[string]*signInBucket
	swept  time.Time
}

type signInBucket struct {
	l    *rate.Limiter
	seen time.Time
}

func newSignInLimiter(shared news.RateLimitStore, now func() time.Time) *signInLimiter {
	return &signInLimiter{shared: shared, now: now, mem: map[string]*signInBucket{}}
}

// take takes a token for the address; no address is stored, only a hash.
func (l *signInLimiter) take(ctx context.Context, addr string) (bool, error) {
	now := l.now()
	if l.shared != nil {
		sum := sha256.Sum256([]byte("byline sign-in rate\x00" + addr))
		return l.shared.TakeToken(ctx, "signin:ip:"+hex.EncodeToString(sum[:12]), signInPerMinute, signInBurst, now)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.mem {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.mem, k)
			}
		}
		l.swept = now
	}
	b, ok := l.mem[addr]
	if !ok {
		b = &signInBucket{l: rate.NewLimiter(rate.Limit(signInPerMinute/60.0), signInBurst)}
		l.mem[addr] = b
	}
	b.seen = now
	return b.l.AllowN(now, 1), nil
}

// limit wraps a sign-in handler: over the limit it answers 429 with
// Retry-After and calls nothing.
func (l *signInLimiter) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, err := l.take(r.Context(), auth.ClientIP(r))
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		if !ok {
			w.Header().Set("Retry-After", "60")
			respond.Error(w, r, news.Errorf(news.KindTooMany, "too many sign-ins from your network; please wait a minute and try again"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
