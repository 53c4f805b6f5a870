package site_test

// Tests of the reader pages through the real application (testutil.NewApp
// boots config, SQLite, the demo paper, middleware and page cache). HTML
// is checked with goquery selectors.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/testutil"
)

// The demo article with a lead image, tags and a correction note.
const correctedSlug = "daeyang-lng-carrier-orders"

// The demo article in National > Politics.
const politicsSlug = "housing-supply-bill-stalls"

func texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

func wantStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", res.Request.Method, res.Request.URL.RequestURI(), res.StatusCode, want)
	}
}

// wantSitePage checks that a page is in the site's layout: masthead,
// section navigation and footer.
func wantSitePage(t *testing.T, path string, doc *goquery.Document) {
	t.Helper()
	for _, sel := range []string{"header.masthead a.brand", "nav.sections-nav", "main#main", "footer.site-footer"} {
		if doc.Find(sel).Length() == 0 {
			t.Errorf("%s: no %q: the page is not in the site layout", path, sel)
		}
	}
}

func equal(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

func TestHome(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	res, doc := app.Get(t, "/")
	wantStatus(t, res, http.StatusOK)
	wantSitePage(t, "/", doc)
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/html; charset=utf-8", ct)
	}
	lead := doc.Find("section.top-stories article.lead-story h2 a")
	if lead.Length() != 1 {
		t.Fatalf("lead stories: got %d, want 1", lead.Length())
	}
	href, _ := lead.Attr("href")
	if !strings.HasPrefix(href, "/article/") {
		t.Errorf("lead story links to %q, want an /article/ URL", href)
	}
	if n := doc.Find("section.top-stories .top-rest article.card").Length(); n < 1 {
		t.Errorf("secondary top stories: got %d, want at least 1", n)
	}
	// Top stories come from articles marked Top in the demo.
	top, err := app.Store.ListArticles(context.Background(), news.ArticleQuery{TopOnly: true, Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(top.Articles) == 0 || href != top.Articles[0].URL() {
		t.Errorf("lead story %q is not the newest top story", href)
	}
	if n := doc.Find("section.latest ol.latest-list li a").Length(); n < 1 || n > 20 {
		t.Errorf("latest list: got %d links, want 1 to 20", n)
	}
	// No story twice on the page (a card's picture and headline share a
	// link; count each card, lead and Latest item once).
	seenStory := map[string]string{}
	doc.Find(".lead-story h2 a, article.card h3 a, ol.latest-list li a").Each(func(_ int, s *goquery.Selection) {
		href := s.AttrOr("href", "")
		if where, ok := seenStory[href]; ok {
			t.Errorf("story %s is on the home page twice (%s and %s)", href, where, s.Text())
		}
		seenStory[href] = s.Text()
	})
	var blocks []string
	doc.Find("section.home-section h2 a").Each(func(_ int, s *goquery.Selection) { blocks = append(blocks, s.Text()) })
	want := []string{"National", "Business", "Culture", "Opinion", "Sports"}
	if !equal(blocks, want) {
		t.Errorf("section blocks = %q, want %q", blocks, want)
	}
	doc.Find("section.home-section").Each(func(_ int, s *goquery.Selection) {
		// One row of three on a wide screen: no row with holes.
		if n := s.Find("article.card").Length(); n < 1 || n > 3 {
			t.Errorf("section block %q has %d cards, want 1 to 3", s.Find("h2").Text(), n)
		}
	})
	if got := doc.Find(`nav.sections-nav a[aria-current="page"]`).Text(); got != "Home" {
		t.Errorf("current nav item = %q, want Home", got)
	}
}

func TestSectionPage(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())

	res, doc := app.Get(t, "/section/national/politics")
	wantStatus(t, res, http.StatusOK)
	wantSitePage(t, "/section/national/politics", doc)
	if got, want := texts(doc.Find("nav.breadcrumbs li")), []string{"Home", "National", "Politics"}; !equal(got, want) {
		t.Errorf("breadcrumbs = %q, want %q", got, want)
	}
	if got := doc.Find(`nav.breadcrumbs [aria-current="page"]`).Text(); got != "Politics" {
		t.Errorf("current crumb = %q, want Politics", got)
	}
	if href, _ := doc.Find("nav.breadcrumbs a").Eq(1).Attr("href"); href != "/section/national" {
		t.Errorf("National crumb links to %q, want /section/national", href)
	}
	if got := doc.Find("main h1").Text(); got != "Politics" {
		t.Errorf("h1 = %q, want Politics", got)
	}
	if n := doc.Find("ol.article-list article.card").Length(); n == 0 {
		t.Error("politics lists no articles")
	}
	if got := doc.Find(`nav.sections-nav a[aria-current="page"]`).Text(); got != "National" {
		t.Errorf("current nav item = %q, want National", got)
	}

	// The side column: the paper's latest from other sections only, so a
	// wide screen is not left a third empty.
	side := doc.Find("aside.front-aside .latest-list li")
	if side.Length() == 0 || side.Length() > 8 {
		t.Errorf("politics' side column lists %d stories, want 1-8", side.Length())
	}
	side.Find(".latest-section").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == "Politics" {
			t.Errorf("the side column lists a Politics story: %q", s.Parent().Text())
		}
	})

	res, doc = app.Get(t, "/section/national")
	wantStatus(t, res, http.StatusOK)
	doc.Find("aside.front-aside .latest-section").Each(func(_ int, s *goquery.Selection) {
		if name := s.Text(); name == "National" || name == "Politics" || name == "North Korea" || name == "Social Affairs" {
			t.Errorf("National's side column lists a story of its own subtree (%s)", name)
		}
	})
	subs := texts(doc.Find("nav.subsections li a"))
	if want := []string{"Politics", "North Korea", "Social Affairs"}; !equal(subs, want) {
		t.Errorf("subsections of National = %q, want %q", subs, want)
	}
	// A section lists its subsections' articles too.
	var sections []string
	doc.Find("ol.article-list .card-section a").Each(func(_ int, s *goquery.Selection) { sections = append(sections, s.Text()) })
	if !strings.Contains(strings.Join(sections, ","), "Politics") {
		t.Errorf("National lists articles of %q, want Politics among them", sections)
	}

	res, _ = app.Get(t, "/section/national/politics/")
	wantStatus(t, res, http.StatusMovedPermanently)
	if loc := res.Header.Get("Location"); loc != "/section/national/politics" {
		t.Errorf("trailing slash redirects to %q", loc)
	}
}

