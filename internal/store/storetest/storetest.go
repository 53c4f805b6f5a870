// Package storetest is the conformance suite every storage engine must
// pass. An engine's test calls Run with a function that opens a fresh,
// empty store.
package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

// Opener returns a new empty store; the suite closes it.
type Opener func(t *testing.T) news.Store

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s news.Store)
	}{
		{"SectionsTree", testSectionsTree},
		{"SectionMoveAndConflicts", testSectionMove},
		{"Authors", testAuthors},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleRefusesBadInput", testArticleBadInput},
		{"OptimisticConcurrency", testConcurrency},
		{"Visibility", testVisibility},
		{"ListFilters", testListFilters},
		{"Corrections", testCorrections},
		{"Tags", testTags},
		{"Search", testSearch},
		{"RateLimit", testRateLimit},
	}
	tests = append(tests, more...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

// more holds the tests of features kept in their own files (stories, the
// term tracker, moderation rules), added by register from those files'
// init functions so that each feature's suite is in one place.
var more []struct {
	name string
	fn   func(t *testing.T, s news.Store)
}

func register(name string, fn func(t *testing.T, s news.Store)) {
	more = append(more, struct {
		name string
		fn   func(t *testing.T, s news.Store)
	}{name, fn})
}

var ctx = context.Background()

// Fixture is a small paper: two top sections, a subsection, two authors.
type Fixture struct {
	National, Politics, Business news.Section
	Kim, Lee                     news.Author
}

// Seed creates the fixture paper.
func Seed(t *testing.T, s news.Store) Fixture {
	t.Helper()
	var f Fixture
	f.National = news.Section{Name: "National", Position: 1}
	must(t, s.CreateSection(ctx, &f.National))
	f.Politics = news.Section{Name: "Politics", ParentID: f.National.ID}
	must(t, s.CreateSection(ctx, &f.Politics))
	f.Business = news.Section{Name: "Business", Position: 2}
	must(t, s.CreateSection(ctx, &f.Business))
	f.Kim = news.Author{Name: "Kim Ji-won", Title: "Reporter", Email: "kim@byline.example", Bio: "Covers the Assembly."}
	must(t, s.CreateAuthor(ctx, &f.Kim))
	f.Lee = news.Author{Name: "Lee Soo-min"}
	must(t, s.CreateAuthor(ctx, &f.Lee))
	return f
}

// Publish stores a visible article published age ago.
func Publish(t *testing.T, s news.Store, sec news.Section, headline, body string, age time.Duration, tags []string, authors ...news.Author) news.Article {
	t.Helper()
	a := news.Article{SectionID: sec.ID, Headline: headline, Body: body, BodyText: body, Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-age).UTC().Truncate(time.Millisecond), Tags: tags, Authors: authors}
	must(t, s.CreateArticle(ctx, &a))
	return a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantKind(t *testing.T, err error, k news.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want kind %v", k)
	}
	if got := news.KindOf(err); got != k {
		t.Fatalf("got error kind %v (%v), want %v", got, err, k)
	}
}

func testSectionsTree(t *testing.T, s news.Store) {
	f := Seed(t, s)
	if f.Politics.Path != "national/politics" {
		t.Errorf("politics path = %q, want national/politics", f.Politics.Path)
	}
	all, err := s.ListSections(ctx)
	must(t, err)
	var paths []string
	for _, sec := range all {
		paths = append(paths, sec.Path)
	}
	if got, want := strings.Join(paths, ","), "national,national/politics,business"; got != want {
		t.Errorf("sections = %s, want %s (parents before children, by position)", got, want)
	}
	tree := news.NewTree(all)
	trail := tree.Trail(f.Politics.ID)
	if len(trail) != 2 || trail[0].Name != "National" || trail[1].Name != "Politics" {
		t.Errorf("trail = %+v, want National > Politics", trail)
	}
	if sub := tree.Subtree(f.National.ID); len(sub) != 2 {
		t.Errorf("subtree of national = %v, want 2 ids", sub)
	}
}

