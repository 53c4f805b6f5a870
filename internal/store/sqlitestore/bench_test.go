package sqlitestore

// Benchmarks of the read paths readers hit most, on a generated paper of
// benchArticles articles. Their twin for PostgreSQL, over the same
// generated paper (storetest.GeneratePaper), is internal/store/pgstore/bench_test.go; compare with
//
//	eval "$(scripts/pg-test.sh)"
//	go test -run '^$' -bench . -benchtime 2s ./internal/store/pgstore/ ./internal/store/sqlitestore/

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
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

// BenchmarkSearchArchive searches a real archive, e.g. one made by
// bench/search.sh or `byline demo --articles 100000` (pending migrations
// are applied to it first):
//
//	BYLINE_BENCH_ARCHIVE=/tmp/byline-search-100000/byline.db go test -run '^$' -bench SearchArchive ./internal/store/sqlitestore/
func BenchmarkSearchArchive(b *testing.B) {
	path := os.Getenv("BYLINE_BENCH_ARCHIVE")
	if path == "" {
		b.Skip("set BYLINE_BENCH_ARCHIVE to a database file")
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, text := range []string{"housing", "the", "chip exports", "shipbuilder", "올빼미", "Kim Ji-won"} {
		b.Run(text, func(b *testing.B) {
			var hits int
			c0 := cpuTime()
			for b.Loop() {
				res, err := s.Search(context.Background(), news.SearchQuery{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				hits = res.Total
			}
			b.ReportMetric(float64(hits), "hits")
			// CPU time is the figure to compare on a shared machine: the
			// wall time per search grows with everyone else's load.
			b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkReaderBySession(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchReaderBySession(b, s)
}

func BenchmarkReplaceBilingual(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchReplaceBilingual(b, s)
}

func BenchmarkComments(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchComments(b, s)
}

func BenchmarkArticleByID(b *testing.B) {
	s, _ := benchOpen(b)
	storetest.BenchArticleByID(b, s)
}

func BenchmarkListVisibleAfter(b *testing.B) {
	s, _ := benchOpen(b)
	storetest.BenchListVisibleAfter(b, s)
}

// BenchmarkTrackerIndex: the tracker's indexer over the generated paper,
// from empty (go test -run '^$' -bench TrackerIndex -benchtime 3x).
func BenchmarkTrackerIndex(b *testing.B) {
	s, _ := benchOpen(b)
	storetest.BenchTrackerIndex(b, s, func(ctx context.Context) error {
		for _, q := range storetest.TrackerResetSQL {
			if _, err := s.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
