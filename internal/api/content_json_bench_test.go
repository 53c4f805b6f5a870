package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// BenchmarkContentJSON is the encoding of the Content API's answers on
// their own: a page of 20 list items (the items' MarshalJSON adds a
// paper's plain fields after the struct's), the same page with two plain
// fields an item, and one article's detail with a 6 kB body, through
// encoding/json (encoder) and as the API writes them (append: AppendJSON).
// plainItems is the same page through a struct without MarshalJSON.
func BenchmarkContentJSON(b *testing.B) {
	item := func(i int) ArticleItem {
		return ArticleItem{ID: int64(i), URL: "https://news.example.com/article/1/a-headline", Headline: "Assembly passes the housing bill after a night of talks",
			Dek: "The vote ends a month of deadlock over rents in Seoul.", Section: SectionRef{ID: 3, Path: "national/politics", Name: "Politics", URL: "https://news.example.com/section/national/politics"},
			Authors: []AuthorRef{{Slug: "kim-ji-won", Name: "Kim Ji-won", URL: "https://news.example.com/author/kim-ji-won"}},
			Tags:    []string{"housing", "National Assembly"}, PublishedAt: time.Unix(1_780_000_000, 0).UTC(), UpdatedAt: time.Unix(1_780_003_600, 0).UTC()}
	}
	page := ArticleList{NextCursor: "abc"}
	withFields := ArticleList{NextCursor: "abc"}
	for i := range 20 {
		page.Items = append(page.Items, item(i))
		it := item(i)
		it.fields = []fieldValue{{"print_page", "A3"}, {"wire", false}}
		withFields.Items = append(withFields.Items, it)
	}
	type plainItem ArticleItem
	plain := make([]plainItem, 20)
	for i := range plain {
		plain[i] = plainItem(item(i))
	}
	detail := ArticleDetail{ArticleItem: item(1), ArticleText: ArticleText{Dateline: "SEOUL",
		BodyMarkdown: strings.Repeat("The committee met again on Tuesday. ", 170), BodyHTML: "<p>" + strings.Repeat("The committee met again on Tuesday. ", 170) + "</p>",
		Corrections: []CorrectionItem{{Kind: "correction", Body: "An earlier version misnamed the committee.", CreatedAt: time.Unix(1_780_010_000, 0).UTC()}}}}
	for _, c := range []struct {
		name string
		v    any
	}{{"page", page}, {"page-with-fields", withFields}, {"plainItems", struct {
		Items      []plainItem `json:"items"`
		NextCursor string      `json:"next_cursor,omitempty"`
	}{plain, "abc"}}, {"detail", detail}} {
		b.Run(c.name+"/encoder", func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				out, err := json.Marshal(c.v)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.SetBytes(int64(n))
		})
		if _, ok := c.v.(jsonAppender); !ok {
			continue
		}
		b.Run(c.name+"/append", func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				out, err := encodeJSON(c.v)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.SetBytes(int64(n))
		})
	}
}

// The Content API's pages and details, written by AppendJSON, are byte for
// byte what encoding/json's Encoder writes, with and without plain fields,
// a last page (no cursor) and text that must be escaped.
func TestAppendJSONAsEncoder(t *testing.T) {
	it := ArticleItem{ID: 7, URL: "https://x.example/article/7/a", Headline: `Tom & Jerry <script>"quoted"</script> 서울 \u2028`,
		Tags: []string{}, Authors: []AuthorRef{}, PublishedAt: time.Unix(1_780_000_000, 5).UTC()}
	withF := it
	withF.fields = []fieldValue{{"print_page", "A<3>"}, {"wire", true}, {"rank", 2.5}}
	for _, v := range []any{
		ArticleList{Items: []ArticleItem{}},
		ArticleList{Items: []ArticleItem{it}},
		ArticleList{Items: []ArticleItem{it, withF, it}, NextCursor: "a<b>&c"},
		ArticleDetail{ArticleItem: withF, ArticleText: ArticleText{BodyMarkdown: "a & <b>", BodyHTML: "<p>a &amp; b</p>", Corrections: []CorrectionItem{}}},
		ArticleDetail{ArticleItem: it},
	} {
		var want strings.Builder
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(true)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		got, err := encodeJSON(v)
		if err != nil || string(got) != want.String() {
			t.Errorf("encodeJSON(%T) = %s (%v)\nwant %s", v, got, err, want.String())
		}
	}
}
