package storetest

import (
	"context"
	"testing"
	"time"

	"byline/internal/news"
)

// BenchTrackerIndex measures the term tracker's indexer as a fresh
// archive meets it (generate, then index): every op indexes the whole
// paper s holds, after reset has emptied the tracker's tables and queued
// every article again. It reports articles indexed per second. Each
// engine's bench_test.go runs it over GeneratePaper's paper (one article
// every 23 minutes, about 62 a day).
func BenchTrackerIndex(b *testing.B, s news.Store, reset func(context.Context) error) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		b.Fatal(err)
	}
	var total int
	for b.Loop() {
		b.StopTimer()
		if err := reset(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for {
			k, err := s.IndexTrackerQueue(ctx, loc, 2000)
			if err != nil {
				b.Fatal(err)
			}
			if k == 0 {
				break
			}
			total += k
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "articles/s")
}

// TrackerResetSQL empties the tracker's index and queues every article:
// what BenchTrackerIndex's reset runs, statement by statement.
var TrackerResetSQL = []string{
	`DELETE FROM tracker_posts`,
	`DELETE FROM tracker_docs`,
	`DELETE FROM tracker_totals`,
	`DELETE FROM tracker_counts`,
	`INSERT INTO tracker_queue(article_id) SELECT id FROM articles WHERE true ON CONFLICT DO NOTHING`,
}