func testSectionMove(t *testing.T, s news.Store) {
	f := Seed(t, s)
	dup := news.Section{Name: "Politics", ParentID: f.National.ID}
	wantKind(t, s.CreateSection(ctx, &dup), news.KindConflict)
	orphan := news.Section{Name: "Orphan", ParentID: 9999}
	wantKind(t, s.CreateSection(ctx, &orphan), news.KindNotFound)
	wantKind(t, s.CreateSection(ctx, &news.Section{Name: "  "}), news.KindInvalid)

	// Move National under Business: the child's path follows.
	nat := f.National
	nat.ParentID = f.Business.ID
	must(t, s.UpdateSection(ctx, &nat))
	all, err := s.ListSections(ctx)
	must(t, err)
	tree := news.NewTree(all)
	if p, ok := tree.ByID(f.Politics.ID); !ok || p.Path != "business/national/politics" {
		t.Errorf("moved child path = %q, want business/national/politics", p.Path)
	}
	// A section cannot move under its own child.
	biz := f.Business
	biz.ParentID = f.Politics.ID
	wantKind(t, s.UpdateSection(ctx, &biz), news.KindInvalid)
}

func testAuthors(t *testing.T, s news.Store) {
	f := Seed(t, s)
	if f.Kim.Slug != "kim-ji-won" {
		t.Errorf("slug = %q, want kim-ji-won", f.Kim.Slug)
	}
	got, err := s.AuthorBySlug(ctx, "kim-ji-won")
	must(t, err)
	if got.Bio != "Covers the Assembly." || got.Email != "kim@byline.example" {
		t.Errorf("author = %+v", got)
	}
	_, err = s.AuthorBySlug(ctx, "nobody")
	wantKind(t, err, news.KindNotFound)
	wantKind(t, s.CreateAuthor(ctx, &news.Author{Name: "Kim Ji-won"}), news.KindConflict)
	wantKind(t, s.CreateAuthor(ctx, &news.Author{Name: "X", Email: "not an email"}), news.KindInvalid)
	got.Bio = "Now covers the Blue House."
	must(t, s.UpdateAuthor(ctx, &got))
	again, err := s.AuthorByID(ctx, got.ID)
	must(t, err)
	if again.Bio != got.Bio {
		t.Errorf("bio = %q, want %q", again.Bio, got.Bio)
	}
	list, err := s.ListAuthors(ctx)
	must(t, err)
	if len(list) != 2 {
		t.Errorf("authors = %d, want 2", len(list))
	}
}

func testArticleRoundTrip(t *testing.T, s news.Store) {
	f := Seed(t, s)
	pub := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	a := news.Article{SectionID: f.Politics.ID, Headline: "Assembly passes budget", Dek: "After a long night",
		Body: "The **budget** passed.", BodyText: "The budget passed.", Dateline: "SEOUL", Status: news.StatusPublished,
		PublishedAt: pub, Top: true, Tags: []string{"Budget", "national  assembly", "budget"},
		Authors: []news.Author{f.Lee, f.Kim},
		Image:   &news.Image{URL: "/media/a.jpg", Alt: "The chamber", Caption: "Lawmakers vote.", Credit: "Byline", Width: 1200, Height: 800}}
	must(t, s.CreateArticle(ctx, &a))
	if a.ID == 0 || a.Version != 1 || a.Slug != "assembly-passes-budget" {
		t.Fatalf("after create: id=%d version=%d slug=%q", a.ID, a.Version, a.Slug)
	}
	got, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if got.Headline != a.Headline || got.Dek != a.Dek || got.Body != a.Body || got.BodyText != a.BodyText || got.Dateline != "SEOUL" || !got.Top {
		t.Errorf("round trip lost fields: %+v", got)
	}
	if !got.PublishedAt.Equal(pub) {
		t.Errorf("published = %v, want %v", got.PublishedAt, pub)
	}
	if got.Section.Path != "national/politics" || got.Section.Name != "Politics" {
		t.Errorf("section = %+v", got.Section)
	}
	if len(got.Authors) != 2 || got.Authors[0].ID != f.Lee.ID || got.Authors[1].ID != f.Kim.ID {
		t.Errorf("bylines = %+v, want Lee then Kim", got.Authors)
	}
	if strings.Join(got.Tags, "|") != "Budget|national assembly" {
		t.Errorf("tags = %q, want white space folded, the editor's case kept, and deduplicated whatever the case", got.Tags)
	}
	if got.Image == nil || got.Image.Alt != "The chamber" || got.Image.Width != 1200 {
		t.Errorf("image = %+v", got.Image)
	}
	_, err = s.ArticleByID(ctx, a.ID+100)
	wantKind(t, err, news.KindNotFound)
	n, err := s.CountArticles(ctx)
	must(t, err)
	if n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
}

