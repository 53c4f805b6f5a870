package tracker

import (
	"context"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

func day(y int, m time.Month, d int) news.TrackerDay {
	return news.DayOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC), time.UTC)
}

func TestBuckets(t *testing.T) {
	today := day(2026, 12, 5) // a Saturday
	w := Buckets(news.IntervalWeek, 3, today)
	if w[2].Start != day(2026, 11, 30) || w[2].End != day(2026, 12, 7) || !w[2].Partial || w[0].Start != day(2026, 11, 16) || w[1].Partial {
		t.Errorf("weeks = %+v", w)
	}
	m := Buckets(news.IntervalMonth, 13, today)
	if m[0].Start != day(2025, 12, 1) || m[12].Start != day(2026, 12, 1) || m[12].End != day(2027, 1, 1) || m[11].End != m[12].Start {
		t.Errorf("months = %+v", m)
	}
	d := Buckets(news.IntervalDay, 2, today)
	if d[1].Start != today || d[1].End != today+1 || !d[1].Partial || d[0].Partial {
		t.Errorf("days = %+v, want today's bucket running", d)
	}
}

// A flat series of Poisson noise raises no alert; a real spike does; a
// phrase that appears after a silent baseline is "new".
func TestSpikes(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2026))
	for _, lambda := range []float64{3, 10, 40} {
		// A year of weeks: no alert.
		series := make([]float64, 52)
		for i := range series {
			series[i] = float64(poisson(rng, lambda))
		}
		for i := range series {
			if sp, ok := SpikeAt(series, i); ok {
				t.Errorf("Poisson noise (λ=%v): bucket %d %v flagged (z %.2f) against %v", lambda, i, series[i], sp.Z, series[max(0, i-Baseline):i])
			}
		}
		series = append(series, lambda*3+6)
		if _, ok := SpikeAt(series, len(series)-1); !ok {
			t.Errorf("a jump to %v after noise of λ=%v was not flagged", lambda*3+6, lambda)
		}
		// Over a long run, false alarms stay rarer than one in 500
		// buckets (ten years of days).
		long := make([]float64, 3650)
		for i := range long {
			long[i] = float64(poisson(rng, lambda))
		}
		alerts := 0
		for i := range long {
			if _, ok := SpikeAt(long, i); ok {
				alerts++
			}
		}
		if alerts > len(long)/500 {
			t.Errorf("Poisson noise (λ=%v): %d alerts in %d buckets, want at most %d", lambda, alerts, len(long), len(long)/500)
		}
	}
	silent := []float64{0, 0, 0, 0, 0, 0, 0, 0, 2}
	if sp, ok := SpikeAt(silent, 8); !ok || !sp.New {
		t.Errorf("after a zero baseline: %+v %v, want new", sp, ok)
	}
	if _, ok := SpikeAt(silent, 7); ok {
		t.Errorf("a zero after zeros flagged")
	}
}

func poisson(rng *rand.Rand, lambda float64) int {
	// Knuth's method; fine for small lambda, and for 40 in a test.
	l, k, p := mathExp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func openStore(t *testing.T) news.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Run folds day counts into weeks, and shares divide by the totals.
func TestRunWeeks(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	sec := news.Section{Name: "North Korea"}
	if err := s.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	put := func(at time.Time, body string) {
		a := news.Article{SectionID: sec.ID, Headline: "Report", Body: body, BodyText: body, Status: news.StatusPublished, PublishedAt: at}
		if err := s.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	// This week (from Monday 30 November): 2 of 4 articles, 3 times.
	put(now.Add(-time.Hour), "self-reliance, self-reliance")
	put(now.Add(-24*time.Hour), "Self reliance")
	put(now.Add(-48*time.Hour), "nothing")
	put(now.Add(-72*time.Hour), "nothing")
	// Last week: 1 of 1.
	put(now.Add(-7*24*time.Hour), "self-reliance")
	svc := &Service{Store: s, Loc: time.UTC}
	if _, err := svc.IndexOnce(ctx); err != nil {
		t.Fatal(err)
	}
	ps, _ := news.ParseTrackerPhrases([]string{"self-reliance"})
	q := Query{Phrases: ps, Interval: news.IntervalWeek, Measure: news.MeasureArticles, Share: true, Buckets: 3}
	res, err := Run(ctx, s, q, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Series[0].Points
	if res.Buckets[2].Total != 4 || p[2].Articles != 2 || p[2].Occurrences != 3 || p[2].Value != 50 {
		t.Errorf("this week: total %d, %+v; want 4 articles, 2 containing, 3 occurrences, 50%%", res.Buckets[2].Total, p[2])
	}
	if res.Buckets[1].Total != 1 || p[1].Value != 100 || p[0].Value != 0 {
		t.Errorf("earlier weeks: %+v %+v", res.Buckets, p)
	}
	q.Share, q.Measure = false, news.MeasureOccurrences
	res, err = Run(ctx, s, q, now, time.UTC)
	if err != nil || res.Series[0].Points[2].Value != 3 {
		t.Errorf("occurrences this week = %+v, %v; want 3", res.Series[0].Points, err)
	}
	q.Buckets = 0
	if _, err := Run(ctx, s, q, now, time.UTC); news.KindOf(err) != news.KindInvalid {
		t.Errorf("0 buckets: %v, want invalid", err)
	}
}

func mathExp(x float64) float64 { return math.Exp(x) }

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
