package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

// testRateLimit: a bucket gives burst tokens, then refuses until it has
// refilled at the rate; buckets are independent; no limit is no limit;
// swept buckets start full again.
func testRateLimit(t *testing.T, s news.Store) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	take := func(key string, at time.Time) bool {
		t.Helper()
		ok, err := s.TakeToken(ctx, key, 6, 3, at) // 6 a minute: one every 10 s
		if err != nil {
			t.Fatalf("TakeToken(%s): %v", key, err)
		}
		return ok
	}
	for i := range 3 {
		if !take("comment:r1", now) {
			t.Fatalf("take %d of a burst of 3 refused", i+1)
		}
	}
	if take("comment:r1", now) {
		t.Error("a 4th take at once was allowed; want the burst of 3 to hold")
	}
	if !take("comment:r2", now) {
		t.Error("another key's first take was refused; buckets must be independent")
	}
	if take("comment:r1", now.Add(5*time.Second)) {
		t.Error("a take 5 s later was allowed; half a token has dripped in, want a refusal")
	}
	if !take("comment:r1", now.Add(11*time.Second)) {
		t.Error("a take 11 s later was refused; one token has dripped in")
	}
	if take("comment:r1", now.Add(12*time.Second)) {
		t.Error("a second take 12 s later was allowed")
	}
	// A clock a little behind on another server takes nothing extra.
	if take("comment:r1", now.Add(2*time.Second)) {
		t.Error("a take stamped earlier than the last was allowed")
	}
	// An hour later the bucket is full again: exactly the burst.
	later := now.Add(time.Hour)
	n := 0
	for range 5 {
		if take("comment:r1", later) {
			n++
		}
	}
	if n != 3 {
		t.Errorf("an hour later %d takes allowed, want the burst of 3", n)
	}
	if ok, err := s.TakeToken(ctx, "comment:r3", 0, 0, now); err != nil || !ok {
		t.Errorf("no limit: TakeToken = %v, %v; want true", ok, err)
	}
	if err := s.SweepTokens(ctx, later.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !take("comment:r1", later) {
		t.Error("after sweeping, the bucket did not start full")
	}
}
