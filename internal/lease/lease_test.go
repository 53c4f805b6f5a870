package lease

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// TestWorker: the worker runs at start, when woken and when a retry is
// due (long before Poll) even after a wake came first, and prunes once in
// its first hour.
func TestWorker(t *testing.T) {
	runs := make(chan int, 10)
	pruned := 0
	n := 0
	w := &Worker{What: "test", Poll: time.Hour, Now: time.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Prune: func(context.Context, time.Time) error { pruned++; return nil }}
	w.RunOnce = func(context.Context) (int, error) {
		n++
		if n == 2 {
			w.Retry(time.Now().Add(50 * time.Millisecond))
		}
		runs <- n
		return 0, nil
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	next := func(what string) {
		t.Helper()
		select {
		case <-runs:
		case <-time.After(10 * time.Second):
			t.Fatalf("no run %s", what)
		}
	}
	next("at start")
	w.Wake()
	next("after Wake (this run notes a retry in 50 ms)")
	w.Wake()
	next("after a second Wake, before the retry is due")
	next("when the retry came due: a wake in between must not drop it (Poll is an hour)")
	cancel()
	<-done
	if pruned != 1 {
		t.Errorf("pruned %d times, want once in the first hour", pruned)
	}
}
