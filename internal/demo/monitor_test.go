package demo

import (
	"context"
	"testing"
	"time"

	"byline/internal/tracker"
)

// The demo's monitor columns give the saved tracker a rising trend and a
// burst at the plenum; Korean mentions inside longer words count.
func TestMonitorTrend(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	if err := Load(ctx, st, Options{Now: now, Monitor: true}); err != nil {
		t.Fatal(err)
	}
	n, err := st.CountArticles(ctx)
	if err != nil || n < MonitorArticles+25 {
		t.Fatalf("%d articles (%v)", n, err)
	}
	tr, err := st.TrackerBySlug(ctx, "self-reliance")
	if err != nil || !tr.Published {
		t.Fatalf("saved tracker: %+v %v", tr, err)
	}
	for {
		k, err := st.IndexTrackerQueue(ctx, time.UTC, 500)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			break
		}
	}
	q, err := tracker.QueryOf(tr)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tracker.Run(ctx, st, q, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(si, from, to int) (s int) {
		for _, p := range res.Series[si].Points[from:to] {
			s += p.Occurrences
		}
		return
	}
	first, last := sum(0, 0, 13), sum(0, 40, 53)
	if last < 2*first || first == 0 {
		t.Errorf("self-reliance: %d in the first quarter, %d in the last; want a rising trend", first, last)
	}
	if ko := sum(1, 0, 53); ko == 0 {
		t.Errorf("자력갱생 never counted")
	}
	if sp := res.Spikes(); len(sp[0]) == 0 {
		t.Errorf("no spike at the plenum")
	}
}