func TestSectionPaging(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	if err := demo.Generate(context.Background(), app.Store, 200, 7, app.Now, 60*24*time.Hour, nil); err != nil {
		t.Fatal(err)
	}
	app.Notify(news.Change{Kind: news.ChangeContent})
	tree := news.NewTree(must(app.Store.ListSections(context.Background())))
	nat, _ := tree.ByPath("national")
	total := must(app.Store.ListArticles(context.Background(), news.ArticleQuery{SectionIDs: tree.Subtree(nat.ID), Limit: 1})).Total
	pages := (total + 19) / 20
	if pages < 3 {
		t.Fatalf("national has %d articles; the test needs at least 3 pages", total)
	}

	res, doc := app.Get(t, "/section/national")
	wantStatus(t, res, http.StatusOK)
	if n := doc.Find("ol.article-list > li").Length(); n != 20 {
		t.Errorf("page 1 lists %d articles, want 20", n)
	}
	next, ok := doc.Find(`nav.pager a[rel="next"]`).Attr("href")
	if !ok || next != "/section/national?page=2" {
		t.Errorf("next link = %q, want /section/national?page=2", next)
	}
	if doc.Find(`nav.pager a[rel="prev"]`).Length() != 0 {
		t.Error("page 1 has a previous link")
	}
	res, doc = app.Get(t, next)
	wantStatus(t, res, http.StatusOK)
	if doc.Find("aside.front-aside").Length() != 0 {
		t.Error("page 2 repeats the side column")
	}
	if prev, _ := doc.Find(`nav.pager a[rel="prev"]`).Attr("href"); prev != "/section/national" {
		t.Errorf("page 2's previous link = %q, want /section/national", prev)
	}
	if c, _ := doc.Find(`link[rel="canonical"]`).Attr("href"); c != app.URL+"/section/national?page=2" {
		t.Errorf("page 2 canonical = %q", c)
	}
	res, _ = app.Get(t, "/section/national?page="+strconv.Itoa(pages))
	wantStatus(t, res, http.StatusOK)

	for _, tc := range []struct {
		query string
		want  int
	}{
		{"page=abc", 400},
		{"page=0", 400},
		{"page=-1", 400},
		{"page=1.5", 400},
		{"page=99999999999999999999", 400},
		{"page=" + strconv.Itoa(pages+1), 404},
		{"page=100000", 404},
	} {
		res, doc := app.Get(t, "/section/national?"+tc.query)
		if res.StatusCode != tc.want {
			t.Errorf("?%s: status %d, want %d", tc.query, res.StatusCode, tc.want)
		}
		wantSitePage(t, "?"+tc.query, doc)
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("?%s: Cache-Control %q, want no-store on an error", tc.query, cc)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestArticlePage(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	res, doc := app.Get(t, a.URL())
	wantStatus(t, res, http.StatusOK)
	wantSitePage(t, a.URL(), doc)

	story := doc.Find("article.story")
	if got := story.Find("h1#headline").Text(); got != a.Headline {
		t.Errorf("headline = %q, want %q", got, a.Headline)
	}
	if got := story.Find("p.dek").Text(); got != a.Dek {
		t.Errorf("dek = %q, want %q", got, a.Dek)
	}
	if got, want := doc.Find("title").Text(), a.Headline+" | "+app.Config.SiteName; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	byline := story.Find(`.byline a[rel="author"]`)
	if byline.Length() != len(a.Authors) {
		t.Fatalf("byline links: got %d, want %d", byline.Length(), len(a.Authors))
	}
	byline.Each(func(i int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); href != a.Authors[i].URL() || s.Text() != a.Authors[i].Name {
			t.Errorf("byline %d = %q -> %q, want %q -> %q", i, s.Text(), href, a.Authors[i].Name, a.Authors[i].URL())
		}
	})
	pub, ok := story.Find(".story-dates time").Attr("datetime")
	if !ok {
		t.Fatal("no publication <time>")
	}
	if pt, err := time.Parse(time.RFC3339, pub); err != nil || !pt.Equal(a.PublishedAt) {
		t.Errorf("published datetime = %q, want %s", pub, a.PublishedAt.Format(time.RFC3339))
	}
	img := story.Find("figure.lead-image img")
	if alt, _ := img.Attr("alt"); alt == "" || alt != a.Image.Alt {
		t.Errorf("lead image alt = %q, want %q", alt, a.Image.Alt)
	}
	if src, _ := img.Attr("src"); src != a.Image.URL {
		t.Errorf("lead image src = %q, want %q", src, a.Image.URL)
	}
	if w, _ := img.Attr("width"); w == "" || w == "0" {
		t.Errorf("lead image width = %q: images need their size to avoid layout shift", w)
	}
	if story.Find("figure.lead-image figcaption").Text() == "" {
		t.Error("lead image has no caption")
	}
	if n := story.Find(".story-body p").Length(); n < 3 {
		t.Errorf("body has %d paragraphs, want several", n)
	}
	if got := story.Find(".story-body .dateline").Text(); !strings.HasPrefix(got, a.Dateline) {
		t.Errorf("dateline = %q, want %q", got, a.Dateline)
	}
	if got := texts(story.Find(`nav.tags a[rel="tag"]`)); !equal(got, a.Tags) {
		t.Errorf("tags = %q, want %q", got, a.Tags)
	}
	if href, _ := story.Find(`nav.tags a`).First().Attr("href"); href != news.TagURL(a.Tags[0]) {
		t.Errorf("tag link = %q, want %q", href, news.TagURL(a.Tags[0]))
	}
	corr := story.Find("aside.corrections li.correction")
	if corr.Length() != 1 || !strings.Contains(corr.Text(), "14, not 12") {
		t.Errorf("correction note = %q, want the demo correction", corr.Text())
	}
	if _, ok := corr.Find("time").Attr("datetime"); !ok {
		t.Error("correction has no <time datetime>")
	}
	rel := doc.Find("aside.related article.card h3 a")
	if rel.Length() == 0 || rel.Length() > 4 {
		t.Errorf("related articles: got %d, want 1 to 4", rel.Length())
	}
	rel.Each(func(_ int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); href == a.URL() {
			t.Error("an article is related to itself")
		}
	})
	if href, _ := story.Find(".toolbar a.tool-print").Attr("href"); href != a.PrintURL() {
		t.Errorf("print link = %q, want %q", href, a.PrintURL())
	}
	if got, want := texts(doc.Find("nav.breadcrumbs li")), []string{"Home", "Business", "Industry"}; !equal(got, want) {
		t.Errorf("breadcrumbs = %q, want %q", got, want)
	}
	// Share links are plain links: no third-party script on the page.
	doc.Find("script[src]").Each(func(_ int, s *goquery.Selection) {
		if src, _ := s.Attr("src"); !strings.HasPrefix(src, "/assets/") {
			t.Errorf("script from %q: only our own scripts may run", src)
		}
	})

	// The politics article's trail ends in Politics, which links.
	p := app.DemoArticle(t, politicsSlug)
	_, doc = app.Get(t, p.URL())
	if got, want := texts(doc.Find("nav.breadcrumbs li")), []string{"Home", "National", "Politics"}; !equal(got, want) {
		t.Errorf("politics article breadcrumbs = %q, want %q", got, want)
	}
	if href, _ := doc.Find("nav.breadcrumbs a").Last().Attr("href"); href != "/section/national/politics" {
		t.Errorf("last crumb links to %q", href)
	}
	// Updated articles show both dates.
	if n := doc.Find(".story-dates time").Length(); n != 2 {
		t.Errorf("updated article shows %d dates, want published and updated", n)
	}
}

