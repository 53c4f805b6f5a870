package pgstore

// Benchmarks of the read paths readers hit most, on a generated paper of
// benchArticles articles. Their twin for SQLite, over the same generated
// paper, is internal/store/sqlitestore/bench_test.go; compare with
//
//	eval "$(scripts/pg-test.sh)"
//	go test -run '^$' -bench . -benchtime 2s ./internal/store/pgstore/ ./internal/store/sqlitestore/

import (
	"context"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

const benchArticles = 5000

func BenchmarkListArticles(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := storetest.GeneratePaper(b, s, benchArticles, time.Now().Add(-time.Hour))
	analyze(b, s)
	for _, c := range storetest.BenchListCases(p) {
		b.Run(c.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListArticles(context.Background(), c.Q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.GeneratePaper(b, s, benchArticles, time.Now().Add(-time.Hour))
	analyze(b, s)
	for _, c := range storetest.BenchSearchCases {
		b.Run(c.Name, func(b *testing.B) {
			var hits int
			for b.Loop() {
				res, err := s.Search(context.Background(), news.SearchQuery{Text: c.Text})
				if err != nil {
					b.Fatal(err)
				}
				hits = res.Total
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// analyze brings the database to the state autovacuum keeps a live paper
// in a moment after a bulk load: planner statistics, and a visibility map
// that lets counts be answered from indexes alone.
func analyze(tb testing.TB, s *Store) {
	if _, err := s.Pool().Exec(context.Background(), `VACUUM ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkReaderBySession(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench_readers"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchReaderBySession(b, s)
}

func BenchmarkReplaceBilingual(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench_dict"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchReplaceBilingual(b, s)
}

func BenchmarkComments(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench_comments"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchComments(b, s)
}

func BenchmarkArticleByID(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.GeneratePaper(b, s, benchArticles, time.Now().Add(-time.Hour))
	analyze(b, s)
	storetest.BenchArticleByID(b, s)
}

func BenchmarkListVisibleAfter(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.GeneratePaper(b, s, benchArticles, time.Now().Add(-time.Hour))
	analyze(b, s)
	storetest.BenchListVisibleAfter(b, s)
}

// BenchmarkTrackerIndex: the tracker's indexer over the generated paper,
// from empty (go test -run '^$' -bench TrackerIndex -benchtime 3x).
func BenchmarkTrackerIndex(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench_tracker"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.GeneratePaper(b, s, benchArticles, time.Now().Add(-time.Hour))
	storetest.BenchTrackerIndex(b, s, func(ctx context.Context) error {
		for _, q := range storetest.TrackerResetSQL {
			if _, err := s.Exec(ctx, q); err != nil {
				return err
			}
		}
		analyze(b, s)
		return nil
	})
}
