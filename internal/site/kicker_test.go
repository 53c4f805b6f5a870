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