func TestArticleRedirects(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, politicsSlug)
	id := strconv.FormatInt(a.ID, 10)
	for _, tc := range []struct{ path, want string }{
		{"/article/" + id, a.URL()},
		{"/article/" + id + "/old-slug", a.URL()},
		{"/article/" + id + "/old-slug/print", a.PrintURL()},
	} {
		res, _ := app.Get(t, tc.path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tc.want {
			t.Errorf("%s: %d -> %q, want 301 -> %q", tc.path, res.StatusCode, res.Header.Get("Location"), tc.want)
		}
	}

	// After the newsroom changes a slug, the old URL redirects.
	old := a.URL()
	a.Slug = "housing-bill-stalls-over-rent-caps"
	if err := app.Store.UpdateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	app.Notify(news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
	res, _ := app.Get(t, old)
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != a.URL() {
		t.Errorf("old slug: %d -> %q, want 301 -> %q", res.StatusCode, res.Header.Get("Location"), a.URL())
	}
	res, _ = app.Get(t, a.URL())
	wantStatus(t, res, http.StatusOK)
}

func TestPrintView(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	res, doc := app.Get(t, a.PrintURL())
	wantStatus(t, res, http.StatusOK)
	for _, sel := range []string{"nav.sections-nav", "header.masthead", "footer.site-footer", "aside.related", "#comments", ".comments", "form"} {
		if doc.Find(sel).Length() != 0 {
			t.Errorf("print view has %q", sel)
		}
	}
	if got := doc.Find("h1#headline").Text(); got != a.Headline {
		t.Errorf("headline = %q", got)
	}
	canon := app.URL + a.URL()
	if got := doc.Find(".print-url").Text(); got != canon {
		t.Errorf("print URL = %q, want %q", got, canon)
	}
	if c, _ := doc.Find(`link[rel="canonical"]`).Attr("href"); c != canon {
		t.Errorf("canonical = %q, want the article's %q", c, canon)
	}
	if r, _ := doc.Find(`meta[name="robots"]`).Attr("content"); !strings.Contains(r, "noindex") {
		t.Errorf("robots = %q, want noindex", r)
	}
	// The browser asks for /favicon.ico (a 404) when a page names no icon.
	if icon, _ := doc.Find(`link[rel="icon"]`).Attr("href"); !strings.HasPrefix(icon, "/assets/favicon.") {
		t.Errorf("icon = %q, want the site's /assets/favicon.…svg", icon)
	} else if res, _ := app.Get(t, icon); res.StatusCode != http.StatusOK {
		t.Errorf("GET %s: status %d, want 200", icon, res.StatusCode)
	}
	if got := doc.Find(".byline a").Text(); got != a.Authors[0].Name {
		t.Errorf("byline = %q", got)
	}
	if _, ok := doc.Find(".print-meta time").Attr("datetime"); !ok {
		t.Error("no publication date")
	}
	if !strings.Contains(doc.Find(".corrections").Text(), "14, not 12") {
		t.Error("print view lacks the correction")
	}
	if doc.Find(".story-body p").Length() < 3 {
		t.Error("print view lacks the body")
	}
	if got := doc.Find(".print-section").Text(); got != "Home › Business › Industry" {
		t.Errorf("print section trail = %q", got)
	}
}

func TestAuthorAndTagPages(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	au := a.Authors[0]

	res, doc := app.Get(t, au.URL())
	wantStatus(t, res, http.StatusOK)
	wantSitePage(t, au.URL(), doc)
	if got := doc.Find("main h1").Text(); got != au.Name {
		t.Errorf("author h1 = %q, want %q", got, au.Name)
	}
	if doc.Find(".author-bio").Text() == "" {
		t.Error("author page has no bio")
	}
	found := false
	doc.Find("ol.article-list h3 a").Each(func(_ int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); href == a.URL() {
			found = true
		}
	})
	if !found {
		t.Errorf("author page does not list %s", a.URL())
	}
	var person map[string]any
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v map[string]any
		if json.Unmarshal([]byte(s.Text()), &v) == nil && v["@type"] == "Person" {
			person = v
		}
	})
	if person == nil || person["name"] != au.Name {
		t.Errorf("author JSON-LD Person = %v", person)
	}

	tag := a.Tags[0]
	res, doc = app.Get(t, news.TagURL(tag))
	wantStatus(t, res, http.StatusOK)
	wantSitePage(t, news.TagURL(tag), doc)
	if got := doc.Find("main h1").Text(); !strings.Contains(got, tag) {
		t.Errorf("tag h1 = %q, want it to name %q", got, tag)
	}
	if doc.Find("ol.article-list article.card").Length() == 0 {
		t.Error("tag page lists nothing")
	}
	// Tags are case-insensitive: another spelling redirects.
	res, _ = app.Get(t, "/tag/"+strings.ToUpper(tag))
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != news.TagURL(tag) {
		t.Errorf("/tag/%s: %d -> %q, want 301 -> %q", strings.ToUpper(tag), res.StatusCode, res.Header.Get("Location"), news.TagURL(tag))
	}
	// A tag of several words.
	res, _ = app.Get(t, news.TagURL("national assembly"))
	wantStatus(t, res, http.StatusOK)
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, politicsSlug)
	for _, p := range []string{
		"/no-such-page",
		"/section/no-such-section",
		"/section/national/no-such",
		"/section/",
		"/article/999999/anything",
		"/article/0/x",
		"/article/-1/x",
		"/article/abc/x",
		"/article/99999999999999999999999/x",
		"/article/999999",
		"/article/999999/x/print",
		"/author/no-such-author",
		"/tag/no-such-tag",
		"/tag/" + strings.Repeat("x", 300),
		"/author/no-such-author?page=2",
		a.URL() + "/extra/segments",
		"/assets/no-such.css",
		"/%ff",
	} {
		res, doc := app.Get(t, p)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
			continue
		}
		if strings.HasPrefix(p, "/assets/") {
			continue
		}
		wantSitePage(t, p, doc)
		if got := doc.Find("main h1").Text(); got != "Page not found" {
			t.Errorf("%s: h1 = %q, want Page not found", p, got)
		}
		if r, _ := doc.Find(`meta[name="robots"]`).Attr("content"); r != "noindex" {
			t.Errorf("%s: robots = %q, want noindex", p, r)
		}
	}
	res, body := app.Do(t, must(http.NewRequest("GET", "/api/no-such", nil)))
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Errorf("/api/no-such: %d %s %s, want a JSON 404", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
}