func testArticleBadInput(t *testing.T, s news.Store) {
	f := Seed(t, s)
	cases := []struct {
		name string
		a    news.Article
		kind news.Kind
	}{
		{"no headline", news.Article{SectionID: f.Politics.ID}, news.KindInvalid},
		{"no section", news.Article{Headline: "x"}, news.KindInvalid},
		{"unknown section", news.Article{Headline: "x", SectionID: 424242}, news.KindInvalid},
		{"unknown author", news.Article{Headline: "x", SectionID: f.Politics.ID, Authors: []news.Author{{ID: 9999}}}, news.KindInvalid},
		{"bad slug", news.Article{Headline: "x", Slug: "Not A Slug", SectionID: f.Politics.ID}, news.KindInvalid},
		{"huge headline", news.Article{Headline: strings.Repeat("h", news.MaxHeadline+1), SectionID: f.Politics.ID}, news.KindInvalid},
		{"invalid utf8", news.Article{Headline: "bad \xff", SectionID: f.Politics.ID}, news.KindInvalid},
		{"image without alt", news.Article{Headline: "x", SectionID: f.Politics.ID, Image: &news.Image{URL: "/a.jpg"}}, news.KindInvalid},
		{"unknown status", news.Article{Headline: "x", SectionID: f.Politics.ID, Status: "live"}, news.KindInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.a
			wantKind(t, s.CreateArticle(ctx, &a), c.kind)
		})
	}
	n, err := s.CountArticles(ctx)
	must(t, err)
	if n != 0 {
		t.Errorf("refused writes stored %d articles, want 0", n)
	}
}

func testConcurrency(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "First", "one", time.Hour, nil, f.Kim)
	first, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	second := first
	first.Headline = "First editor's headline"
	must(t, s.UpdateArticle(ctx, &first))
	if first.Version != 2 {
		t.Errorf("version after update = %d, want 2", first.Version)
	}
	second.Headline = "Second editor's headline"
	wantKind(t, s.UpdateArticle(ctx, &second), news.KindConflict)
	got, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if got.Headline != "First editor's headline" {
		t.Errorf("headline = %q: the refused save overwrote the first", got.Headline)
	}
	if len(got.Authors) != 1 {
		t.Errorf("bylines = %d after update, want 1", len(got.Authors))
	}
	missing := news.Article{ID: 999, Headline: "x", SectionID: f.Politics.ID, Version: 1}
	wantKind(t, s.UpdateArticle(ctx, &missing), news.KindNotFound)
}

func testVisibility(t *testing.T, s news.Store) {
	f := Seed(t, s)
	Publish(t, s, f.Politics, "Visible", "v", time.Hour, nil)
	draft := news.Article{SectionID: f.Politics.ID, Headline: "Draft", Status: news.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))
	Publish(t, s, f.Politics, "Future", "f", -time.Hour, nil)
	emb := news.Article{SectionID: f.Politics.ID, Headline: "Embargoed", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), EmbargoUntil: time.Now().Add(time.Hour)}
	must(t, s.CreateArticle(ctx, &emb))
	page, err := s.ListArticles(ctx, news.ArticleQuery{})
	must(t, err)
	if page.Total != 1 || len(page.Articles) != 1 || page.Articles[0].Headline != "Visible" {
		t.Fatalf("visible list = %d %+v, want only Visible", page.Total, page.Articles)
	}
	later, err := s.ListArticles(ctx, news.ArticleQuery{Now: time.Now().Add(2 * time.Hour)})
	must(t, err)
	if later.Total != 3 {
		t.Errorf("two hours later %d visible, want 3 (future and embargoed appear)", later.Total)
	}
	drafts, err := s.ListArticles(ctx, news.ArticleQuery{Status: news.StatusDraft})
	must(t, err)
	if drafts.Total != 1 || drafts.Articles[0].Headline != "Draft" {
		t.Errorf("drafts = %+v", drafts)
	}
	if !page.Articles[0].Visible(time.Now()) || draft.Visible(time.Now()) || emb.Visible(time.Now()) {
		t.Errorf("Article.Visible disagrees with the store")
	}
}

