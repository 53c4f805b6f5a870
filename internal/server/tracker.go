package server

import (
	"context"

	"byline/internal/tracker"
)

// initTracker starts the term tracker's indexer: it brings newly written
// articles into the tracker's index and totals within a quarter of a
// second, and announces spikes of saved trackers as signed webhook
// events (the webhook worker sends them within its poll).
func (s *Server) initTracker(d Deps) {
	svc := &tracker.Service{Store: d.Store, Loc: d.Config.Location, Now: s.now, Logger: s.logger, BaseURL: d.Config.BaseURL,
		Announce: func(ctx context.Context, event string, payload []byte) error {
			_, err := d.Store.EnqueueDeliveries(ctx, event, payload, s.now())
			return err
		}}
	s.trk = svc
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.Run(s.bgCtx)
	}()
	s.closers = append(s.closers, func() { <-done })
}

// TrackerService is the term tracker's indexer and spike watcher.
func (s *Server) TrackerService() *tracker.Service { return s.trk }
