package tracker

import (
	"context"
	"log/slog"
	"time"

	"byline/internal/news"
)

// Service keeps the tracker's index current and announces spikes.
type Service struct {
	Store   news.Store
	Loc     *time.Location
	Now     func() time.Time
	Logger  *slog.Logger
	BaseURL string
	// Announce queues a signed webhook event (nil: spikes are only
	// logged).
	Announce func(ctx context.Context, event string, payload []byte) error
	// Every is how often the index queue is looked at (the time a newly
	// published article may wait before it is counted).
	Every time.Duration
}

// PublicURL is a published tracker's page.
func PublicURL(slug string) string { return "/tracker/" + slug }

// SpikeEvery is how often spikes are looked for when nothing was indexed
// (a bucket can also turn by time alone, and other servers index too).
const SpikeEvery = 30 * time.Second

// Run indexes queued articles every s.Every and looks for spikes soon
// after anything was indexed, until ctx ends; once an hour it prunes the
// kept counts nobody asked for in news.TrackerCountsKeep (30 days).
func (s *Service) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var lastSpikes, lastPrune time.Time
	dirty := true
	for {
		if now := time.Now(); now.Sub(lastPrune) >= time.Hour {
			if _, err := s.Store.PruneTrackerCounts(ctx, now.Add(-news.TrackerCountsKeep)); err != nil && ctx.Err() == nil {
				s.Logger.Warn("tracker prune", "err", err)
			}
			lastPrune = now
		}
		n, err := s.IndexOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Logger.Warn("tracker index", "err", err)
		}
		dirty = dirty || n > 0
		if now := time.Now(); (dirty && now.Sub(lastSpikes) >= 2*time.Second) || now.Sub(lastSpikes) >= SpikeEvery {
			if _, err := s.CheckSpikes(ctx); err != nil && ctx.Err() == nil {
				s.Logger.Warn("tracker spikes", "err", err)
			} else {
				dirty = false
			}
			lastSpikes = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// IndexOnce drains the index queue and returns how many articles it took.
func (s *Service) IndexOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.Store.IndexTrackerQueue(ctx, s.Loc, 512)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}
