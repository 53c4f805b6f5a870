package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
	"byline/internal/testutil"
)

func TestVisibilityChanged(t *testing.T) {
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := storetest.Seed(t, st)
	now := time.Now()
	a := news.Article{SectionID: f.Politics.ID, Headline: "Embargoed", Status: news.StatusPublished,
		PublishedAt: now.Add(-time.Hour), EmbargoUntil: now.Add(30 * time.Second)}
	if err := st.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		since, until time.Time
		want         bool
	}{
		{"before the embargo ends", now, now.Add(10 * time.Second), false},
		{"across the embargo's end", now.Add(10 * time.Second), now.Add(40 * time.Second), true},
		{"across the publication time", now.Add(-2 * time.Hour), now.Add(-30 * time.Minute), true},
		{"after everything", now.Add(time.Minute), now.Add(2 * time.Minute), false},
	} {
		got, err := st.VisibilityChanged(ctx, c.since, c.until)
		if err != nil || got != c.want {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestClockTick(t *testing.T) {
	app := testutil.NewApp(t)
	s := app.Server
	ctx := context.Background()
	f := storetest.Seed(t, app.Store)
	base := time.Date(2026, 11, 29, 10, 5, 0, 0, time.UTC)
	c := server.NewClockForTest(base)

	if s.ClockTickForTest(ctx, c, base.Add(5*time.Second)) {
		t.Error("nothing happened, yet the tick said the pages are stale")
	}
	// An embargo that ends between two ticks makes pages stale.
	a := news.Article{SectionID: f.Politics.ID, Headline: "Embargoed", Status: news.StatusPublished,
		PublishedAt: base.Add(-time.Hour), EmbargoUntil: base.Add(7 * time.Second)}
	if err := app.Store.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if !s.ClockTickForTest(ctx, c, base.Add(10*time.Second)) {
		t.Error("an embargo passed, but the tick kept the pages")
	}
	// The hour turning (the masthead's date) makes pages stale.
	if !s.ClockTickForTest(ctx, c, base.Add(55*time.Minute+1)) {
		t.Error("the hour turned, but the tick kept the pages")
	}
	// A comment marks counts stale; lists refresh at most once a minute.
	now := base.Add(56 * time.Minute)
	s.Notify(ctx, news.Change{Kind: news.ChangeComments, ArticleID: a.ID})
	if s.ClockTickForTest(ctx, c, now) {
		t.Error("counts refreshed less than a minute after the last refresh")
	}
	if !s.ClockTickForTest(ctx, c, now.Add(time.Minute)) {
		t.Error("comment counts were not refreshed after a minute")
	}
	if s.ClockTickForTest(ctx, c, now.Add(time.Minute+5*time.Second)) {
		t.Error("counts refreshed again with no new comment")
	}
}
