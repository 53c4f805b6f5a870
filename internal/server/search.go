package server

import (
	"context"
	"time"
)

// watchSearch runs the search upkeep (news.Store.SearchUpkeep: on
// PostgreSQL one query of ANALYZE's statistics, and a rebuild that
// articles are written through when a paper grew into other common
// words) every so often (--search-upkeep, an hour), the first time one
// period after the server starts, not to add to a start's work.
func (s *Server) watchSearch(every time.Duration) {
	if every <= 0 {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.bgCtx.Done():
				return
			case <-t.C:
			}
			s.searchUpkeep(s.bgCtx)
		}
	}()
	// Close waits for a rebuild in progress to end (its context is
	// cancelled), so the store is not closed under it.
	s.closers = append(s.closers, func() { <-done })
}

// searchUpkeep runs the store's search upkeep once and says what it did.
func (s *Server) searchUpkeep(ctx context.Context) bool {
	t0 := time.Now()
	ran, err := s.store.SearchUpkeep(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		s.logger.Warn("search upkeep", "err", err)
	case ran:
		s.metrics.searchUpkeeps.Inc()
		s.logger.Info("search upkeep: the commonest words chosen again", "took", time.Since(t0).Round(time.Millisecond))
	}
	return ran
}