// Articles readers may not see yet (or any more) do not exist for them.
func TestHiddenArticles(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	base := app.DemoArticle(t, politicsSlug)
	now := time.Now().UTC().Truncate(time.Second)
	mk := func(slug string, f func(a *news.Article)) news.Article {
		a := news.Article{Slug: slug, SectionID: base.SectionID, Headline: "Hidden " + slug, Body: "Secret text.",
			BodyText: "Secret text.", Authors: base.Authors[:1], Status: news.StatusPublished, PublishedAt: now.Add(-time.Hour)}
		f(&a)
		if err := app.Store.CreateArticle(ctx, &a); err != nil {
			t.Fatalf("create %s: %v", slug, err)
		}
		return a
	}
	hidden := []news.Article{
		mk("draft-story", func(a *news.Article) { a.Status, a.PublishedAt = news.StatusDraft, time.Time{} }),
		mk("in-review-story", func(a *news.Article) { a.Status, a.PublishedAt = news.StatusReview, time.Time{} }),
		mk("scheduled-story", func(a *news.Article) { a.Status, a.PublishedAt = news.StatusScheduled, now.Add(24*time.Hour) }),
		mk("future-story", func(a *news.Article) { a.PublishedAt = now.Add(24 * time.Hour) }),
		mk("embargoed-story", func(a *news.Article) { a.EmbargoUntil = now.Add(24 * time.Hour) }),
	}
	app.Notify(news.Change{Kind: news.ChangeContent})
	for _, a := range hidden {
		for _, p := range []string{a.URL(), a.PrintURL(), "/article/" + strconv.FormatInt(a.ID, 10)} {
			res, doc := app.Get(t, p)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s (%s): status %d, want 404", p, a.Slug, res.StatusCode)
			}
			wantSitePage(t, p, doc)
		}
	}
	for _, p := range []string{"/", "/section/national/politics", base.Authors[0].URL(), "/search?q=secret"} {
		res, doc := app.Get(t, p)
		wantStatus(t, res, http.StatusOK)
		doc.Find("a[href^='/article/']").Each(func(_ int, s *goquery.Selection) {
			if strings.HasPrefix(s.Text(), "Hidden ") {
				t.Errorf("%s links to hidden article %q", p, s.Text())
			}
		})
	}
}

