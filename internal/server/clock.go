package server

import (
	"time"

	"byline/internal/news"
)

// watchClock refreshes cached pages when time alone changes what readers
// see: an article's publication time or embargo passing (checked every
// few seconds), and the hour turning (the masthead's date, the news
// sitemap's two-day window). It also refreshes comment counts on lists,
// at most once a minute.
func (s *Server) watchClock(every time.Duration) {
	w, _ := s.store.(news.VisibilityWatcher)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		last := s.now()
		lastCounts := last
		for {
			select {
			case <-s.bgCtx.Done():
				return
			case <-t.C:
			}
			now := s.now()
			changed := now.Truncate(time.Hour).After(last.Truncate(time.Hour))
			if !changed && w != nil {
				var err error
				changed, err = w.VisibilityChanged(s.bgCtx, last, now)
				if err != nil {
					s.logger.Warn("visibility check", "err", err)
					continue
				}
			}
			if !changed && s.countsStale.Load() && now.Sub(lastCounts) >= time.Minute {
				changed = true
			}
			if changed {
				s.countsStale.Store(false)
				lastCounts = now
				s.cache.PurgeAll()
			}
			last = now
		}
	}()
}
