package site_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

// The kicker is shown over the headline on the article page, and under
// the section over the headline in lists (the home page's lead story and
// the section's cards).
func TestKickerShown(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	demo := app.DemoArticle(t, correctedSlug)
	a := news.Article{SectionID: demo.SectionID, Headline: "The minister explains the vote", Kicker: "Interview", Body: "Text.", BodyText: "Text.",
		Status: news.StatusPublished, Top: true, PublishedAt: time.Now().Add(-time.Minute).UTC().Truncate(time.Second), Authors: demo.Authors}
	if err := app.Store.CreateArticle(t.Context(), &a); err != nil {
		t.Fatal(err)
	}
	a, err := app.Store.ArticleByID(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, doc := app.Get(t, a.URL())
	wantStatus(t, res, http.StatusOK)
	header := doc.Find("article.story header.story-header")
	if got := header.Find(".kicker").Text(); got != "Interview" {
		t.Errorf("article page kicker = %q, want Interview", got)
	}
	if html, _ := header.Html(); strings.Index(html, "Interview") > strings.Index(html, "<h1") {
		t.Error("the kicker is not over the headline")
	}
	if got := doc.Find("h1#headline").Text(); got != a.Headline {
		t.Errorf("headline = %q, want %q (the kicker is not part of it)", got, a.Headline)
	}
	if doc.Find("title").Text() != a.Headline+" | "+app.Config.SiteName {
		t.Errorf("title = %q, want the headline without the kicker", doc.Find("title").Text())
	}

	res, doc = app.Get(t, "/")
	wantStatus(t, res, http.StatusOK)
	if got := doc.Find(".lead-story .kicker").Text(); got != "Interview" {
		t.Errorf("home lead story kicker = %q, want Interview", got)
	}
	res, doc = app.Get(t, a.Section.URL())
	wantStatus(t, res, http.StatusOK)
	found := false
	doc.Find(".card").Each(func(_ int, s *goquery.Selection) {
		if s.Find(".card-headline").Text() == a.Headline {
			found = true
			if got := s.Find(".kicker").Text(); got != "Interview" {
				t.Errorf("section card kicker = %q, want Interview", got)
			}
		}
	})
	if !found {
		t.Errorf("the article has no card on %s", a.Section.URL())
	}
	// The demo gives some articles a kicker; one without shows no empty one.
	if demo.Kicker != "Exclusive" {
		t.Errorf("demo article %s: kicker %q, want Exclusive", correctedSlug, demo.Kicker)
	}
	plain := app.DemoArticle(t, "housing-supply-bill-stalls")
	res, doc = app.Get(t, plain.URL())
	wantStatus(t, res, http.StatusOK)
	if n := doc.Find(".story-header .kicker").Length(); plain.Kicker != "" || n != 0 {
		t.Errorf("article without a kicker (%q) shows %d kicker elements", plain.Kicker, n)
	}
}

// The print view sets the kicker on a line of its own over the headline,
// and a search result carries it under the section like a card; an
// article without one has no empty kicker element in either.
func TestKickerInPrintAndSearch(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	demo := app.DemoArticle(t, correctedSlug)
	plain := app.DemoArticle(t, "housing-supply-bill-stalls")
	if demo.Kicker != "Exclusive" || plain.Kicker != "" {
		t.Fatalf("demo kickers: %s %q, %s %q; want Exclusive and none", demo.Slug, demo.Kicker, plain.Slug, plain.Kicker)
	}

	res, doc := app.Get(t, demo.PrintURL())
	wantStatus(t, res, http.StatusOK)
	header := doc.Find("article.story header")
	if got := header.Find(".kicker").Text(); got != "Exclusive" {
		t.Errorf("print view kicker = %q, want Exclusive", got)
	}
	if k := header.Find(".kicker"); k.Next().Is("h1#headline") != true {
		t.Error("print view: the kicker is not the line just over the headline")
	}
	if got := doc.Find("h1#headline").Text(); got != demo.Headline {
		t.Errorf("print headline = %q, want %q", got, demo.Headline)
	}
	res, doc = app.Get(t, plain.PrintURL())
	wantStatus(t, res, http.StatusOK)
	if n := doc.Find(".kicker").Length(); n != 0 {
		t.Errorf("print view of an article without a kicker has %d kicker elements", n)
	}

	// Search: each result by its headline.
	result := func(q, headline string) *goquery.Selection {
		t.Helper()
		res, doc := app.Get(t, "/search?q="+q)
		wantStatus(t, res, http.StatusOK)
		var hit *goquery.Selection
		doc.Find(".search-results > li").Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Find("h2").Text()) == headline {
				hit = s
			}
		})
		if hit == nil {
			t.Fatalf("search %q: no result %q", q, headline)
		}
		return hit
	}
	hit := result("Daeyang+LNG", demo.Headline)
	if got := hit.Find("p.card-section.kicker").Text(); got != "Exclusive" {
		t.Errorf("search result kicker = %q, want Exclusive (as on cards: p.card-section.kicker)", got)
	}
	if !hit.Find(".kicker").Next().Is("h2") {
		t.Error("search result: the kicker is not just over the headline")
	}
	hit = result("housing+supply+bill", plain.Headline)
	if n := hit.Find(".kicker").Length(); n != 0 {
		t.Errorf("search result without a kicker has %d kicker elements", n)
	}
	if n := hit.Find(".card-section").Length(); n != 1 {
		t.Errorf("search result without a kicker has %d label lines, want 1 (the section)", n)
	}
}
