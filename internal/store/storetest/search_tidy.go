package storetest

import (
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("SearchTidy", testSearchTidy) }

// testSearchTidy: TidySearch, which an import runs after writing many
// articles, leaves every search finding the same articles in the same
// order, and a later article is found as before; SearchUpkeep finds
// nothing to do right after it.
func testSearchTidy(t *testing.T, s news.Store) {
	f := Seed(t, s)
	for i := range 12 {
		Publish(t, s, f.Business, fmt.Sprintf("Harbor report %d", i), fmt.Sprintf("Cranes and ferries, day %d.", i), time.Duration(i+1)*time.Hour, nil)
	}
	ids := func(q string) string {
		t.Helper()
		res, err := s.Search(ctx, news.SearchQuery{Text: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, h := range res.Hits {
			out = append(out, h.Article.ID)
		}
		return fmt.Sprint(res.Total, out)
	}
	queries := []string{"harbor", "ferries day", "report 7", "nowhere"}
	before := map[string]string{}
	for _, q := range queries {
		before[q] = ids(q)
	}
	must(t, s.TidySearch(ctx))
	must(t, s.TidySearch(ctx)) // twice is harmless
	// Right after it, the hourly upkeep finds nothing to do.
	if ran, err := s.SearchUpkeep(ctx); err != nil || ran {
		t.Errorf("SearchUpkeep after TidySearch: ran %v, %v; want nothing done", ran, err)
	}
	for _, q := range queries {
		if got := ids(q); got != before[q] {
			t.Errorf("%q after TidySearch: %s, before: %s", q, got, before[q])
		}
	}
	late := Publish(t, s, f.Business, "Harbor closes", "A storm shut the harbor.", time.Minute, nil)
	res, err := s.Search(ctx, news.SearchQuery{Text: "storm"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Article.ID != late.ID {
		t.Errorf("a later article after TidySearch: %+v, %v", res.Hits, err)
	}
}
