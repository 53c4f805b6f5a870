package tracker

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strconv"
	"testing"
	"time"

	"byline/internal/news"
)

// The phone layout of the chart: the same size limit as the wide one
// (a year of weeks, five phrases, peaks, bucket links: at most 15 KB),
// 380 units wide so that it is drawn near 1:1 on a phone, no font size
// under 12, ids of its own (a page holds both charts), and the five
// phrases' legend wrapped inside the width.
func TestChartNarrow(t *testing.T) {
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
	svg := Chart(r, ChartOptions{Title: "Five phrases", Peaks: peaks, Narrow: true,
		BucketURL: func(b Bucket) string { return "?bucket=" + b.Start.Date().Format("2006-01-02") + "#articles" }})
	if len(svg) > 15<<10 {
		t.Errorf("narrow chart is %d bytes, want at most 15 KB", len(svg))
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Errorf("not well-formed XML: %v", err)
	}
	for _, want := range []string{`viewBox="0 0 380 `, `<title id="trkn-title">Five phrases</title>`, `<desc id="trkn-desc">occurrences per week`, `aria-labelledby="trkn-title trkn-desc"`, `href="#trkn-b"`, `class="tracker-chart-narrow"`} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("narrow chart lacks %s", want)
		}
	}
	if bytes.Contains(svg, []byte(`id="trk-`)) {
		t.Error("narrow chart uses the wide chart's ids")
	}
	for _, m := range regexp.MustCompile(`font-size="(\d+)"`).FindAllSubmatch(svg, -1) {
		if n, _ := strconv.Atoi(string(m[1])); n < 12 {
			t.Errorf("font-size %d in the narrow chart, want >= 12", n)
		}
	}
	// Legend entries start inside the width (five phrases take lines).
	legend := regexp.MustCompile(`d="M(\d+) (\d+)h24"`).FindAllSubmatch(svg, -1)
	if len(legend) != 5 {
		t.Fatalf("legend entries: %d, want 5", len(legend))
	}
	lines := map[string]bool{}
	for _, m := range legend {
		if x, _ := strconv.Atoi(string(m[1])); x+30 > 380-12 {
			t.Errorf("legend entry at x=%d: outside the chart", x)
		}
		lines[string(m[2])] = true
	}
	if len(lines) < 2 {
		t.Errorf("the legend is on %d line; five phrases do not fit one line 380 wide", len(lines))
	}
	t.Logf("%d bytes, legend on %d lines", len(svg), len(lines))
}
