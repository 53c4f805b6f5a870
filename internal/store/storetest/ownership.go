package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

// RunOwnership checks that engines remember who created an article.
func RunOwnership(t *testing.T, open Opener) {
	s := open(t)
	t.Cleanup(func() { s.Close() })
	o := s
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Owned", "x", time.Hour, nil)
	if _, err := o.ArticleOwner(ctx, a.ID); news.KindOf(err) != news.KindNotFound {
		t.Errorf("owner of a new article: %v, want not found", err)
	}
	must(t, o.SetArticleOwner(ctx, a.ID, 7))
	must(t, o.SetArticleOwner(ctx, a.ID, 8))
	if got, err := o.ArticleOwner(ctx, a.ID); err != nil || got != 8 {
		t.Errorf("owner = %d, %v; want 8 (the last set)", got, err)
	}
	wantKind(t, o.SetArticleOwner(ctx, a.ID+1000, 7), news.KindNotFound)
}
