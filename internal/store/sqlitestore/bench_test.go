package sqlitestore

// Benchmarks of the read paths readers hit most, on a generated paper of
// benchArticles articles. Their twin for PostgreSQL, over the same
// generated paper (storetest.GeneratePaper), is internal/store/pgstore/bench_test.go; compare with
//
//	eval "$(scripts/pg-test.sh)"
//	go test -run '^$' -bench . -benchtime 2s ./internal/store/pgstore/ ./internal/store/sqlitestore/

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

const benchArticles = 5000

func benchOpen(b *testing.B) (*Store, storetest.BenchPaper) {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	p := storetest.GeneratePaper(b, s, benchArticles, time.Now().Add(-time.Hour))
	return s, p
}

func BenchmarkListArticles(b *testing.B) {
	s, p := benchOpen(b)
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
	s, _ := benchOpen(b)
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
