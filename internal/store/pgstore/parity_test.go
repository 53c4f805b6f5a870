package pgstore

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
)

// TestParityWithSQLite loads the same generated paper into both engines and
// asks both the same questions: lists, tags and corrections must agree
// exactly, row for row; searches must find the same articles (their
// ranking functions differ, bm25 against cover density).
func TestParityWithSQLite(t *testing.T) {
	ctx := context.Background()
	pg := openFresh(t)
	defer pg.Close()
	lite, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	base := time.Now().Add(-time.Hour)
	p := storetest.GeneratePaper(t, pg, 300, base)
	storetest.GeneratePaper(t, lite, 300, base)

	eq := func(what string, got, want any) {
		t.Helper()
		if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
			t.Errorf("%s:\n pg     %s\n sqlite %s", what, g, w)
		}
	}
	secs := func(s news.Store) []string {
		all, err := s.ListSections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sec := range all {
			out = append(out, fmt.Sprint(sec.ID, sec.Path))
		}
		return out
	}
	eq("sections", secs(pg), secs(lite))
	authors := func(s news.Store) []string {
		all, err := s.ListAuthors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range all {
			out = append(out, fmt.Sprint(a.ID, a.Name))
		}
		return out
	}
	eq("authors", authors(pg), authors(lite))

	later := time.Now().Add(48 * time.Hour)
	queries := append(storetest.BenchListCases(p),
		storetest.BenchListCase{Name: "default", Q: news.ArticleQuery{}},
		storetest.BenchListCase{Name: "page 3 of 7", Q: news.ArticleQuery{Limit: 7, Offset: 14}},
		storetest.BenchListCase{Name: "last page", Q: news.ArticleQuery{Limit: 50, Offset: 250}},
		storetest.BenchListCase{Name: "past the end", Q: news.ArticleQuery{Offset: 100000}},
		storetest.BenchListCase{Name: "negative offset", Q: news.ArticleQuery{Offset: -1}},
		storetest.BenchListCase{Name: "top", Q: news.ArticleQuery{TopOnly: true, Limit: 100}},
		storetest.BenchListCase{Name: "scheduled", Q: news.ArticleQuery{Status: news.StatusScheduled, Limit: 100}},
		storetest.BenchListCase{Name: "published any time", Q: news.ArticleQuery{Status: news.StatusPublished, Limit: 100}},
		storetest.BenchListCase{Name: "two days later", Q: news.ArticleQuery{Now: later, Limit: 100}},
		storetest.BenchListCase{Name: "window", Q: news.ArticleQuery{Since: base.Add(-48 * time.Hour), Until: base.Add(-24 * time.Hour), Limit: 100, WithBody: true}},
		storetest.BenchListCase{Name: "tag and section", Q: news.ArticleQuery{Tag: "budget", SectionIDs: p.Subtree}},
		storetest.BenchListCase{Name: "unknown tag", Q: news.ArticleQuery{Tag: "nothing"}},
	)
	for _, c := range queries {
		a, err := pg.ListArticles(ctx, c.Q)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		b, err := lite.ListArticles(ctx, c.Q)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		eq("list "+c.Name+" total", a.Total, b.Total)
		eq("list "+c.Name, project(a.Articles), project(b.Articles))
	}

	tagsPG, err := pg.ListTags(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	tagsLite, err := lite.ListTags(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	eq("tags", tagsPG, tagsLite)

	corr := func(s news.Store) []news.Correction {
		list, err := s.ListCorrections(ctx, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	eq("corrections", corr(pg), corr(lite))

	for _, id := range []int64{1, 2, 77, 150, 299} {
		a, err := pg.ArticleByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := lite.ArticleByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		eq(fmt.Sprint("article ", id), project([]news.Article{a}), project([]news.Article{b}))
		eq(fmt.Sprint("article ", id, " body"), a.Body+a.BodyText, b.Body+b.BodyText)
		eq(fmt.Sprint("article ", id, " corrections"), a.Corrections, b.Corrections)
	}

	for _, text := range []string{"market", "bank rates", "shipyard strike", "expanding plants", "Semiconductor!", "households' debt", "zeppelin", "nuclear power plants", storetest.BenchVocab[500], storetest.BenchVocab[2000] + " " + storetest.BenchVocab[40]} {
		for _, sections := range [][]int64{nil, p.Subtree} {
			a := searchIDs(t, pg, news.SearchQuery{Text: text, SectionIDs: sections})
			b := searchIDs(t, lite, news.SearchQuery{Text: text, SectionIDs: sections})
			eq(fmt.Sprintf("search %q in %v", text, sections), a, b)
		}
	}
}

// project keeps what both engines must agree on: everything but the
// creation and modification clocks, which each run stamps itself.
func project(list []news.Article) []string {
	var out []string
	for _, a := range list {
		var au []string
		for _, x := range a.Authors {
			au = append(au, fmt.Sprint(x.ID, x.Name))
		}
		out = append(out, fmt.Sprintf("%d %s %s|%s|%s|%s %s top=%v %s %s v%d %s %s",
			a.ID, a.Slug, a.Section.Path, a.Headline, a.Dek, a.Status, a.PublishedAt.Format(time.RFC3339Nano), a.Top,
			a.EmbargoUntil.Format(time.RFC3339Nano), a.UpdatedAt.Format(time.RFC3339Nano), a.Version,
			strings.Join(a.Tags, ","), strings.Join(au, ",")))
	}
	return out
}

// searchIDs returns the ids of all hits, in id order.
func searchIDs(t *testing.T, s news.Store, q news.SearchQuery) []int64 {
	t.Helper()
	var ids []int64
	q.Limit = 100
	for {
		res, err := s.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.Article.ID)
			if !strings.Contains(h.Snippet, news.HighlightStart) {
				t.Errorf("search %q: snippet %q has no highlight", q.Text, h.Snippet)
			}
		}
		if len(res.Hits) == 0 || len(ids) >= res.Total {
			if len(ids) != res.Total {
				t.Errorf("search %q: paged through %d hits, total says %d", q.Text, len(ids), res.Total)
			}
			break
		}
		q.Offset += len(res.Hits)
	}
	slices.Sort(ids)
	return ids
}
