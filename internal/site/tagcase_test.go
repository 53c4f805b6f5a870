package site_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

// A tag keeps the editor's case on pages ("Seoul") and is one tag in any
// case: one page at the lowercased URL, other spellings answer 301 to it,
// and articles tagged "Seoul" and "seoul" are both listed there.
func TestTagCaseKeptAndMatched(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	sec := app.DemoArticle(t, politicsSlug).SectionID
	var ids []int64
	// The page names the tag as the newest article writes it.
	for i, tag := range []string{"Seoul", "seoul"} {
		a := news.Article{SectionID: sec, Headline: "Night buses for " + tag + " commuters", Body: "Body.", Status: news.StatusPublished,
			PublishedAt: app.Now.Add(-time.Duration(i+1) * time.Hour), Tags: []string{tag, "Night Buses"}}
		if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	app.Notify(news.Change{Kind: news.ChangeContent})

	for _, p := range []string{"/tag/Seoul", "/tag/SEOUL", "/tag/Night%20Buses"} {
		res, _ := app.Get(t, p)
		want := news.TagURL(strings.ToLower(strings.TrimPrefix(p, "/tag/")))
		if p == "/tag/Night%20Buses" {
			want = "/tag/night%20buses"
		}
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s: %d -> %q, want 301 -> %q", p, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	res, doc := app.Get(t, "/tag/seoul")
	wantStatus(t, res, http.StatusOK)
	if h := doc.Find("main h1").Text(); !strings.Contains(h, "Seoul") {
		t.Errorf("tag page h1 %q, want the tag as written (Seoul)", h)
	}
	n := 0
	doc.Find("ol.article-list article.card").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "Night buses for") {
			n++
		}
	})
	if n != 2 {
		t.Errorf("tag page lists %d of the 2 articles tagged Seoul and seoul", n)
	}

	a, err := app.Store.ArticleByID(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	_, doc = app.Get(t, a.URL())
	link := doc.Find(`a[href="/tag/seoul"]`)
	if link.Length() == 0 || !strings.Contains(link.First().Text(), "Seoul") {
		t.Errorf("article page: tag link to /tag/seoul reading Seoul not found (%d links)", link.Length())
	}
	if doc.Find(`a[href="/tag/Seoul"]`).Length() != 0 {
		t.Error("article page links the non-canonical /tag/Seoul")
	}
}
