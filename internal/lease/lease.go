// Package lease runs the worker of a queue whose rows are claimed with a
// lease (webhook deliveries, the mail outbox): it works at start (rows
// left by a stopped server or an outage), when woken, when this server's
// earliest retry is due, and every Poll for the rows of other servers,
// and prunes finished rows once an hour.
package lease

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Worker is one queue's loop. Set the fields, then call Run once; Wake
// and Retry may be called from any goroutine, before or during Run.
type Worker struct {
	// What names the queue in log lines ("mail", "webhooks").
	What   string
	Poll   time.Duration
	Now    func() time.Time
	Logger *slog.Logger
	// RunOnce claims and works the due rows, returning how many it took.
	RunOnce func(ctx context.Context) (int, error)
	// Prune removes finished rows; nil: nothing to prune.
	Prune func(ctx context.Context, now time.Time) error

	once    sync.Once
	wake    chan struct{}
	mu      sync.Mutex
	retryAt time.Time // the earliest retry of a row this server attempted
}

func (w *Worker) init() { w.once.Do(func() { w.wake = make(chan struct{}, 1) }) }

// Wake makes the worker look for due rows now.
func (w *Worker) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Retry notes that a row this server attempted is due again at t, so the
// worker wakes then rather than at the next Poll.
func (w *Worker) Retry(t time.Time) {
	w.mu.Lock()
	if w.retryAt.IsZero() || t.Before(w.retryAt) {
		w.retryAt = t
	}
	w.mu.Unlock()
}

// Run works the queue until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.init()
	t := time.NewTimer(0)
	defer t.Stop()
	var pruned time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-t.C:
		}
		started := w.Now()
		if now := started; w.Prune != nil && now.Sub(pruned) > time.Hour {
			pruned = now
			if err := w.Prune(ctx, now); err != nil && ctx.Err() == nil {
				w.Logger.ErrorContext(ctx, w.What+": prune", "err", err)
			}
		}
		for {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				w.Logger.ErrorContext(ctx, w.What+": run", "err", err)
			}
			if n == 0 || err != nil {
				break
			}
		}
		// A retry that was due when this round began has been taken; a
		// later one is kept until it is, even when a wake comes first.
		wait := w.Poll
		w.mu.Lock()
		if !w.retryAt.IsZero() && !w.retryAt.After(started) {
			w.retryAt = time.Time{}
		}
		if !w.retryAt.IsZero() {
			wait = min(wait, max(w.retryAt.Sub(w.Now()), 0))
		}
		w.mu.Unlock()
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(wait)
	}
}
