// Command trackerbench measures the term tracker over a generated
// archive on both engines (bench/tracker.sh runs it):
//
//	trackerbench --n 100000 --data /tmp/byline-tracker-100000 --pg postgres://…
//
// It generates the archive (demo.Generate: sentences of the demo paper
// reshuffled, dates spread over a year; kept and reused), lets the
// tracker's indexer take it, then times tracker.Run, the whole question a
// chart asks (every phrase's day counts with both measures, and the
// totals for shares), for a weekly trend of 52 buckets: one two-word
// phrase, then five phrases at once. It prints p50 and p95 of cold runs
// (the kept day counts, tracker_counts, emptied before each: everything
// counted from the tracker's index) and of warm runs (counts kept), per
// engine.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/store/pgstore"
	"byline/internal/store/sqlitestore"
	"byline/internal/tracker"
)

func main() {
	n := flag.Int("n", 100000, "articles in the archive")
	data := flag.String("data", "", "directory of the SQLite archive (kept and reused; default /tmp/byline-tracker-N)")
	pgURL := flag.String("pg", "", "PostgreSQL database holding the same archive (bench/tracker.sh fills it with migrate-data); empty: SQLite only")
	withSQLite := flag.Bool("sqlite", true, "measure the SQLite archive")
	runs := flag.Int("runs", 40, "timed runs per case")
	flag.Parse()
	if *data == "" {
		*data = fmt.Sprintf("/tmp/byline-tracker-%d", *n)
	}
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Seoul")
	if loc == nil {
		loc = time.UTC
	}
	// The archive's clock: fixed, so that a kept archive means the same.
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

	if *withSQLite {
		st, err := sqlitestore.Open(ctx, filepath.Join(*data, "byline.db"))
		check(err)
		fill(ctx, "SQLite", st, *n, now, loc)
		measure(ctx, "SQLite", st, now, loc, *runs)
		st.Close()
	}
	if *pgURL == "" {
		return
	}
	ps, err := pgstore.Open(ctx, *pgURL)
	check(err)
	fill(ctx, "PostgreSQL", ps, *n, now, loc)
	measure(ctx, "PostgreSQL", ps, now, loc, *runs)
	ps.Close()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "trackerbench:", err)
		os.Exit(1)
	}
}

// fill generates the archive unless it has n articles, and indexes it.
func fill(ctx context.Context, engine string, st news.Store, n int, now time.Time, loc *time.Location) {
	have, err := st.CountArticles(ctx)
	check(err)
	if have != n {
		if have != 0 {
			check(fmt.Errorf("%s holds %d articles, not %d: remove it first", engine, have, n))
		}
		t0 := time.Now()
		check(demo.Generate(ctx, st, n, 15, now, 365*24*time.Hour, nil))
		fmt.Printf("%s: generated %d articles in %s\n", engine, n, time.Since(t0).Round(time.Second))
	}
	t0 := time.Now()
	total := 0
	for {
		k, err := st.IndexTrackerQueue(ctx, loc, 2000)
		check(err)
		if k == 0 {
			break
		}
		total += k
	}
	if total > 0 {
		fmt.Printf("%s: indexed %d articles for the tracker in %s (%.0f/s)\n", engine, total, time.Since(t0).Round(time.Second), float64(total)/time.Since(t0).Seconds())
	}
}

func measure(ctx context.Context, engine string, st news.Store, now time.Time, loc *time.Location, runs int) {
	cases := []struct {
		name    string
		phrases []string
	}{
		{"one two-word phrase", []string{"National Assembly"}},
		{"five phrases", []string{"National Assembly", "interest rates", "North Korea", "the government", "semiconductor"}},
	}
	for _, c := range cases {
		ps, err := news.ParseTrackerPhrases(c.phrases)
		check(err)
		q := tracker.Query{Phrases: ps, Interval: news.IntervalWeek, Measure: news.MeasureOccurrences, Share: true, Buckets: 52}
		// Cold: the kept day counts are emptied before each run, so every
		// run counts the whole year from the index. Warm: they are kept.
		var cold, took []time.Duration
		var res tracker.Result
		for i := 0; i < runs; i++ {
			_, err := st.(execer).Exec(ctx, `DELETE FROM tracker_counts`)
			check(err)
			t0 := time.Now()
			res, err = tracker.Run(ctx, st, q, now, loc)
			check(err)
			cold = append(cold, time.Since(t0))
		}
		for i := 0; i < runs; i++ {
			t0 := time.Now()
			res, err = tracker.Run(ctx, st, q, now, loc)
			check(err)
			took = append(took, time.Since(t0))
		}
		slices.Sort(cold)
		slices.Sort(took)
		arts, occ := 0, 0
		for _, s := range res.Series {
			for _, p := range s.Points {
				arts += p.Articles
				occ += p.Occurrences
			}
		}
		fmt.Printf("%-10s weekly, 52 buckets, %-20s cold p50 %7.1f ms  p95 %7.1f ms | warm p50 %7.1f ms  p95 %7.1f ms  (%d matching articles, %d occurrences)\n", engine, c.name+":",
			ms(cold[len(cold)/2]), ms(cold[len(cold)*95/100]), ms(took[len(took)/2]), ms(took[len(took)*95/100]), arts, occ)
	}
}

// execer is what both engines' stores offer to run a statement.
type execer interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
