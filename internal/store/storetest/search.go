package storetest

import (
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

// The search behaviours of issue 12, on both engines: bylines, tags,
// sections and datelines are searchable; Korean words are found inside
// compounds; spelling suggestions come from the archive's own words;
// snippets keep block boundaries.
func init() {
	register("SearchMeta", testSearchMeta)
	register("SearchKorean", testSearchKorean)
	register("SearchSpelling", testSearchSpelling)
	register("SearchSnippetBlocks", testSearchSnippetBlocks)
}

func searchHeadlines(t *testing.T, s news.Store, text string) []string {
	t.Helper()
	res, err := s.Search(ctx, news.SearchQuery{Text: text, Limit: 50})
	must(t, err)
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Article.Headline)
		if !strings.Contains(h.Snippet, news.HighlightStart) {
			t.Errorf("search %q: snippet %q of %q marks nothing", text, h.Snippet, h.Article.Headline)
		}
	}
	if res.Total != len(out) {
		t.Errorf("search %q: total %d, %d hits", text, res.Total, len(out))
	}
	return out
}

func sameSet(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
	}
	for _, w := range want {
		if seen[w] == 0 {
			return false
		}
		seen[w]--
	}
	return true
}

func testSearchMeta(t *testing.T, s news.Store) {
	f := Seed(t, s)
	Publish(t, s, f.Politics, "Budget talks stall", "Lawmakers left without a deal.", time.Hour, []string{"assembly"}, f.Kim)
	Publish(t, s, f.Business, "Exports climb", "Shipments rose for a third month.", 2*time.Hour, []string{"trade"}, f.Lee)
	dl := news.Article{SectionID: f.Business.ID, Headline: "Port reopens", BodyText: "Cranes moved again.", Dateline: "BUSAN",
		Status: news.StatusPublished, PublishedAt: time.Now().Add(-3 * time.Hour).UTC().Truncate(time.Millisecond)}
	must(t, s.CreateArticle(ctx, &dl))
	draft := news.Article{SectionID: f.Politics.ID, Headline: "Unpublished", BodyText: "Nothing yet.", Authors: []news.Author{f.Kim}}
	must(t, s.CreateArticle(ctx, &draft))

	for _, c := range []struct {
		text string
		want []string
	}{
		{"Kim Ji-won", []string{"Budget talks stall"}}, // byline; the draft stays hidden
		{"kim ji won", []string{"Budget talks stall"}},
		{"Lee Soo-min exports", []string{"Exports climb"}}, // byline and text together
		{"trade", []string{"Exports climb"}},               // tag
		{"politics", []string{"Budget talks stall"}},       // section name
		{"Busan", []string{"Port reopens"}},                // dateline
		{"Busan Kim", nil},
	} {
		if got := searchHeadlines(t, s, c.text); !sameSet(got, c.want) {
			t.Errorf("search %q = %q, want %q", c.text, got, c.want)
		}
	}

	// Renaming an author or a section reindexes their articles.
	f.Kim.Name = "Kim Ha-neul"
	must(t, s.UpdateAuthor(ctx, &f.Kim))
	if got := searchHeadlines(t, s, "Ha-neul"); !sameSet(got, []string{"Budget talks stall"}) {
		t.Errorf("after renaming the author, search = %q, want the article", got)
	}
	if got := searchHeadlines(t, s, "Ji-won"); len(got) != 0 {
		t.Errorf("after renaming the author, the old name finds %q", got)
	}
	f.Business.Name = "Economy"
	must(t, s.UpdateSection(ctx, &f.Business))
	if got := searchHeadlines(t, s, "economy"); !sameSet(got, []string{"Exports climb", "Port reopens"}) {
		t.Errorf("after renaming the section, search = %q, want its two articles", got)
	}
	// An edit that changes the tags is searchable at once.
	a, err := s.ArticleByID(ctx, dl.ID)
	must(t, err)
	a.Tags = []string{"shipping"}
	must(t, s.UpdateArticle(ctx, &a))
	if got := searchHeadlines(t, s, "shipping"); !sameSet(got, []string{"Port reopens"}) {
		t.Errorf("after retagging, search = %q", got)
	}
}

