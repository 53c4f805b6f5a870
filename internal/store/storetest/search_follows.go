package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

// Search follows every change of what it reads, whatever table an engine
// answers it from (PostgreSQL's article_search is kept by trigger): a new
// headline, a move to another section, a return to draft, an embargo, a
// renamed author.
func init() { register("SearchFollowsEdits", testSearchFollowsEdits) }

func testSearchFollowsEdits(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Quokka census begins", "Rangers counted the animals on the island.", time.Hour, nil, f.Kim)
	find := func(text string, filter news.SearchQuery) bool {
		t.Helper()
		filter.Text, filter.Limit = text, 50
		res, err := s.Search(ctx, filter)
		must(t, err)
		for _, h := range res.Hits {
			if h.Article.ID == a.ID {
				return true
			}
		}
		return false
	}
	step := func(what string, checks map[string]bool, filter news.SearchQuery) {
		t.Helper()
		for text, want := range checks {
			if got := find(text, filter); got != want {
				t.Errorf("%s: search %q finds the article = %v, want %v", what, text, got, want)
			}
		}
	}
	step("published", map[string]bool{"quokka": true, "wallaby": false, "rangers": true}, news.SearchQuery{})
	step("published, its section", map[string]bool{"quokka": true}, news.SearchQuery{SectionIDs: []int64{f.Politics.ID}})

	a.Headline, a.BodyText, a.SectionID = "Wallaby census begins", "Rangers counted the animals on the coast.", f.Business.ID
	must(t, s.UpdateArticle(ctx, &a))
	step("headline edited", map[string]bool{"quokka": false, "wallaby": true}, news.SearchQuery{})
	step("moved, old section", map[string]bool{"wallaby": false}, news.SearchQuery{SectionIDs: []int64{f.Politics.ID}})
	step("moved, new section", map[string]bool{"wallaby": true}, news.SearchQuery{SectionIDs: []int64{f.Business.ID}})

	a.Status = news.StatusDraft
	must(t, s.UpdateArticle(ctx, &a))
	step("back to draft", map[string]bool{"wallaby": false}, news.SearchQuery{})

	a.Status, a.EmbargoUntil = news.StatusPublished, time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	must(t, s.UpdateArticle(ctx, &a))
	step("under embargo", map[string]bool{"wallaby": false}, news.SearchQuery{})
	step("after the embargo", map[string]bool{"wallaby": true}, news.SearchQuery{Now: time.Now().Add(2 * time.Hour)})

	a.EmbargoUntil = time.Time{}
	must(t, s.UpdateArticle(ctx, &a))
	kim := f.Kim
	kim.Name = "Park Min-seo"
	must(t, s.UpdateAuthor(ctx, &kim))
	step("author renamed", map[string]bool{"wallaby": true, "Park Min-seo": true}, news.SearchQuery{})
}
