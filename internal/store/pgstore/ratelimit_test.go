package pgstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRateLimitSharedAcrossServers: two stores on one database (two
// servers) draw from the same buckets, so together they allow what one
// would: 16 concurrent comments against a burst of 5 -> exactly 5.
func TestRateLimitSharedAcrossServers(t *testing.T) {
	cfg := freshSchema(t, "byline_test")
	ctx := context.Background()
	var servers [2]*Store
	for i := range servers {
		s, err := OpenConfig(ctx, cfg.Copy())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		servers[i] = s
	}
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			ok, err := servers[i%2].TakeToken(ctx, "comment:r7", 2, 5, now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 5 {
		t.Errorf("two servers allowed %d of 16 comments, want the burst of 5", got)
	}
	// 30 s later one more token (2 a minute), on whichever server asks.
	if ok, _ := servers[1].TakeToken(ctx, "comment:r7", 2, 5, now.Add(30*time.Second)); !ok {
		t.Error("30 s later server B refused; one token has dripped in")
	}
	if ok, _ := servers[0].TakeToken(ctx, "comment:r7", 2, 5, now.Add(31*time.Second)); ok {
		t.Error("server A then allowed another; the token was already taken on B")
	}
}

// BenchmarkTakeToken is the cost the shared limit adds to a comment on
// PostgreSQL (two takes per comment: reader and address).
func BenchmarkTakeToken(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	now := time.Now()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.TakeToken(ctx, "comment:r"+string(rune('a'+i%26)), 1e9, 1000, now.Add(time.Duration(i)*time.Millisecond)); err != nil {
			b.Fatal(err)
		}
	}
}
