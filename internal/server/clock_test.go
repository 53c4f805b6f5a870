package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
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
