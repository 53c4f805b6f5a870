// Package tracker owns the term tracker: how often phrases appear in the
// archive per day, week or month (series, shares, spikes), its SVG chart,
// CSV and JSON exports, the pages that show them in /admin and to
// readers, and the background work that keeps the index current and
// announces spikes. Counting is storage's (news.TrackerStore); this
// package turns day counts into buckets.
package tracker

import (
	"context"
	"fmt"
	"math"
	"time"

	"byline/internal/news"
)

// Query is a tracker question.
type Query struct {
	Phrases  []news.TrackerPhrase
	Scope    news.TrackerScope
	Interval news.TrackerInterval
	Measure  news.TrackerMeasure
	Share    bool
	Buckets  int
	// ScopeName is the scope as people read it ("Section: Politics").
	ScopeName string
	// Editor counts what readers cannot see yet (embargoed, dated ahead).
	Editor bool
}

// QueryOf is a saved tracker's query.
func QueryOf(t news.Tracker) (Query, error) {
	ps, err := news.ParseTrackerPhrases(t.Phrases)
	if err != nil {
		return Query{}, err
	}
	return Query{Phrases: ps, Scope: t.Scope, Interval: t.Interval, Measure: t.Measure, Share: t.Share, Buckets: t.Buckets}, nil
}

// Bucket is one day, week or month.
type Bucket struct {
	Start, End news.TrackerDay // End exclusive
	// Partial: the bucket is still running (it holds today), drawn
	// dashed.
	Partial bool
	// Total is every article readers (or editors) could see in the scope.
	Total int
}

// Label names a bucket: 2026-12-05, week of 2026-11-30, 2026-12.
func (b Bucket) Label(iv news.TrackerInterval) string {
	d := b.Start.Date()
	switch iv {
	case news.IntervalMonth:
		return d.Format("2006-01")
	case news.IntervalWeek:
		return "week of " + d.Format("2006-01-02")
	}
	return d.Format("2006-01-02")
}

// Point is one phrase in one bucket.
type Point struct {
	Articles    int
	Occurrences int
	// Value is what is drawn: the measure as a count or, with Share, per
	// 100 articles of the bucket.
	Value float64
}

// Series is one phrase over every bucket.
type Series struct {
	Phrase news.TrackerPhrase
	Points []Point
}

// Result is a tracker's answer.
type Result struct {
	Query     Query
	Buckets   []Bucket
	Series    []Series
	Generated time.Time
}

// Unit says what Value is.
func (q Query) Unit() string {
	switch {
	case q.Share && q.Measure == news.MeasureOccurrences:
		return "occurrences per 100 articles"
	case q.Share:
		return "% of articles"
	case q.Measure == news.MeasureOccurrences:
		return "occurrences"
	}
	return "articles"
}

// Validate checks a query.
func (q *Query) Validate() error {
	if len(q.Phrases) == 0 {
		return news.Invalid("phrases", "give at least one phrase to track")
	}
	if err := q.Interval.Validate(); err != nil {
		return err
	}
	if err := q.Measure.Validate(); err != nil {
		return err
	}
	if q.Buckets <= 0 || q.Buckets > news.MaxTrackerBuckets {
		return news.Invalid("buckets", "between 1 and %d buckets", news.MaxTrackerBuckets)
	}
	return q.Scope.Validate()
}

// bucketStart is the first day of the bucket holding day d.
func bucketStart(iv news.TrackerInterval, d news.TrackerDay) news.TrackerDay {
	t := d.Date()
	switch iv {
	case news.IntervalWeek:
		// Weeks start on Monday.
		wd := (int(t.Weekday()) + 6) % 7
		return d - news.TrackerDay(wd)
	case news.IntervalMonth:
		return news.DayOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), time.UTC)
	}
	return d
}

// nextStart is the first day of the bucket after the one starting at s.
func nextStart(iv news.TrackerInterval, s news.TrackerDay) news.TrackerDay {
	switch iv {
	case news.IntervalWeek:
		return s + 7
	case news.IntervalMonth:
		t := s.Date()
		return news.DayOf(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC), time.UTC)
	}
	return s + 1
}

// Buckets are the n buckets that end with the one holding today.
func Buckets(iv news.TrackerInterval, n int, today news.TrackerDay) []Bucket {
	starts := make([]news.TrackerDay, n)
	s := bucketStart(iv, today)
	for i := n - 1; i >= 0; i-- {
		starts[i] = s
		s = bucketStart(iv, s-1)
	}
	out := make([]Bucket, n)
	for i, s := range starts {
		out[i] = Bucket{Start: s, End: nextStart(iv, s)}
	}
	// The bucket holding today is still running (today itself is).
	out[n-1].Partial = true
	return out
}

// Run answers a query: one count query per phrase and one totals query.
func Run(ctx context.Context, st news.TrackerStore, q Query, now time.Time, loc *time.Location) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	today := news.DayOf(now, loc)
	bs := Buckets(q.Interval, q.Buckets, today)
	cq := news.TrackerCountQuery{Phrases: q.Phrases, Scope: q.Scope, From: bs[0].Start, To: today + 1, Now: now, Editor: q.Editor}
	counts, err := st.TrackerCounts(ctx, cq)
	if err != nil {
		return Result{}, err
	}
	totals, err := st.TrackerTotals(ctx, cq)
	if err != nil {
		return Result{}, err
	}
	// Days are in order: walk them into buckets.
	find := func(d news.TrackerDay) int {
		lo, hi := 0, len(bs)
		for lo < hi {
			m := (lo + hi) / 2
			if bs[m].End <= d {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < len(bs) && bs[lo].Start <= d {
			return lo
		}
		return -1
	}
	for _, t := range totals {
		if i := find(t.Day); i >= 0 {
			bs[i].Total += t.Articles
		}
	}
	res := Result{Query: q, Buckets: bs, Generated: now.UTC()}
	for pi, p := range q.Phrases {
		s := Series{Phrase: p, Points: make([]Point, len(bs))}
		for _, c := range counts[pi] {
			if i := find(c.Day); i >= 0 {
				s.Points[i].Articles += c.Articles
				s.Points[i].Occurrences += c.Occurrences
			}
		}
		for i := range s.Points {
			s.Points[i].Value = q.value(s.Points[i], bs[i].Total)
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

func (q Query) value(p Point, total int) float64 {
	v := float64(p.Articles)
	if q.Measure == news.MeasureOccurrences {
		v = float64(p.Occurrences)
	}
	if !q.Share {
		return v
	}
	if total == 0 {
		return 0
	}
	// Rounded as it is printed, so that exports and the chart agree.
	return math.Round(v*100/float64(total)*100) / 100
}

// FormatValue prints a value as the table, exports and labels do.
func FormatValue(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
