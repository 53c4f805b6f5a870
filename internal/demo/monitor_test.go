package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
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

// The monitor columns are installments of a live running story that links
// the saved tracker.
func TestCampaignStory(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	if err := Load(ctx, st, Options{Now: now, Monitor: true}); err != nil {
		t.Fatal(err)
	}
	s, err := st.StoryBySlug(ctx, CampaignStorySlug)
	if err != nil || !s.Live || !strings.Contains(s.Summary, "(/tracker/self-reliance)") {
		t.Fatalf("campaign story: %+v %v; want live, its summary linking the tracker", s, err)
	}
	entries, err := st.StoryEntries(ctx, news.EntryQuery{StoryID: s.ID, Now: now, Newest: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cols, keys := 0, 0
	for _, e := range entries {
		if e.Article != nil && strings.HasPrefix(e.Article.Headline, "State media monitor") {
			cols++
		}
		if e.Kind == news.EntryKeyEvent {
			keys++
		}
	}
	if cols != MonitorArticles || len(entries) != MonitorArticles+4 || keys != 4 {
		t.Errorf("%d entries, %d monitor columns, %d key events; want %d, %d, 4", len(entries), cols, keys, MonitorArticles+4, MonitorArticles)
	}
	// A column's box is this story.
	box, err := st.StoryBoxOf(ctx, entries[len(entries)-1].ArticleID, now, 3)
	if err != nil || box.Story.ID != s.ID {
		t.Errorf("the oldest column's box is story %d (%v), want %d", box.Story.ID, err, s.ID)
	}
}