func TestArticleStructuredData(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	_, doc := app.Get(t, a.URL())
	byType := map[string]map[string]any{}
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v map[string]any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			t.Errorf("JSON-LD does not parse: %v\n%s", err, s.Text())
			return
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("@context = %v", v["@context"])
		}
		byType[v["@type"].(string)] = v
	})
	na := byType["NewsArticle"]
	if na == nil {
		t.Fatalf("no NewsArticle among %v", byType)
	}
	if na["headline"] != a.Headline {
		t.Errorf("headline = %v, want %q", na["headline"], a.Headline)
	}
	for _, k := range []string{"datePublished", "dateModified"} {
		s, _ := na[k].(string)
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s = %v, not an ISO 8601 time", k, na[k])
		}
	}
	if na["datePublished"] != a.PublishedAt.Format(time.RFC3339) {
		t.Errorf("datePublished = %v, want %s", na["datePublished"], a.PublishedAt.Format(time.RFC3339))
	}
	// The correction is newer than publication, so dateModified is too.
	if na["dateModified"] != a.LastModified().Format(time.RFC3339) || na["dateModified"] == na["datePublished"] {
		t.Errorf("dateModified = %v, want %s", na["dateModified"], a.LastModified().Format(time.RFC3339))
	}
	imgs, _ := na["image"].([]any)
	if len(imgs) == 0 {
		t.Fatalf("image = %v", na["image"])
	}
	img, _ := imgs[0].(map[string]any)
	if u, _ := img["url"].(string); u != app.URL+a.Image.URL {
		t.Errorf("image url = %v, want %s", img["url"], app.URL+a.Image.URL)
	}
	authors, _ := na["author"].([]any)
	if len(authors) != len(a.Authors) {
		t.Fatalf("author = %v", na["author"])
	}
	au, _ := authors[0].(map[string]any)
	if au["name"] != a.Authors[0].Name || au["url"] != app.URL+a.Authors[0].URL() || au["@type"] != "Person" {
		t.Errorf("author = %v", au)
	}
	pub, _ := na["publisher"].(map[string]any)
	if pub["name"] != app.Config.SiteName {
		t.Errorf("publisher = %v", pub)
	}
	if logo, _ := pub["logo"].(map[string]any); logo == nil || !strings.HasPrefix(logo["url"].(string), app.URL+"/assets/") {
		t.Errorf("publisher logo = %v", pub["logo"])
	}
	if m, _ := na["mainEntityOfPage"].(map[string]any); m["@id"] != app.URL+a.URL() {
		t.Errorf("mainEntityOfPage = %v", na["mainEntityOfPage"])
	}

	bl := byType["BreadcrumbList"]
	items, _ := bl["itemListElement"].([]any)
	var names []string
	for i, it := range items {
		m := it.(map[string]any)
		names = append(names, m["name"].(string))
		if m["position"] != float64(i+1) || !strings.HasPrefix(m["item"].(string), app.URL+"/") {
			t.Errorf("breadcrumb item %d = %v", i, m)
		}
	}
	if want := []string{"Home", "Business", "Industry"}; !equal(names, want) {
		t.Errorf("BreadcrumbList = %q, want %q", names, want)
	}

	// Social cards.
	meta := func(attr, name string) string {
		v, _ := doc.Find(`meta[` + attr + `="` + name + `"]`).Attr("content")
		return v
	}
	canon := app.URL + a.URL()
	if c, _ := doc.Find(`link[rel="canonical"]`).Attr("href"); c != canon {
		t.Errorf("canonical = %q, want %q", c, canon)
	}
	for _, tc := range []struct{ attr, name, want string }{
		{"property", "og:type", "article"},
		{"property", "og:title", a.Headline},
		{"property", "og:description", a.Dek},
		{"property", "og:url", canon},
		{"property", "og:image", app.URL + a.Image.URL},
		{"property", "og:image:alt", a.Image.Alt},
		{"property", "og:site_name", app.Config.SiteName},
		{"property", "article:published_time", a.PublishedAt.Format(time.RFC3339)},
		{"property", "article:section", "Industry"},
		{"name", "twitter:card", "summary_large_image"},
		{"name", "twitter:title", a.Headline},
		{"name", "twitter:image", app.URL + a.Image.URL},
		{"name", "twitter:image:alt", a.Image.Alt},
		{"name", "description", a.Dek},
	} {
		if got := meta(tc.attr, tc.name); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := doc.Find(`meta[property="article:tag"]`).Length(); got != len(a.Tags) {
		t.Errorf("article:tag count = %d, want %d", got, len(a.Tags))
	}
	if n := doc.Find(`meta[name="twitter:site"]`).Length(); n != 0 {
		t.Errorf("twitter:site present (%d) without --x-account", n)
	}

	// The home page describes the site and its search.
	_, doc = app.Get(t, "/")
	var site map[string]any
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v map[string]any
		if json.Unmarshal([]byte(s.Text()), &v) == nil && v["@type"] == "WebSite" {
			site = v
		}
	})
	if site == nil || site["url"] != app.URL+"/" || site["potentialAction"] == nil {
		t.Errorf("home WebSite JSON-LD = %v", site)
	}
}

