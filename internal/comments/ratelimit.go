package comments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps one token bucket per key (reader or address). Buckets
// unused for a while are dropped so the map stays small.
type limiter struct {
	mu      sync.Mutex
	perMin  float64
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiter(perMinute float64, burst int) *limiter {
	return &limiter{perMin: perMinute, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token for key at now; a limit of 0 means no limit.
func (l *limiter) allow(key string, now time.Time, perMinute float64, burst int) bool {
	if perMinute <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if perMinute != l.perMin || burst != l.burst {
		l.perMin, l.burst, l.buckets = perMinute, burst, map[string]*bucket{}
	}
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 30*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{l: rate.NewLimiter(rate.Limit(perMinute/60), max(1, burst))}
		l.buckets[key] = b
	}
	b.seen = now
	return b.l.AllowN(now, 1)
}

// allow takes a token for key from the shared buckets when the service
// has them, else from l in memory. Shared keys name what they count
// ("comment:r12", "comment:ip:" and a hash: no address is stored).
func (s *Service) allow(ctx context.Context, l *limiter, key string, now time.Time, perMinute float64, burst int) (bool, error) {
	if s.shared == nil {
		return l.allow(key, now, perMinute, burst), nil
	}
	if l == s.byIP {
		sum := sha256.Sum256([]byte("byline comment rate\x00" + key))
		key = "ip:" + hex.EncodeToString(sum[:12])
	}
	s.sweepMaybe(ctx, now)
	return s.shared.TakeToken(ctx, "comment:"+key, perMinute, burst, now)
}

// sweepMaybe forgets shared buckets idle for a day, at most every ten
// minutes per server (a bucket idle that long is full anyway).
func (s *Service) sweepMaybe(ctx context.Context, now time.Time) {
	s.sweptMu.Lock()
	due := now.Sub(s.swept) > 10*time.Minute
	if due {
		s.swept = now
	}
	s.sweptMu.Unlock()
	if due {
		if err := s.shared.SweepTokens(ctx, now.Add(-24*time.Hour)); err != nil {
			s.logger.WarnContext(ctx, "comments: sweeping rate-limit buckets", "err", err)
		}
	}
}
