package tracker

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"

	"byline/internal/news"
)

// A year of weeks with five phrases and peak labels stays under 15 KB
// (as an image, and drawn in the page with its bucket links),
// is well-formed XML, and names itself for assistive technology.
func TestChartSize(t *testing.T) {
	ps, err := news.ParseTrackerPhrases([]string{"self-reliance", "자력갱생", "economic plan", "harvest", "party congress"})
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Phrases: ps, Interval: news.IntervalWeek, Measure: news.MeasureOccurrences, Buckets: 52}
	r := Result{Query: q, Buckets: Buckets(q.Interval, 52, news.DayOf(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), time.UTC)), Generated: time.Now()}
	for si, p := range ps {
		s := Series{Phrase: p, Points: make([]Point, 52)}
		for i := range s.Points {
			s.Points[i] = Point{Occurrences: (i*7 + si*13) % 97, Value: float64((i*7 + si*13) % 97)}
		}
		r.Series = append(r.Series, s)
	}
	peaks := r.PeakBuckets()
	for i := range peaks {
		peaks[i].Headline = "A rather long headline about the harvest and the plenum"
	}
	for _, links := range []bool{false, true} {
		o := ChartOptions{Title: "Five phrases", Peaks: peaks}
		if links {
			o.BucketURL = func(b Bucket) string {
				return "?bucket=" + b.Start.Date().Format("2006-01-02") + "#articles" // as on /tracker/{slug}
			}
		}
		svg := Chart(r, o)
		if len(svg) > 15<<10 {
			t.Errorf("chart (bucket links %v) is %d bytes, want at most 15 KB", links, len(svg))
		}
		if err := xml.Unmarshal(svg, new(struct{})); err != nil {
			t.Errorf("not well-formed XML: %v", err)
		}
		for _, want := range []string{`<title id="trk-title">Five phrases</title>`, `<desc id="trk-desc">`, `aria-labelledby="trk-title trk-desc"`} {
			if !bytes.Contains(svg, []byte(want)) {
				t.Errorf("chart lacks %s", want)
			}
		}
		t.Logf("links %v: %d bytes", links, len(svg))
	}
}
