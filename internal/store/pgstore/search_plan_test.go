package pgstore

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store"
	"byline/internal/store/storetest"
)

// searchFixture is a paper of 30 published articles, one an hour, with
// "harbor" in every one, "crane" in every third (in the headline of some),
// "tariff" in the two oldest; and, newer than all of them, a draft and an
// embargoed article with the same words, which search must never show.
func searchFixture(t *testing.T) (*Store, storetest.Fixture) {
	t.Helper()
	s, err := OpenConfig(context.Background(), freshSchema(t, "byline_plan"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := storetest.Seed(t, s)
	for i := range 30 {
		head, body := fmt.Sprintf("Port report %d", i), "The harbor was busy this morning."
		if i%3 == 0 {
			body += " A new crane arrived."
		}
		if i%6 == 0 {
			head = fmt.Sprintf("Crane news %d", i)
		}
		if i >= 28 {
			body += " The tariff talks went on."
		}
		storetest.Publish(t, s, f.Business, head, body, time.Duration(i+1)*time.Hour, nil)
	}
	ctx := context.Background()
	for _, a := range []news.Article{
		{SectionID: f.Business.ID, Headline: "Crane draft", Body: "harbor crane tariff", BodyText: "harbor crane tariff", Status: news.StatusDraft},
		{SectionID: f.Business.ID, Headline: "Crane embargoed", Body: "harbor crane tariff", BodyText: "harbor crane tariff", Status: news.StatusPublished,
			PublishedAt: time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond), EmbargoUntil: time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)},
	} {
		if err := s.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	return s, f
}

type hitKey struct {
	id   int64
	rank float64
}

func searchKeys(t *testing.T, s *Store, text string) ([]hitKey, int, bool) {
	t.Helper()
	res, err := s.Search(context.Background(), news.SearchQuery{Text: text, Limit: 20})
	if err != nil {
		t.Fatalf("search %q (walk %d): %v", text, s.searchTest.walk, err)
	}
	var keys []hitKey
	for _, h := range res.Hits {
		if h.Article.Headline == "Crane draft" || h.Article.Headline == "Crane embargoed" {
			t.Errorf("search %q (walk %d) shows %q", text, s.searchTest.walk, h.Article.Headline)
		}
		keys = append(keys, hitKey{h.Article.ID, h.Rank})
	}
	return keys, res.Total, res.TotalIsLowerBound
}

// The walk from the newest and the GIN index find the same newest
// matches, so a search's hits, ranks and total do not depend on the path
// walkBound picks, nor on a walk too short that hands over to the index.
func TestSearchWalkAndIndexAgree(t *testing.T) {
	s, f := searchFixture(t)
	ctx := context.Background()
	// The commonest lexemes and their masks (a new database has none).
	if err := s.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	var common int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM search_common WHERE lexeme IN ('harbor', 'crane')`).Scan(&common); err != nil || common != 2 {
		t.Fatalf("search_common has %d of harbor, crane (%v), want both", common, err)
	}
	s.searchTest.candidates = 5
	agree := func(when string) {
		t.Helper()
		for _, q := range []string{"harbor", "crane", "harbor crane", "tariff", "harbor tariff", "crane news", "nowhere"} {
			s.searchTest.walk, s.searchTest.noMasks = -1, false
			want, wantTotal, wantLower := searchKeys(t, s, q)
			for _, walk := range []int{1, 4, 12, 1000} {
				for _, noMasks := range []bool{false, true} {
					s.searchTest.walk, s.searchTest.noMasks = walk, noMasks
					got, total, lower := searchKeys(t, s, q)
					if fmt.Sprint(got) != fmt.Sprint(want) || total != wantTotal || lower != wantLower {
						t.Errorf("%s, %q: walk %d (masks %v) found %v (total %d, lower bound %v), the index %v (total %d, %v)",
							when, q, walk, !noMasks, got, total, lower, want, wantTotal, wantLower)
					}
				}
			}
		}
	}
	agree("after TidySearch")
	// An article written after the rebuild is masked by the trigger; one
	// taken back to draft leaves the masked walk too.
	fresh := storetest.Publish(t, s, f.Business, "Crane at the harbor", "A second crane, and the tariff.", time.Minute, nil)
	agree("after a new article")
	s.searchTest.walk, s.searchTest.noMasks = 1000, false
	if got, _, _ := searchKeys(t, s, "harbor crane tariff"); len(got) == 0 || got[0].id != fresh.ID {
		t.Errorf("masked walk for the new article: %v, want %d first", got, fresh.ID)
	}
	fresh.Status = news.StatusDraft
	if err := s.UpdateArticle(ctx, &fresh); err != nil {
		t.Fatal(err)
	}
	agree("after taking it back to draft")
	if got, _, _ := searchKeys(t, s, "harbor crane tariff"); len(got) != 0 && got[0].id == fresh.ID {
		t.Errorf("masked walk shows the draft: %v", got)
	}
	// What the index path finds is right: of "crane"'s 10 articles the 6
	// newest are ranked (5 candidates and one to tell there are more: ages
	// 1, 4, … 16 hours), the three with the word in the headline first.
	s.searchTest.walk = -1
	res, err := s.Search(context.Background(), news.SearchQuery{Text: "crane"})
	if err != nil {
		t.Fatal(err)
	}
	var heads []string
	for _, h := range res.Hits {
		heads = append(heads, h.Article.Headline)
	}
	if want := "[Crane news 0 Crane news 6 Crane news 12 Port report 3 Port report 9 Port report 15]"; fmt.Sprint(heads) != want || res.Total != 5 || !res.TotalIsLowerBound {
		t.Errorf("crane: %v (total %d, lower bound %v), want %s (5, true)", heads, res.Total, res.TotalIsLowerBound, want)
	}
}

// Each path reads only what it needs: a walk that finds enough never
// touches the GIN index, and bound 0 never walks (the gates of
// newestMatches). Read from EXPLAIN ANALYZE of the statement Search runs.
func TestSearchPathGates(t *testing.T) {
	s, _ := searchFixture(t)
	if err := s.TidySearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.searchTest.candidates = 5
	for _, c := range []struct {
		walk                    int
		noMasks                 bool
		masked, walked, indexed bool
	}{
		{walk: 1000, masked: true},                // 30 rows hold 10 cranes: enough
		{walk: 1000, noMasks: true, walked: true}, // the same down article_search
		{walk: 4, masked: true, indexed: true},    // 4 rows hold 2: hand over
		{walk: 4, noMasks: true, walked: true, indexed: true},
		{walk: -1, indexed: true},
	} {
		s.searchTest.walk, s.searchTest.noMasks = c.walk, c.noMasks
		st, ok := s.searchStatement(context.Background(), news.SearchQuery{Text: "crane", Limit: 10}, store.ParseSearch("crane"))
		if !ok {
			t.Fatal("no statement for crane")
		}
		var plan []map[string]any
		if err := s.pool.QueryRow(context.Background(), `EXPLAIN (ANALYZE, FORMAT JSON) `+st.sql, st.args...).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		// Loops of the scans of article_search and article_common under
		// each CTE (the GIN part may be a sequential scan on a table this
		// small).
		loops := map[string]float64{}
		var visit func(n map[string]any, cte string)
		visit = func(n map[string]any, cte string) {
			if name, ok := n["Subplan Name"].(string); ok {
				cte = name
			}
			if r := n["Relation Name"]; r == "article_search" || r == "article_common" {
				loops[cte] += n["Actual Loops"].(float64)
			}
			kids, _ := n["Plans"].([]any)
			for _, k := range kids {
				visit(k.(map[string]any), cte)
			}
		}
		visit(plan[0]["Plan"].(map[string]any), "")
		name := fmt.Sprintf("walk %d, masks %v", c.walk, !c.noMasks)
		for _, part := range []struct {
			cte  string
			want bool
		}{{"CTE masks", c.masked}, {"CTE walk", c.walked}, {"CTE gin", c.indexed}} {
			if got := loops[part.cte] > 0; got != part.want {
				t.Errorf("%s: %s read %v, want %v (scan loops per part: %v)", name, part.cte, got, part.want, loops)
			}
		}
	}
}

// walkBound reads the planner's statistics: after ANALYZE, a word in
// every article is walked for, back to about the 18th newest article
// (3 times the 6 wanted); two words, one in a third of the articles, all
// the way; a word in two of 32 goes to the index, as does a Korean term
// and a word the statistics do not know.
func TestSearchWalkBoundFromStatistics(t *testing.T) {
	s, _ := searchFixture(t)
	ctx := context.Background()
	k := 6
	bound := func(q string) (bool, time.Time) {
		p := s.walkBound(ctx, store.ParseSearch(q), k)
		return p.walk, p.since
	}
	// The fixture's table was never analyzed: no statistics, the index
	// for every word, until TidySearch (which an import runs) analyzes
	// it and has the statistics read again.
	if _, err := s.pool.Exec(ctx, `DELETE FROM pg_statistic WHERE starelid = 'article_search'::regclass`); err != nil {
		t.Fatal(err)
	}
	if walk, _ := bound("harbor"); walk {
		t.Error("harbor before ANALYZE: walks, want the index")
	}
	if err := s.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	walk, since := bound("harbor")
	var newer int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM article_search WHERE published_at >= $1`, since).Scan(&newer); err != nil {
		t.Fatal(err)
	}
	if !walk || since.IsZero() || newer < walkMargin*k || newer > walkMargin*k+3 {
		t.Errorf("harbor (every article): walk %v back to %v (%d rows), want a walk over about %d rows", walk, since, newer, walkMargin*k)
	}
	if walk, since := bound("harbor crane"); !walk || !since.IsZero() {
		t.Errorf("harbor crane (a third of articles): walk %v back to %v, want a walk over all", walk, since)
	}
	for _, q := range []string{"tariff", "harbor tariff", "올빼미", "harbor 올빼미", "nowhere", "the"} {
		if walk, _ := bound(q); walk {
			t.Errorf("%q: walks, want the index", q)
		}
	}
	sn := s.words.current(ctx, s)
	if math.Abs(sn.freq["harbor"]-1) > 0.01 || sn.rows < 30 || len(sn.dates) < 30 {
		t.Errorf("statistics: harbor %.3f over %.0f rows, %d date bounds; want 1 over at least 30, 30", sn.freq["harbor"], sn.rows, len(sn.dates))
	}
}
