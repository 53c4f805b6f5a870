package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"byline/internal/api"
	"byline/internal/news"
	"byline/internal/testutil"
)

func getJSON(t *testing.T, app *testutil.App, path string, v any) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", app.URL+path, nil)
	res, body := app.Do(t, req)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return res
}

type errBody struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

// hidden makes a draft, an embargoed and a scheduled article in
// Politics; none may ever appear in the API.
func hidden(t *testing.T, app *testutil.App) []news.Article {
	t.Helper()
	ctx := context.Background()
	tree := news.NewTree(must(app.Store.ListSections(ctx)))
	pol, ok := tree.ByPath("national/politics")
	if !ok {
		t.Fatal("demo has no national/politics")
	}
	out := []news.Article{
		{Headline: "Secret draft", SectionID: pol.ID, Tags: []string{"politics"}},
		{Headline: "Embargoed report", SectionID: pol.ID, Status: news.StatusPublished, EmbargoUntil: time.Now().Add(time.Hour), Tags: []string{"politics"}},
		{Headline: "Scheduled story", SectionID: pol.ID, Status: news.StatusScheduled, PublishedAt: time.Now().Add(time.Hour)},
		{Headline: "Future published", SectionID: pol.ID, Status: news.StatusPublished, PublishedAt: time.Now().Add(time.Hour)},
	}
	for i := range out {
		if err := app.Store.CreateArticle(ctx, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestArticlesListAndDetail(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	secret := hidden(t, app)
	var all []api.ArticleItem
	cursor := ""
	for guard := 0; guard < 50; guard++ {
		var page api.ArticleList
		path := "/api/v1/articles?limit=7"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		res := getJSON(t, app, path, &page)
		if res.StatusCode != 200 || res.Header.Get("ETag") == "" || !strings.Contains(res.Header.Get("Cache-Control"), "public") {
			t.Fatalf("GET %s: %d etag %q cache %q", path, res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	n, _ := app.Store.ListArticles(context.Background(), news.ArticleQuery{Limit: 1})
	if len(all) != n.Total || n.Total == 0 {
		t.Fatalf("paged %d articles, want all %d visible", len(all), n.Total)
	}
	seen := map[int64]bool{}
	for i, it := range all {
		if seen[it.ID] {
			t.Errorf("article %d listed twice", it.ID)
		}
		seen[it.ID] = true
		if i > 0 && it.PublishedAt.After(all[i-1].PublishedAt) {
			t.Errorf("not newest first at %d", i)
		}
		if !strings.HasPrefix(it.URL, app.URL+"/article/") || it.Headline == "" || it.Section.Path == "" || it.Section.Name == "" || it.PublishedAt.IsZero() || len(it.Authors) == 0 {
			t.Errorf("item %+v lacks fields", it)
		}
		if it.Image != nil && !strings.HasPrefix(it.Image.URL, app.URL+"/media/") {
			t.Errorf("image url %q is not absolute", it.Image.URL)
		}
	}
	for _, a := range secret {
		if seen[a.ID] {
			t.Errorf("hidden article %q listed", a.Headline)
		}
		res := getJSON(t, app, "/api/v1/articles/"+itoa(a.ID), nil)
		if res.StatusCode != 404 {
			t.Errorf("hidden article %q: status %d, want 404", a.Headline, res.StatusCode)
		}
	}
	var d api.ArticleDetail
	res := getJSON(t, app, "/api/v1/articles/"+itoa(all[0].ID), &d)
	if res.StatusCode != 200 || d.BodyMarkdown == "" || !strings.Contains(d.BodyHTML, "<p>") || d.Corrections == nil {
		t.Errorf("detail %d: %+v", res.StatusCode, d)
	}
	// A demo article carries a correction.
	found := false
	for _, it := range all {
		var d api.ArticleDetail
		getJSON(t, app, "/api/v1/articles/"+itoa(it.ID), &d)
		found = found || len(d.Corrections) > 0
	}
	if !found {
		t.Error("no article shows its corrections")
	}
	// Conditional GET.
	req, _ := http.NewRequest("GET", app.URL+"/api/v1/articles/"+itoa(all[0].ID), nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	res2, _ := app.Do(t, req)
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res2.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCursorStableWhilePublishing(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	var first api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=5", &first)
	// A story published between two page requests must not shift the
	// second page.
	tree := news.NewTree(must(app.Store.ListSections(context.Background())))
	sec := tree.All[0]
	a := news.Article{Headline: "Breaking meanwhile", SectionID: sec.ID, Status: news.StatusPublished}
	if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	var second api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=5&cursor="+first.NextCursor, &second)
	var fresh api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=11", &fresh)
	if fresh.Items[0].ID != a.ID {
		t.Fatalf("new article not first in a fresh list")
	}
	for i := range second.Items {
		if second.Items[i].ID != fresh.Items[6+i].ID {
			t.Errorf("page 2 item %d = %d, want %d", i, second.Items[i].ID, fresh.Items[6+i].ID)
		}
	}
}

func TestArticleFilters(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	tree := news.NewTree(must(app.Store.ListSections(ctx)))
	var nat api.ArticleList
	getJSON(t, app, "/api/v1/articles?section=national&limit=100", &nat)
	subtree := false
	for _, it := range nat.Items {
		if it.Section.Path != "national" && !strings.HasPrefix(it.Section.Path, "national/") {
			t.Errorf("section=national lists %s", it.Section.Path)
		}
		subtree = subtree || strings.HasPrefix(it.Section.Path, "national/")
	}
	if len(nat.Items) == 0 || !subtree {
		t.Errorf("section=national: %d items, subsections included %v", len(nat.Items), subtree)
	}
	_ = tree
	authors := must(app.Store.ListAuthors(ctx))
	var byAuthor api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=100&author="+authors[0].Slug, &byAuthor)
	for _, it := range byAuthor.Items {
		ok := false
		for _, au := range it.Authors {
			ok = ok || au.Slug == authors[0].Slug
		}
		if !ok {
			t.Errorf("author filter lists %d without %s", it.ID, authors[0].Slug)
		}
	}
	tags := must(app.Store.ListTags(ctx, 1))
	var byTag api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=100&tag="+url.QueryEscape(strings.ToUpper(tags[0].Tag)), &byTag)
	if len(byTag.Items) != tags[0].Count {
		t.Errorf("tag %q: %d items, want %d", tags[0].Tag, len(byTag.Items), tags[0].Count)
	}
	var recent, old api.ArticleList
	since := app.Now.Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	getJSON(t, app, "/api/v1/articles?limit=100&since="+since, &recent)
	getJSON(t, app, "/api/v1/articles?limit=100&until="+since, &old)
	if len(recent.Items)+len(old.Items) != len(must(app.Store.ListArticles(ctx, news.ArticleQuery{Limit: 1000})).Articles) {
		t.Errorf("since/until split %d + %d does not add up", len(recent.Items), len(old.Items))
	}
	for _, it := range recent.Items {
		if it.PublishedAt.Before(app.Now.Add(-24 * time.Hour)) {
			t.Errorf("since lists an older article")
		}
	}
}

func TestContentAPIRefusals(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	tests := []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/articles?limit=0", 400, "limit"},
		{"/api/v1/articles?limit=101", 400, "limit"},
		{"/api/v1/articles?limit=ten", 400, "limit"},
		{"/api/v1/articles?section=nowhere", 400, "section"},
		{"/api/v1/articles?author=nobody-here", 400, "author"},
		{"/api/v1/articles?since=yesterday", 400, "since"},
		{"/api/v1/articles?until=2026-13-45", 400, "until"},
		{"/api/v1/articles?cursor=not-a-cursor", 400, "cursor"},
		{"/api/v1/articles?cursor=" + api.EncodeCursor(news.Cursor{ID: -1}), 400, "cursor"},
		{"/api/v1/articles?secton=national", 400, "secton"},
		{"/api/v1/articles?limit=1&limit=2", 400, "limit"},
		{"/api/v1/articles/999999", 404, ""},
		{"/api/v1/articles/abc", 404, ""},
		{"/api/v1/articles/-1", 404, ""},
		{"/api/v1/authors/nobody-here", 404, ""},
		{"/api/v1/authors/%3Cscript%3E", 404, ""},
		{"/api/v1/tags?limit=-5", 400, "limit"},
		{"/api/v1/nothing", 404, ""},
	}
	for _, tc := range tests {
		var e errBody
		res := getJSON(t, app, tc.path, &e)
		if res.StatusCode != tc.status || e.Error.Field != tc.field || e.Error.Message == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %d %+v, want %d field %q", tc.path, res.StatusCode, e.Error, tc.status, tc.field)
		}
	}
}

func TestSectionsAuthorsTags(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	var secs struct{ Items []api.SectionNode }
	getJSON(t, app, "/api/v1/sections", &secs)
	nested := false
	for _, s := range secs.Items {
		if strings.Contains(s.Path, "/") {
			t.Errorf("top level has %s", s.Path)
		}
		for _, c := range s.Children {
			nested = true
			if !strings.HasPrefix(c.Path, s.Path+"/") || !strings.HasPrefix(c.URL, app.URL+"/section/") {
				t.Errorf("child %+v of %s", c, s.Path)
			}
		}
	}
	if len(secs.Items) == 0 || !nested {
		t.Errorf("sections: %d top, nested %v", len(secs.Items), nested)
	}
	var authors struct{ Items []map[string]any }
	getJSON(t, app, "/api/v1/authors", &authors)
	if len(authors.Items) == 0 {
		t.Fatal("no authors")
	}
	for _, a := range authors.Items {
		if _, ok := a["email"]; ok {
			t.Errorf("author e-mail is public: %v", a)
		}
	}
	var one api.AuthorItem
	res := getJSON(t, app, "/api/v1/authors/"+authors.Items[0]["slug"].(string), &one)
	if res.StatusCode != 200 || one.Name == "" || !strings.Contains(one.Articles, "/api/v1/articles?author=") {
		t.Errorf("author: %d %+v", res.StatusCode, one)
	}
	var tags struct{ Items []api.TagItem }
	getJSON(t, app, "/api/v1/tags", &tags)
	if len(tags.Items) == 0 || tags.Items[0].Count == 0 {
		t.Errorf("tags: %+v", tags.Items)
	}
}

func TestContentAPICacheIsPurgedOnChange(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	var before api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=5", &before)
	getJSON(t, app, "/api/v1/articles?limit=5", &before) // served from the cache
	var e errBody
	if res := getJSON(t, app, "/api/v1/articles?limit=5&secton=x", &e); res.StatusCode != 400 {
		t.Errorf("unknown parameter after a cached answer: %d, want 400", res.StatusCode)
	}
	secs := must(app.Store.ListSections(context.Background()))
	a := news.Article{Headline: "Fresh news", SectionID: secs[0].ID, Status: news.StatusPublished}
	if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	app.Notify(news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
	var after api.ArticleList
	getJSON(t, app, "/api/v1/articles?limit=5", &after)
	if after.Items[0].ID != a.ID {
		t.Errorf("after a change the list starts with %d, want the new %d", after.Items[0].ID, a.ID)
	}
}