func testSearchKorean(t *testing.T, s news.Store) {
	f := Seed(t, s)
	Publish(t, s, f.National, "서울시 올빼미버스 노선 확대", "심야 올빼미버스가 새 노선을 달린다.", time.Hour, nil)
	Publish(t, s, f.National, "올빼미 서식지 보호", "천연기념물 올빼미의 숲을 지킨다.", 2*time.Hour, nil)
	Publish(t, s, f.National, "버스 요금 동결", "시내버스 요금이 오르지 않는다.", 3*time.Hour, nil)
	Publish(t, s, f.National, "Night buses in Seoul", "The owl bus runs after midnight.", 4*time.Hour, nil)

	for _, c := range []struct {
		text string
		want []string
	}{
		{"올빼미", []string{"서울시 올빼미버스 노선 확대", "올빼미 서식지 보호"}},
		{"올빼미버스", []string{"서울시 올빼미버스 노선 확대"}},
		{"버스", []string{"서울시 올빼미버스 노선 확대", "버스 요금 동결"}},
		{"올빼미 노선", []string{"서울시 올빼미버스 노선 확대"}},
		{"서울 올빼미", []string{"서울시 올빼미버스 노선 확대"}},
		{"빼미버", []string{"서울시 올빼미버스 노선 확대"}},
		{"미버스 요금", nil},
		{"owl bus", []string{"Night buses in Seoul"}},
	} {
		if got := searchHeadlines(t, s, c.text); !sameSet(got, c.want) {
			t.Errorf("search %q = %q, want %q", c.text, got, c.want)
		}
	}
	// A whole-word match in the headline ranks above a compound in it.
	res, err := s.Search(ctx, news.SearchQuery{Text: "올빼미"})
	must(t, err)
	if len(res.Hits) == 2 && res.Hits[0].Article.Headline != "올빼미 서식지 보호" {
		t.Errorf("first hit for 올빼미 = %q, want the headline with the word itself", res.Hits[0].Article.Headline)
	}
	// The snippet marks the word inside the compound.
	for _, h := range res.Hits {
		if !strings.Contains(h.Snippet, news.HighlightStart+"올빼미"+news.HighlightEnd) {
			t.Errorf("snippet %q does not mark 올빼미", h.Snippet)
		}
	}
}

