package tracker

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"byline/internal/news"
)

// Through storage: a saved tracker over a flat series of Poisson noise
// (a month of days) announces nothing; a burst today is announced once.
func TestCheckSpikesFlatThenBurst(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	sec := news.Section{Name: "Economy"}
	if err := s.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	put := func(at time.Time, n int) {
		for i := 0; i < n; i++ {
			a := news.Article{SectionID: sec.ID, Headline: "Grain report", Body: "grain prices moved", BodyText: "grain prices moved",
				Status: news.StatusPublished, PublishedAt: at.Add(-time.Duration(i) * time.Minute)}
			if err := s.CreateArticle(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for d := 30; d >= 0; d-- {
		put(now.Add(-time.Duration(d)*24*time.Hour), poisson(rng, 4))
	}
	tr := news.Tracker{Title: "Grain", Phrases: []string{"grain prices"}, Interval: news.IntervalDay, Measure: news.MeasureArticles, Buckets: 30, Alerts: true}
	if err := s.CreateTracker(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	var sent [][]byte
	clock := now
	svc := &Service{Store: s, Loc: time.UTC, Now: func() time.Time { return clock }, Logger: discard(),
		Announce: func(_ context.Context, ev string, p []byte) error { sent = append(sent, p); return nil }}
	if _, err := svc.IndexOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// Look every day of the month as it went by: noise only.
	for d := 20; d >= 0; d-- {
		clock = now.Add(-time.Duration(d) * 24 * time.Hour)
		if _, err := svc.CheckSpikes(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(sent) != 0 {
		t.Fatalf("flat Poisson noise announced %d spikes: %s", len(sent), sent[0])
	}
	clock = now
	put(now.Add(time.Hour-now.Sub(now.Truncate(24*time.Hour))), 16)
	if _, err := svc.IndexOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.CheckSpikes(ctx); err != nil || n != 1 || len(sent) != 1 {
		t.Fatalf("a burst: %d announced (%v), want 1", n, err)
	}
	if n, _ := svc.CheckSpikes(ctx); n != 0 {
		t.Errorf("the same spike announced again")
	}
}
