package newsroom_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
	// The preview is not a public page, and says so.
	if got := text(preview, "#preview-banner"); !strings.Contains(got, "Preview") {
		t.Errorf("preview banner %q, want one saying Preview", got)
	}
	// The article is live: the banner speaks of this version, never of
	// an article that is not published.
	if got := text(preview, "#preview-banner"); strings.Contains(got, "not published") {
		t.Errorf("preview banner of a live article %q says it is not published", got)
	}
	if n := published.Find("#preview-banner").Length(); n != 0 {
		t.Errorf("published page has %d preview banners", n)
	}
	// The banner's style is the preview's own: readers never load it.
	const bannerCSS = `link[rel="stylesheet"][href^="/assets/admin/preview."]`
	if p, q := preview.Find(bannerCSS).Length(), published.Find(bannerCSS).Length(); p != 1 || q != 0 {
		t.Errorf("preview.css linked %d times from the preview, %d from the published page; want 1 and 0", p, q)
	}
	if got := attr(preview, `meta[name="robots"]`, "content"); !strings.Contains(got, "noindex") {
		t.Errorf("preview robots %q, want noindex", got)
	}
	if n := preview.Find(`link[rel="canonical"], script[type="application/ld+json"]`).Length(); n != 0 {
		t.Errorf("preview has %d canonical links or structured data, want none", n)
	}
}

// TestPreviewOfStoredArticle: previewing an article already published
// (?id=) shows what its page will show after the change: its own
// publication time, its corrections and its running story's box, drawn
// as the published page draws them, with the edited headline.
func TestPreviewOfStoredArticle(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ada@example.com", news.RoleAdmin)
	form := h.articleForm("Port strike enters its second week", "Dockworkers kept the gates shut.")
	form.Set("dateline", "BUSAN")
	b.post(t, "/admin/articles", form)
	a := h.lastArticle(t)
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "publish")
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID)+"/corrections", url.Values{"kind": {"correction"}, "body": {"An earlier version gave the wrong pier."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d", res.StatusCode)
	}
	st := news.Story{Title: "Busan port strike", Tags: []string{"strike"}}
	if err := h.st.CreateStory(ctx, &st, 0); err != nil {
		t.Fatal(err)
	}
	if err := h.st.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, ArticleID: a.ID, PublishedAt: h.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	h.clk.Add(2 * time.Hour)
	a, _ = h.st.ArticleByID(ctx, a.ID)
	res, published := b.get(t, a.URL())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("published page: %d", res.StatusCode)
	}
	edited := h.articleForm("Port strike enters its third week", "Dockworkers kept the gates shut.")
	edited.Set("dateline", "BUSAN")
	res, preview := b.post(t, "/admin/preview?id="+itoa(a.ID), edited)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	text := func(d *goquery.Document, sel string) string {
		return strings.Join(strings.Fields(d.Find(sel).First().Text()), " ")
	}
	for _, c := range []struct{ what, sel string }{
		{"published time", ".story-dates time"},
		{"corrections", "aside.corrections"},
		{"story box", "aside.rs-box"},
		{"body", ".story-body"},
		{"byline", ".story-meta .byline"},
	} {
		p, q := text(preview, c.sel), text(published, c.sel)
		if p == "" {
			t.Errorf("%s (%s): missing from the preview", c.what, c.sel)
		}
		if p != q {
			t.Errorf("%s: preview %q, published page %q", c.what, p, q)
		}
	}
	if got, want := text(preview, "article.story h1"), "Port strike enters its third week"; got != want {
		t.Errorf("preview headline %q, want the edited %q", got, want)
	}
	if id, _ := preview.Find("article.story").Attr("data-article-id"); id != itoa(a.ID) {
		t.Errorf("preview article id %q, want %d", id, a.ID)
	}
	// The change will show as an update of the published article.
	if got := preview.Find(".story-dates time").Length(); got != 2 {
		t.Errorf("preview shows %d times, want published and updated", got)
	}
	// Unchanged fields are no update: the preview shows the times the
	// published page shows (it showed "Updated" with the current time).
	same := h.articleForm("Port strike enters its second week", "Dockworkers kept the gates shut.")
	same.Set("dateline", "BUSAN")
	if _, unchanged := b.post(t, "/admin/preview?id="+itoa(a.ID), same); text(unchanged, ".story-dates") != text(published, ".story-dates") {
		t.Errorf("preview of the unchanged article dated %q, published page %q", text(unchanged, ".story-dates"), text(published, ".story-dates"))
	}
	for _, bad := range []string{"0", "x", "999999"} {
		if res, _ := b.post(t, "/admin/preview?id="+bad, edited); res.StatusCode != http.StatusNotFound {
			t.Errorf("preview of article %q: %d, want 404", bad, res.StatusCode)
		}
	}
}
