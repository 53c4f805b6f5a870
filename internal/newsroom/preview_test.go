package newsroom_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
)

// TestPreviewMatchesPublishedPage: the editor's preview is drawn by the
// published article page's code, so language, dates (format and zone),
// breadcrumbs, byline and headline agree with the page readers get.
func TestPreviewMatchesPublishedPage(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ada@example.com", news.RoleAdmin)
	form := h.articleForm("Assembly passes the budget", "The vote was **close**.")
	form.Set("dek", "A late-night session ends in a narrow vote")
	res, preview := b.post(t, "/admin/preview", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	b.post(t, "/admin/articles", form)
	a := h.lastArticle(t)
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "publish")
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	pub, err := http.Get(h.URL + a.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Body.Close()
	if pub.StatusCode != http.StatusOK {
		t.Fatalf("published page: %d", pub.StatusCode)
	}
	published, err := goquery.NewDocumentFromReader(pub.Body)
	if err != nil {
		t.Fatal(err)
	}
	attr := func(d *goquery.Document, sel, name string) string { v, _ := d.Find(sel).First().Attr(name); return v }
	text := func(d *goquery.Document, sel string) string {
		return strings.Join(strings.Fields(d.Find(sel).First().Text()), " ")
	}
	links := func(d *goquery.Document, sel string) string {
		var out []string
		d.Find(sel).Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			out = append(out, strings.TrimSpace(s.Text())+"="+href)
		})
		return strings.Join(out, " > ")
	}
	for _, c := range []struct{ what, preview, published string }{
		{"html lang", attr(preview, "html", "lang"), attr(published, "html", "lang")},
		{"breadcrumbs", links(preview, "nav.breadcrumbs a"), links(published, "nav.breadcrumbs a")},
		{"published time text", text(preview, ".story-dates time"), text(published, ".story-dates time")},
		{"headline", text(preview, "article.story h1"), text(published, "article.story h1")},
		{"dek", text(preview, ".story-header .dek"), text(published, ".story-header .dek")},
		{"byline", text(preview, ".story-meta"), text(published, ".story-meta")},
		{"body", text(preview, ".story-body"), text(published, ".story-body")},
	} {
		if c.preview == "" {
			t.Errorf("%s: missing from the preview", c.what)
		}
		if c.preview != c.published {
			t.Errorf("%s: preview %q, published page %q", c.what, c.preview, c.published)
		}
	}
	// The preview is not a public page.
	if got := attr(preview, `meta[name="robots"]`, "content"); !strings.Contains(got, "noindex") {
		t.Errorf("preview robots %q, want noindex", got)
	}
	if n := preview.Find(`link[rel="canonical"], script[type="application/ld+json"]`).Length(); n != 0 {
		t.Errorf("preview has %d canonical links or structured data, want none", n)
	}
}