func testListFilters(t *testing.T, s news.Store) {
	f := Seed(t, s)
	for i := 0; i < 25; i++ {
		Publish(t, s, f.Politics, "Politics story", "p", time.Duration(i+1)*time.Hour, []string{"assembly"}, f.Kim)
	}
	Publish(t, s, f.National, "National story", "n", 30*time.Minute, nil, f.Lee)
	Publish(t, s, f.Business, "Business story", "b", 10*time.Minute, []string{"assembly"}, f.Lee)

	all, err := s.ListArticles(ctx, news.ArticleQuery{Limit: 10})
	must(t, err)
	if all.Total != 27 || len(all.Articles) != 10 || all.Articles[0].Headline != "Business story" {
		t.Errorf("first page: total %d, len %d, first %q", all.Total, len(all.Articles), all.Articles[0].Headline)
	}
	for i := 1; i < len(all.Articles); i++ {
		if all.Articles[i].PublishedAt.After(all.Articles[i-1].PublishedAt) {
			t.Errorf("list not newest first at %d", i)
		}
	}
	last, err := s.ListArticles(ctx, news.ArticleQuery{Limit: 10, Offset: 20})
	must(t, err)
	if len(last.Articles) != 7 {
		t.Errorf("last page has %d, want 7", len(last.Articles))
	}
	beyond, err := s.ListArticles(ctx, news.ArticleQuery{Limit: 10, Offset: 1 << 40})
	must(t, err)
	if len(beyond.Articles) != 0 {
		t.Errorf("page past the end has %d articles", len(beyond.Articles))
	}
	sec, err := s.ListArticles(ctx, news.ArticleQuery{SectionIDs: []int64{f.National.ID, f.Politics.ID}})
	must(t, err)
	if sec.Total != 26 {
		t.Errorf("national subtree = %d, want 26", sec.Total)
	}
	tag, err := s.ListArticles(ctx, news.ArticleQuery{Tag: "assembly"})
	must(t, err)
	if tag.Total != 26 {
		t.Errorf("tag assembly = %d, want 26", tag.Total)
	}
	au, err := s.ListArticles(ctx, news.ArticleQuery{AuthorID: f.Lee.ID})
	must(t, err)
	if au.Total != 2 || len(au.Articles[0].Authors) != 1 || au.Articles[0].Authors[0].Name != "Lee Soo-min" {
		t.Errorf("author list = %+v", au)
	}
	top := news.Article{SectionID: f.Politics.ID, Headline: "Top story", Status: news.StatusPublished, Top: true, PublishedAt: time.Now().Add(-72 * time.Hour)}
	must(t, s.CreateArticle(ctx, &top))
	topDraft := news.Article{SectionID: f.Politics.ID, Headline: "Top draft", Top: true}
	must(t, s.CreateArticle(ctx, &topDraft))
	tops, err := s.ListArticles(ctx, news.ArticleQuery{TopOnly: true})
	must(t, err)
	if tops.Total != 1 || len(tops.Articles) != 1 || tops.Articles[0].ID != top.ID {
		t.Errorf("top stories = %d %+v, want only the published top story", tops.Total, tops.Articles)
	}
	quick, err := s.ListArticles(ctx, news.ArticleQuery{Limit: 5, SkipTotal: true})
	must(t, err)
	if quick.Total != 0 || len(quick.Articles) != 5 || quick.Articles[0].Headline != "Business story" {
		t.Errorf("SkipTotal list: total %d, %d articles; want 0 and 5, newest first", quick.Total, len(quick.Articles))
	}
	recent, err := s.ListArticles(ctx, news.ArticleQuery{Since: time.Now().Add(-2 * time.Hour)})
	must(t, err)
	if recent.Total != 3 {
		t.Errorf("last two hours = %d, want 3", recent.Total)
	}
}

