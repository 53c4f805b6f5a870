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
func searchFixture(t *testing.T) *Store {
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
	return s
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
	s := searchFixture(t)
	s.searchTest.candidates = 5
	for _, q := range []string{"harbor", "crane", "harbor crane", "tariff", "harbor tariff", "crane news", "nowhere"} {
		s.searchTest.walk = -1
		want, wantTotal, wantLower := searchKeys(t, s, q)
		for _, walk := range []int{1, 4, 12, 1000} {
			s.searchTest.walk = walk
			got, total, lower := searchKeys(t, s, q)
			if fmt.Sprint(got) != fmt.Sprint(want) || total != wantTotal || lower != wantLower {
				t.Errorf("%q: walk %d found %v (total %d, lower bound %v), the index %v (total %d, %v)",
					q, walk, got, total, lower, want, wantTotal, wantLower)
			}
		}
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
	s := searchFixture(t)
	s.searchTest.candidates = 5
	for _, c := range []struct {
		walk            int
		walked, indexed bool
	}{
		{walk: 1000, walked: true, indexed: false}, // 30 rows hold 10 cranes: enough
		{walk: 4, walked: true, indexed: true},     // 4 rows hold 2: hand over
		{walk: -1, walked: false, indexed: true},
	} {
		s.searchTest.walk = c.walk
		st, ok := s.searchStatement(context.Background(), news.SearchQuery{Text: "crane", Limit: 10}, store.ParseSearch("crane"))
		if !ok {
			t.Fatal("no statement for crane")
		}
		var plan []map[string]any
		if err := s.pool.QueryRow(context.Background(), `EXPLAIN (ANALYZE, FORMAT JSON) `+st.sql, st.args...).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		// Loops of the scans of article_search under each CTE (the GIN
		// part may be a sequential scan on a table this small).
		loops := map[string]float64{}
		var visit func(n map[string]any, cte string)
		visit = func(n map[string]any, cte string) {
			if name, ok := n["Subplan Name"].(string); ok {
				cte = name
			}
			if n["Relation Name"] == "article_search" {
				loops[cte] += n["Actual Loops"].(float64)
			}
			kids, _ := n["Plans"].([]any)
			for _, k := range kids {
				visit(k.(map[string]any), cte)
			}
		}
		visit(plan[0]["Plan"].(map[string]any), "")
		if got := loops["CTE walk"] > 0; got != c.walked {
			t.Errorf("walk %d: walked %v, want %v (scan loops per part: %v)", c.walk, got, c.walked, loops)
		}
		if got := loops["CTE gin"] > 0; got != c.indexed {
			t.Errorf("walk %d: read the index %v, want %v (scan loops per part: %v)", c.walk, got, c.indexed, loops)
		}
	}
}

// walkBound reads the planner's statistics: after ANALYZE, a word in
// every article is walked for, back to about the 18th newest article
// (3 times the 6 wanted); two words, one in a third of the articles, all
// the way; a word in two of 32 goes to the index, as does a Korean term
// and a word the statistics do not know.
func TestSearchWalkBoundFromStatistics(t *testing.T) {
	s := searchFixture(t)
	ctx := context.Background()
	k := 6
	bound := func(q string) (bool, time.Time) { return s.walkBound(ctx, store.ParseSearch(q), k) }
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
