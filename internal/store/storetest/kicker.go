package storetest

import (
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("ArticleKicker", testKicker) }

// testKicker: the kicker (a plain field, declared by its tag only) is
// written on create and update and read back by the page's read, the
// lists and the Content API's paging; a kicker that breaks its rules is
// refused with the field named, and the stored one is kept.
func testKicker(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := news.Article{SectionID: f.Politics.ID, Headline: "Rates held again", Kicker: "  Analysis ", Body: "Text.", BodyText: "Text.",
		Status: news.StatusPublished, PublishedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)}
	must(t, s.CreateArticle(ctx, &a))
	got, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if got.Kicker != "Analysis" {
		t.Errorf("kicker read back = %q, want %q (trimmed)", got.Kicker, "Analysis")
	}
	page, err := s.ListArticles(ctx, news.ArticleQuery{SectionIDs: []int64{f.Politics.ID}})
	must(t, err)
	if len(page.Articles) != 1 || page.Articles[0].Kicker != "Analysis" || page.Articles[0].Headline != "Rates held again" {
		t.Errorf("listed %+v, want the article with kicker Analysis", page.Articles)
	}
	visible, err := s.ListVisibleAfter(ctx, news.CursorQuery{Limit: 10})
	must(t, err)
	if len(visible) != 1 || visible[0].Kicker != "Analysis" {
		t.Errorf("ListVisibleAfter = %+v, want the article with kicker Analysis", visible)
	}

	got.Kicker = "팩트체크" // Korean counts in characters, not bytes
	must(t, s.UpdateArticle(ctx, &got))
	again, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if again.Kicker != "팩트체크" || again.Headline != "Rates held again" {
		t.Errorf("after update: kicker %q headline %q, want 팩트체크 and the headline kept", again.Kicker, again.Headline)
	}
	again.Kicker = strings.Repeat("가", 40)
	must(t, s.UpdateArticle(ctx, &again))

	for _, bad := range []string{strings.Repeat("k", 41), strings.Repeat("가", 41), "Two\nlines", "Tab\there", "Nul\x00", "bad \xff"} {
		edit, err := s.ArticleByID(ctx, a.ID)
		must(t, err)
		edit.Kicker = bad
		err = s.UpdateArticle(ctx, &edit)
		if news.KindOf(err) != news.KindInvalid {
			t.Errorf("kicker %q: err %v, want invalid", bad, err)
			continue
		}
		if e, ok := err.(*news.Error); !ok || e.Field != "kicker" {
			t.Errorf("kicker %q: err %#v, want one naming the kicker", bad, err)
		}
		kept, err := s.ArticleByID(ctx, a.ID)
		must(t, err)
		if kept.Kicker != strings.Repeat("가", 40) {
			t.Errorf("after refused kicker %q: stored %q, want the old one kept", bad, kept.Kicker)
		}
		create := news.Article{SectionID: f.Politics.ID, Headline: "Another", Kicker: bad}
		if err := s.CreateArticle(ctx, &create); news.KindOf(err) != news.KindInvalid {
			t.Errorf("create with kicker %q: err %v, want invalid", bad, err)
		}
	}
	// An article written without one has none.
	plain := Publish(t, s, f.Business, "No label", "Text.", time.Hour, nil)
	if got, err := s.ArticleByID(ctx, plain.ID); err != nil || got.Kicker != "" {
		t.Errorf("article without a kicker reads %q (%v), want empty", got.Kicker, err)
	}
}