func testSearchSpelling(t *testing.T, s news.Store) {
	f := Seed(t, s)
	Publish(t, s, f.Politics, "Housing prices fall", "Housing costs eased in Seoul as housing loans slowed.", time.Hour, nil)
	Publish(t, s, f.Politics, "Hosting the summit", "The city is hosting leaders.", 2*time.Hour, nil)
	Publish(t, s, f.Business, "Housing starts", "Builders started more housing.", 3*time.Hour, nil)
	draft := news.Article{SectionID: f.Politics.ID, Headline: "Zeppelins return", BodyText: "zeppelins"}
	must(t, s.CreateArticle(ctx, &draft))
	// Under embargo: not public yet.
	embargoed := news.Article{SectionID: f.Politics.ID, Headline: "Dirigibles", BodyText: "dirigibles", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond), EmbargoUntil: time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)}
	must(t, s.CreateArticle(ctx, &embargoed))
	// Scheduled, then published by the scheduler: its words join then.
	sched := news.Article{SectionID: f.Politics.ID, Headline: "Gondolas", BodyText: "gondolas", Status: news.StatusScheduled,
		PublishedAt: time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond)}
	must(t, s.CreateArticle(ctx, &sched))
	if got, err := s.SuggestSpelling(ctx, "gondolaz"); err != nil || got != "" {
		t.Errorf("SuggestSpelling(gondolaz) before publication = %q (%v), want nothing", got, err)
	}
	_, err := s.PublishDue(ctx, time.Now())
	must(t, err)

	for _, c := range []struct{ text, want string }{
		{"hosing", "housing"},               // two candidates at distance 1: the more frequent
		{"hosing prices", "housing prices"}, // known words stay
		{"houisng", "housing"},              // a transposition
		{"Semiconductr", ""},                // nothing close
		{"hxxxxxg", ""},                     // nothing within 2 edits (housing, hosting are farther)
		{"housing", ""},                     // known
		{"zepelins", ""},                    // a word only in a draft is never suggested
		{"dirigibels", ""},                  // nor one only under embargo
		{"gondolaz", "gondolas"},            // a scheduled article's, once published
		{"서울", ""},                          // only ASCII words are corrected
		{"", ""},
		{strings.Repeat("x", 300), ""},
	} {
		got, err := s.SuggestSpelling(ctx, c.text)
		must(t, err)
		if got != c.want {
			t.Errorf("SuggestSpelling(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func testSearchSnippetBlocks(t *testing.T, s news.Store) {
	f := Seed(t, s)
	body := "Officials called the outlook worrying.\n\nGrowth forecast trimmed\n\nThe central bank cut its growth forecast for next year to 1.8 percent."
	Publish(t, s, f.Business, "Bank warns on exports", body, time.Hour, nil)
	res, err := s.Search(ctx, news.SearchQuery{Text: "forecast"})
	must(t, err)
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %d, want 1", len(res.Hits))
	}
	sn := res.Hits[0].Snippet
	plain := strings.NewReplacer(news.HighlightStart, "", news.HighlightEnd, "").Replace(sn)
	for _, bad := range []string{"worrying. Growth", "trimmed The"} {
		if strings.Contains(plain, bad) {
			t.Errorf("snippet %q runs two blocks together (%q)", sn, bad)
		}
	}
	if !strings.Contains(sn, news.HighlightStart+"forecast"+news.HighlightEnd) {
		t.Errorf("snippet %q does not mark forecast", sn)
	}
}

// CheckSearchBackfill checks a database made before the search migration
// (0800_search) and holding the rows that BackfillRows inserts, once
// opened: the migration indexed their bylines, tags, sections, datelines
// and Hangul bigrams, and their words feed spelling suggestions.
func CheckSearchBackfill(t *testing.T, s news.Store) {
	t.Helper()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"올빼미", []string{"올빼미버스 첫차"}},
		{"Kim Ji-won", []string{"올빼미버스 첫차"}},
		{"transit", []string{"올빼미버스 첫차"}},
		{"Incheon", []string{"Housing market cools"}},
		{"economy", []string{"Housing market cools"}},
	} {
		if got := searchHeadlines(t, s, c.text); !sameSet(got, c.want) {
			t.Errorf("search %q = %q, want %q", c.text, got, c.want)
		}
	}
	got, err := s.SuggestSpelling(ctx, "hosing")
	must(t, err)
	if got != "housing" {
		t.Errorf("suggestion for hosing = %q, want housing", got)
	}
	// Articles written after the migration are indexed by the store.
	secs, err := s.ListSections(ctx)
	must(t, err)
	Publish(t, s, secs[0], "심야버스 확대", "새 노선.", time.Minute, nil)
	if got := searchHeadlines(t, s, "버스"); !sameSet(got, []string{"올빼미버스 첫차", "심야버스 확대"}) {
		t.Errorf("search 버스 = %q", got)
	}
}

// BackfillRows are the rows CheckSearchBackfill expects, in SQL both
// engines accept once given the time of publication as the only argument
// of the articles' INSERT.
var BackfillRows = []string{
	`INSERT INTO sections(id, slug, path, name) VALUES (1, 'national', 'national', 'National'), (2, 'economy', 'economy', 'Economy')`,
	`INSERT INTO authors(id, slug, name) VALUES (1, 'kim-ji-won', 'Kim Ji-won')`,
	`INSERT INTO articles(id, slug, section_id, headline, body_text, dateline, status, created_at, published_at, modified_at)
		VALUES (1, 'owl', 1, '올빼미버스 첫차', '서울 심야 노선이 늘었다.', 'SEOUL', 'published', ?, ?, ?),
		       (2, 'housing', 2, 'Housing market cools', 'Housing loans slowed and housing prices eased.', 'INCHEON', 'published', ?, ?, ?)`,
	`INSERT INTO article_authors(article_id, author_id, position) VALUES (1, 1, 0)`,
	`INSERT INTO article_tags(article_id, tag, position) VALUES (1, 'transit', 0)`,
}
