package site_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

// TestSearchFindsWhatReadersType: the searches of issue 12 through the
// real application (SQLite; the engines' parts run on both in the store
// conformance suite).
func TestSearchFindsWhatReadersType(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())

	t.Run("an author's name offers their page first", func(t *testing.T) {
		res, doc := app.Get(t, "/search?q="+url.QueryEscape("Kim Ji-won"))
		wantStatus(t, res, http.StatusOK)
		wantSitePage(t, "/search", doc)
		first := doc.Find(".search-pages li a").First()
		if href, _ := first.Attr("href"); href != "/author/kim-ji-won" {
			t.Errorf("first page offered = %q (%q), want /author/kim-ji-won", href, first.Text())
		}
		if doc.Find(".search-pages ~ ol.search-results").Length() == 0 {
			t.Error("the author's page is not offered above the articles")
		}
		if n := doc.Find("ol.search-results > li").Length(); n == 0 {
			t.Error("no articles by Kim Ji-won")
		}
		// Case and hyphens do not matter; a word that is not in the name does.
		_, doc = app.Get(t, "/search?q="+url.QueryEscape("ji won KIM"))
		if href, _ := doc.Find(".search-pages li a").First().Attr("href"); href != "/author/kim-ji-won" {
			t.Errorf("ji won KIM offers %q", href)
		}
		_, doc = app.Get(t, "/search?q="+url.QueryEscape("Kim Ji-won housing"))
		if n := doc.Find(".search-pages li").Length(); n != 0 {
			t.Errorf("Kim Ji-won housing offers %d pages, want none", n)
		}
		// A section's name offers the section.
		_, doc = app.Get(t, "/search?q=business")
		if href, _ := doc.Find(".search-pages li a").First().Attr("href"); href != "/section/business" {
			t.Errorf("business offers %q, want /section/business", href)
		}
		// Only on the first page.
		_, doc = app.Get(t, "/search?q="+url.QueryEscape("Kim Ji-won")+"&page=2")
		if n := doc.Find(".search-pages li").Length(); n != 0 {
			t.Errorf("page 2 offers %d pages", n)
		}
	})

	t.Run("authors are kept between searches until a change", func(t *testing.T) {
		offered := func(q string) []string {
			_, doc := app.Get(t, "/search?q="+url.QueryEscape(q))
			var out []string
			doc.Find(".search-pages li a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				out = append(out, href)
			})
			return out
		}
		if got := offered("Park Seo-yeon"); len(got) != 0 { // the list is read and kept
			t.Fatalf("before the author exists: %q", got)
		}
		au := news.Author{Name: "Park Seo-yeon", Slug: "park-seo-yeon", Title: "Reporter"}
		if err := app.Store.CreateAuthor(context.Background(), &au); err != nil {
			t.Fatal(err)
		}
		app.Notify(news.Change{Kind: news.ChangeContent})
		if got := offered("Park Seo-yeon"); len(got) != 1 || got[0] != "/author/park-seo-yeon" {
			t.Errorf("after the author was added: %q, want [/author/park-seo-yeon]", got)
		}
		au.Name = "Park Min-ji"
		if err := app.Store.UpdateAuthor(context.Background(), &au); err != nil {
			t.Fatal(err)
		}
		app.Notify(news.Change{Kind: news.ChangeContent})
		if got := offered("Park Seo-yeon"); len(got) != 0 {
			t.Errorf("the old name still offers %q", got)
		}
		if got := offered("Park Min-ji"); len(got) != 1 || got[0] != "/author/park-seo-yeon" {
			t.Errorf("the new name offers %q", got)
		}
	})

	t.Run("did you mean", func(t *testing.T) {
		res, doc := app.Get(t, "/search?q=hosing")
		wantStatus(t, res, http.StatusOK)
		a := doc.Find(".search-suggestion a")
		if a.Text() != "housing" {
			t.Fatalf("suggestion = %q, want housing", a.Text())
		}
		href, _ := a.Attr("href")
		_, doc2 := app.Get(t, href)
		if doc2.Find("ol.search-results > li").Length() == 0 {
			t.Errorf("the suggestion's link %q finds nothing", href)
		}
		// Filters are kept.
		_, doc = app.Get(t, "/search?q=hosing&section=economy")
		if href, _ := doc.Find(".search-suggestion a").Attr("href"); !strings.Contains(href, "section=economy") {
			t.Errorf("suggestion link %q drops the section", href)
		}
		// A query that finds plenty is not second-guessed.
		_, doc = app.Get(t, "/search?q=housing")
		if n := doc.Find(".search-suggestion").Length(); n != 0 {
			t.Errorf("housing gets a suggestion: %q", doc.Find(".search-suggestion").Text())
		}
		// A draft's words are never suggested.
		d := news.Article{SectionID: app.DemoArticle(t, correctedSlug).SectionID, Headline: "Quokkas in parliament", BodyText: "quokkas quokkas"}
		if err := app.Store.CreateArticle(context.Background(), &d); err != nil {
			t.Fatal(err)
		}
		_, doc = app.Get(t, "/search?q=quokas")
		if n := doc.Find(".search-suggestion").Length(); n != 0 {
			t.Errorf("a draft's word is suggested: %q", doc.Find(".search-suggestion").Text())
		}
	})

	t.Run("korean inside compounds", func(t *testing.T) {
		sec := app.DemoArticle(t, correctedSlug).SectionID
		a := news.Article{SectionID: sec, Slug: "owl-bus", Headline: "올빼미버스 노선 늘린다", BodyText: "서울시가 심야 올빼미버스 노선을 늘린다.",
			Status: news.StatusPublished, PublishedAt: app.Now.Add(-time.Minute)}
		if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
			t.Fatal(err)
		}
		res, doc := app.Get(t, "/search?q="+url.QueryEscape("올빼미"))
		wantStatus(t, res, http.StatusOK)
		if href, _ := doc.Find("ol.search-results h2 a").First().Attr("href"); href != a.URL() {
			t.Errorf("올빼미 first hit = %q, want %q", href, a.URL())
		}
		if m := texts(doc.Find("ol.search-results .snippet mark")); len(m) == 0 || m[0] != "올빼미" {
			t.Errorf("marked %q, want 올빼미", m)
		}
	})

	t.Run("snippets keep block boundaries", func(t *testing.T) {
		_, doc := app.Get(t, "/search?q="+url.QueryEscape("growth forecast trimmed"))
		sn := doc.Find("ol.search-results .snippet")
		if sn.Length() == 0 {
			t.Fatal("no hits")
		}
		for _, txt := range texts(sn) {
			if strings.Contains(txt, "worrying.” Growth") || strings.Contains(txt, "worrying.\" Growth") || strings.Contains(txt, "trimmed The") {
				t.Errorf("snippet runs a subhead into a paragraph: %q", txt)
			}
		}
	})
}