// A headline with markup-like text stays text, and cannot break out of
// the JSON-LD script.
func TestArticleEscaping(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	base := app.DemoArticle(t, politicsSlug)
	evil := `</script><script>alert(1)</script> & "quotes"`
	a := news.Article{Slug: "escaping-test", SectionID: base.SectionID, Headline: evil, Dek: evil,
		Body: "Text with <script>alert(2)</script> in it.\n\n<img src=x onerror=alert(3)>", BodyText: "Text", Authors: base.Authors[:1],
		Status: news.StatusPublished, PublishedAt: time.Now().Add(-time.Minute).UTC().Truncate(time.Second)}
	if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	res, doc := app.Get(t, a.URL())
	wantStatus(t, res, http.StatusOK)
	if got := doc.Find("h1#headline").Text(); got != evil {
		t.Errorf("headline = %q, want the text %q", got, evil)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "alert(") && s.AttrOr("type", "") != "application/ld+json" {
			t.Errorf("a script runs %q", s.Text())
		}
	})
	if doc.Find("[onerror]").Length() != 0 {
		t.Error("an onerror attribute survived")
	}
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v map[string]any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			t.Errorf("JSON-LD broken by the headline: %v", err)
		}
	})
}

// With --x-account, every page's social card names the paper's X account.
func TestTwitterSite(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo(), testutil.WithArgs("--x-account", "bylinedaily"))
	a := app.DemoArticle(t, "hanseong-hbm-bet")
	for _, path := range []string{"/", a.URL(), "/section/national"} {
		_, doc := app.Get(t, path)
		if got := doc.Find(`meta[name="twitter:site"]`).AttrOr("content", ""); got != "@bylinedaily" {
			t.Errorf("%s: twitter:site = %q, want @bylinedaily", path, got)
		}
	}
}
