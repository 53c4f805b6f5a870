package server

import (
	"context"
	"time"
)

// watchClock refreshes cached pages when time alone changes what readers
// see: an article's publication time or embargo passing (checked every
// few seconds), and the hour turning (the masthead's date, the news
// sitemap's two-day window). It also refreshes comment counts on lists,
// at most once a minute.
func (s *Server) watchClock(every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		c := clock{last: s.now()}
		c.lastCounts = c.last
		for {
			select {
			case <-s.bgCtx.Done():
				return
			case <-t.C:
			}
			if s.clockTick(s.bgCtx, &c, s.now()) {
				s.cache.PurgeAll()
			}
		}
	}()
}

// clock is watchClock's memory between ticks.
type clock struct {
	last, lastCounts time.Time
}

// clockTick decides whether the cached pages went stale between c.last
// and now, and moves the clock on.
func (s *Server) clockTick(ctx context.Context, c *clock, now time.Time) bool {
	changed := now.Truncate(time.Hour).After(c.last.Truncate(time.Hour))
	if !changed {
		var err error
		if changed, err = s.store.VisibilityChanged(ctx, c.last, now); err != nil {
			// Try the same interval again on the next tick.
			s.logger.Warn("visibility check", "err", err)
			return false
		}
	}
	if !changed && s.countsStale.Load() && now.Sub(c.lastCounts) >= time.Minute {
		changed = true
	}
	if changed {
		s.countsStale.Store(false)
		c.lastCounts = now
	}
	c.last = now
	return changed
}