func testCorrections(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Story", "s", time.Hour, nil)
	c := news.Correction{ArticleID: a.ID, Body: "An earlier version misstated the vote count."}
	must(t, s.AddCorrection(ctx, &c))
	u := news.Correction{ArticleID: a.ID, Kind: news.KindUpdate, Body: "Adds comment from the ministry."}
	must(t, s.AddCorrection(ctx, &u))
	wantKind(t, s.AddCorrection(ctx, &news.Correction{ArticleID: a.ID, Body: "   "}), news.KindInvalid)
	wantKind(t, s.AddCorrection(ctx, &news.Correction{ArticleID: a.ID + 50, Body: "x"}), news.KindNotFound)
	got, err := s.ArticleByID(ctx, a.ID)
	must(t, err)
	if len(got.Corrections) != 2 || got.Corrections[0].Kind != news.KindCorrection || got.Corrections[1].Kind != news.KindUpdate {
		t.Errorf("corrections = %+v", got.Corrections)
	}
	list, err := s.ListCorrections(ctx, 10, 0)
	must(t, err)
	if len(list) != 2 || list[0].ID != u.ID {
		t.Errorf("public list = %+v, want newest first", list)
	}
}

func testTags(t *testing.T, s news.Store) {
	f := Seed(t, s)
	Publish(t, s, f.Politics, "A", "a", time.Hour, []string{"housing", "budget"})
	Publish(t, s, f.Politics, "B", "b", time.Hour, []string{"housing"})
	d := news.Article{SectionID: f.Politics.ID, Headline: "Draft", Tags: []string{"secret"}}
	must(t, s.CreateArticle(ctx, &d))
	tags, err := s.ListTags(ctx, 10)
	must(t, err)
	if len(tags) != 2 || tags[0].Tag != "housing" || tags[0].Count != 2 {
		t.Errorf("tags = %+v, want housing(2), budget(1); drafts' tags hidden", tags)
	}
}

func testSearch(t *testing.T, s news.Store) {
	f := Seed(t, s)
	Publish(t, s, f.Business, "Chipmakers expand", "Samsung and rivals expand semiconductor plants in Pyeongtaek.", 2*time.Hour, nil)
	Publish(t, s, f.Politics, "Semiconductor subsidies approved", "Lawmakers approved subsidies for factories.", time.Hour, nil)
	Publish(t, s, f.Politics, "Weather turns cold", "A cold wave arrives on Monday.", time.Hour, nil)
	draft := news.Article{SectionID: f.Politics.ID, Headline: "Semiconductor draft", BodyText: "semiconductor"}
	must(t, s.CreateArticle(ctx, &draft))

	res, err := s.Search(ctx, news.SearchQuery{Text: "semiconductor"})
	must(t, err)
	if res.Total != 2 || len(res.Hits) != 2 {
		t.Fatalf("hits = %d/%d, want 2 (draft hidden)", res.Total, len(res.Hits))
	}
	if res.Hits[0].Article.Headline != "Semiconductor subsidies approved" {
		t.Errorf("first hit = %q, want the headline match first", res.Hits[0].Article.Headline)
	}
	for _, h := range res.Hits {
		if !strings.Contains(h.Snippet, news.HighlightStart) {
			t.Errorf("snippet %q has no highlight", h.Snippet)
		}
	}
	stem, err := s.Search(ctx, news.SearchQuery{Text: "expanding plant"})
	must(t, err)
	if stem.Total != 1 {
		t.Errorf("stemmed search found %d, want 1", stem.Total)
	}
	sec, err := s.Search(ctx, news.SearchQuery{Text: "semiconductor", SectionIDs: []int64{f.Business.ID}})
	must(t, err)
	if sec.Total != 1 {
		t.Errorf("section filter: %d hits, want 1", sec.Total)
	}
	for _, hostile := range []string{`"`, `AND OR NOT`, `col:semiconductor`, `*`, `NEAR(a b)`, `')); DROP TABLE articles; --`, strings.Repeat("word ", 1000), "\xff\xfe"} {
		if _, err := s.Search(ctx, news.SearchQuery{Text: hostile}); err != nil {
			t.Errorf("search %q: %v", hostile[:min(len(hostile), 20)], err)
		}
	}
	none, err := s.Search(ctx, news.SearchQuery{Text: "   "})
	must(t, err)
	if none.Total != 0 {
		t.Errorf("blank query found %d", none.Total)
	}
}
