package storetest

import (
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("TagsKeepCaseMatchAnyCase", testTagCase) }

// testTagCase: a tag keeps the case the editor wrote ("Seoul") for
// display, while lists, the tag filter and the tag counts match it in any
// case ("seoul", "SEOUL" are the same tag).
func testTagCase(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Capital story", "a", time.Hour, []string{"Seoul", "Han  River"})
	Publish(t, s, f.Politics, "Lowercase story", "b", 2*time.Hour, []string{"seoul"})
	Publish(t, s, f.Business, "Other story", "c", 3*time.Hour, []string{"Busan"})
	got, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if strings.Join(got.Tags, "|") != "Seoul|Han River" {
		t.Errorf("tags read back = %q, want Seoul|Han River (case kept)", got.Tags)
	}
	for _, q := range []string{"seoul", "Seoul", "SEOUL", " seoul "} {
		page, err := s.ListArticles(ctx, news.ArticleQuery{Tag: q})
		must(t, err)
		if page.Total != 2 {
			t.Errorf("tag %q lists %d articles, want 2", q, page.Total)
		}
		if len(page.Articles) > 0 && strings.Join(page.Articles[0].Tags, "|") != "Seoul|Han River" {
			t.Errorf("tag %q: listed article's tags %q, want the case kept", q, page.Articles[0].Tags)
		}
	}
	if page, err := s.ListArticles(ctx, news.ArticleQuery{Tag: "han river"}); err != nil || page.Total != 1 {
		t.Errorf("tag 'han river' lists %d (%v), want 1", page.Total, err)
	}
	tags, err := s.ListTags(ctx, 10)
	must(t, err)
	if len(tags) != 3 || tags[0].Tag != "Seoul" || tags[0].Count != 2 {
		t.Errorf("tag counts = %+v, want Seoul(2) first, as one tag in any case", tags)
	}
	// Editing the case of a tag is a change that is kept.
	got.Tags = []string{"SEOUL"}
	must(t, s.UpdateArticle(ctx, &got))
	again, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if strings.Join(again.Tags, "|") != "SEOUL" {
		t.Errorf("tags after update = %q, want SEOUL", again.Tags)
	}
}
