package site

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

type tSitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

type tURLSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Images  []struct {
			Loc string `xml:"http://www.google.com/schemas/sitemap-image/1.1 loc"`
		} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
		News *struct {
			Publication struct {
				Name     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 name"`
				Language string `xml:"http://www.google.com/schemas/sitemap-news/0.9 language"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication"`
			PublicationDate string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication_date"`
			Title           string `xml:"http://www.google.com/schemas/sitemap-news/0.9 title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

const xmlType = "application/xml; charset=utf-8"

// sitePath turns an absolute URL of the site back into a path.
func sitePath(t *testing.T, u string) string {
	t.Helper()
	p, ok := strings.CutPrefix(u, testBase)
	if !ok || !strings.HasPrefix(p, "/") {
		t.Fatalf("%q is not an absolute URL of the site", u)
	}
	return p
}

func (f *feedFixture) urlSet(path string) tURLSet {
	f.t.Helper()
	var set tURLSet
	if err := xml.Unmarshal(f.ok(path, xmlType).body, &set); err != nil {
		f.t.Fatalf("%s does not parse as a urlset: %v", path, err)
	}
	for _, u := range set.URLs {
		if !isAbsolute(u.Loc) {
			f.t.Errorf("%s: loc %q is not absolute", path, u.Loc)
		}
		if u.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
				f.t.Errorf("%s: lastmod %q is not a W3C date-time", path, u.LastMod)
			}
		}
	}
	return set
}

// crawl reads the sitemap index, then every sitemap it lists, and returns
// the sitemaps' paths and every URL (path -> lastmod).
func (f *feedFixture) crawl() ([]string, map[string]string) {
	f.t.Helper()
	var idx tSitemapIndex
	if err := xml.Unmarshal(f.ok("/sitemap.xml", xmlType).body, &idx); err != nil {
		f.t.Fatalf("sitemap index does not parse: %v", err)
	}
	var files []string
	urls := map[string]string{}
	for _, sm := range idx.Sitemaps {
		p := sitePath(f.t, sm.Loc)
		files = append(files, p)
		for _, u := range f.urlSet(p).URLs {
			lp := sitePath(f.t, u.Loc)
			if _, dup := urls[lp]; dup {
				f.t.Errorf("%s is listed twice", lp)
			}
			urls[lp] = u.LastMod
		}
	}
	return files, urls
}

func TestSitemapRoundTrip(t *testing.T) {
	f := newFeedFixture(t, 40)
	files, urls := f.crawl()
	if want := []string{"/sitemaps/sections.xml", "/sitemaps/authors.xml", "/sitemaps/articles-1.xml"}; strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("sitemap index lists %v, want %v", files, want)
	}
	want := map[string]string{
		"/": rfc3339(f.newestChange), "/corrections": "",
		f.national.URL(): rfc3339(f.visible[1].LastModified()), f.politics.URL(): rfc3339(f.visible[1].LastModified()),
		f.business.URL(): rfc3339(f.visible[2].LastModified()), f.empty.URL(): "",
		f.kim.URL(): rfc3339(f.newestChange), f.lee.URL(): rfc3339(f.visible[1].LastModified()),
	}
	for _, a := range f.visible {
		want[a.URL()] = rfc3339(a.LastModified())
	}
	for p, lm := range want {
		got, ok := urls[p]
		if !ok {
			t.Errorf("%s is missing from the sitemaps", p)
		} else if got != lm {
			t.Errorf("%s: lastmod %q, want %q", p, got, lm)
		}
	}
	for p := range urls {
		if _, ok := want[p]; !ok {
			t.Errorf("the sitemaps list %s, which they should not (park has no article; hidden articles are hidden)", p)
		}
	}
	// Every URL the sitemaps list is a live page.
	for p := range urls {
		if r := f.get(p); r.status != http.StatusOK {
			t.Errorf("GET %s (from the sitemaps): status %d", p, r.status)
		}
	}
}

func TestArticleSitemapPaging(t *testing.T) {
	f := newFeedFixture(t, 40)
	const per = 7
	mux := http.NewServeMux()
	f.site.sitemapRoutes(mux, func(h http.Handler) http.Handler { return h }, per)
	mux.HandleFunc("/", f.site.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f.srv = srv

	files, urls := f.crawl()
	wantPages := (40 + per - 1) / per
	if len(files) != 2+wantPages {
		t.Fatalf("index lists %d sitemaps, want sections, authors and %d article pages: %v", len(files), wantPages, files)
	}
	var got []string
	for n := 1; n <= wantPages; n++ {
		set := f.urlSet("/sitemaps/articles-" + strconv.Itoa(n) + ".xml")
		wantLen := per
		if n == wantPages {
			wantLen = 40 - per*(wantPages-1)
		}
		if len(set.URLs) != wantLen {
			t.Errorf("articles-%d has %d URLs, want %d", n, len(set.URLs), wantLen)
		}
		for _, u := range set.URLs {
			got = append(got, sitePath(t, u.Loc))
		}
	}
	// Pages count from the oldest: reading them in order gives every
	// article once, oldest first.
	var want []string
	for i := len(f.visible) - 1; i >= 0; i-- {
		want = append(want, f.visible[i].URL())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("article sitemaps in order:\n got %v\nwant %v", got, want)
	}
	if len(urls) != 40+1+4+1+2 {
		t.Errorf("%d URLs in all, want 48", len(urls))
	}
	// Lead images are listed with their article.
	set := f.urlSet("/sitemaps/articles-" + strconv.Itoa(wantPages) + ".xml")
	last := set.URLs[len(set.URLs)-1]
	if len(last.Images) != 1 || last.Images[0].Loc != testBase+"/media/2026/photo-0.jpg" {
		t.Errorf("newest article's image: %+v", last.Images)
	}
	f.notFound("/sitemaps/articles-" + strconv.Itoa(wantPages+1) + ".xml")
}

func TestSitemapRefusals(t *testing.T) {
	f := newFeedFixture(t, 5)
	for _, p := range []string{
		"/sitemaps/articles-0.xml", "/sitemaps/articles-2.xml", "/sitemaps/articles--1.xml", "/sitemaps/articles-abc.xml",
		"/sitemaps/articles-99999999999999999999.xml", "/sitemaps/articles-9223372036854775807.xml",
		"/sitemaps/articles-01.xml", "/sitemaps/articles-+1.xml", "/sitemaps/articles-1", "/sitemaps/articles-1.xml.gz",
		"/sitemaps/articles-.xml", "/sitemaps/nope.xml", "/sitemaps/", "/sitemaps/articles-1.xml/x", "/sitemaps/articles-%31.xml%00",
	} {
		f.notFound(p)
	}
	f.ok("/sitemaps/articles-1.xml", xmlType)
}

func TestSitemapsOfAnEmptyPaper(t *testing.T) {
	f := newFeedFixture(t, 0)
	files, urls := f.crawl()
	if len(files) != 2 {
		t.Errorf("index of an empty paper lists %v, want only sections and authors", files)
	}
	if len(urls) != 6 {
		t.Errorf("got %d URLs (%v), want home, 4 sections and corrections", len(urls), urls)
	}
	f.notFound("/sitemaps/articles-1.xml")
}

func TestNewsSitemap(t *testing.T) {
	f := newFeedFixture(t, 40)
	set := f.urlSet("/news-sitemap.xml")
	var want []string
	for _, a := range f.visible {
		if f.now.Sub(a.PublishedAt) <= 48*time.Hour {
			want = append(want, testBase+a.URL())
		}
	}
	if len(want) != 24 {
		t.Fatalf("fixture: %d articles of the last two days, want 24", len(want))
	}
	var got []string
	for _, u := range set.URLs {
		got = append(got, u.Loc)
		n := u.News
		if n == nil {
			t.Errorf("%s has no news:news", u.Loc)
			continue
		}
		if n.Publication.Name != "The Test Times" || n.Publication.Language != "en" {
			t.Errorf("%s: publication %+v", u.Loc, n.Publication)
		}
		pub, err := time.Parse(time.RFC3339, n.PublicationDate)
		if err != nil || f.now.Sub(pub) > 48*time.Hour || pub.After(f.now) {
			t.Errorf("%s: publication_date %q is not a W3C date of the last two days", u.Loc, n.PublicationDate)
		}
		a := f.byHeadline()[n.Title]
		if testBase+a.URL() != u.Loc {
			t.Errorf("%s: news:title %q is not its headline", u.Loc, n.Title)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("news sitemap:\n got %v\nwant %v", got, want)
	}
	body := string(f.ok("/news-sitemap.xml", xmlType).body)
	if !strings.Contains(body, `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`) {
		t.Errorf("news namespace is not declared:\n%.400s", body)
	}
	if strings.Contains(body, "HIDDEN") {
		t.Errorf("a hidden article is in the news sitemap")
	}
	// The title is escaped, not carried as markup.
	if !strings.Contains(body, "Fish &amp; chips &lt;b&gt;tonight&lt;/b&gt;") {
		t.Errorf("headline not escaped in the news sitemap")
	}
}

func TestRobotsTxt(t *testing.T) {
	f := newFeedFixture(t, 0)
	r := f.ok("/robots.txt", "text/plain; charset=utf-8")
	var lines []string
	for _, l := range strings.Split(string(r.body), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	want := []string{"User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /api/", "Disallow: /search", "Disallow: /*/print$",
		"Sitemap: " + testBase + "/sitemap.xml", "Sitemap: " + testBase + "/news-sitemap.xml"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("robots.txt:\n%s\nwant the lines\n%s", r.body, strings.Join(want, "\n"))
	}
}

func TestOpenSearch(t *testing.T) {
	f := newFeedFixture(t, 0)
	r := f.ok("/opensearch.xml", "application/opensearchdescription+xml; charset=utf-8")
	var d struct {
		XMLName   xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
		ShortName string   `xml:"ShortName"`
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal(r.body, &d); err != nil {
		t.Fatalf("opensearch.xml does not parse: %v", err)
	}
	if d.ShortName == "" || len([]rune(d.ShortName)) > 16 {
		t.Errorf("ShortName %q must have 1 to 16 characters", d.ShortName)
	}
	templates := map[string]string{}
	for _, u := range d.URLs {
		templates[u.Type] = u.Template
	}
	if got, want := templates["text/html"], testBase+"/search?q={searchTerms}"; got != want {
		t.Errorf("search template %q, want %q", got, want)
	}
}

func TestSitemapLastModifiedHeaders(t *testing.T) {
	f := newFeedFixture(t, 10)
	want := f.newestChange.UTC().Format(http.TimeFormat)
	for _, p := range []string{"/sitemap.xml", "/sitemaps/articles-1.xml", "/news-sitemap.xml", "/feed/rss", "/feed/json/national"} {
		if got := f.get(p).header.Get("Last-Modified"); got != want {
			t.Errorf("GET %s: Last-Modified %q, want %q", p, got, want)
		}
	}
	var keys []string
	for _, p := range []string{"/robots.txt", "/opensearch.xml"} {
		if got := f.get(p).header.Get("Last-Modified"); got != "" {
			keys = append(keys, p)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		t.Errorf("static documents claim a Last-Modified: %v", keys)
	}
}

// BenchmarkArticleSitemap makes a full article sitemap (10,000 URLs) from
// a paper of 20,000 articles, bypassing the page cache: the cost of the
// first request after a publish. Run with
// go test -run '^$' -bench ArticleSitemap ./internal/site/
func BenchmarkArticleSitemap(b *testing.B) {
	s := newBenchFixture(b, 2*ArticlesPerSitemap)
	mux := http.NewServeMux()
	s.sitemapRoutes(mux, func(h http.Handler) http.Handler { return h }, ArticlesPerSitemap)
	for _, p := range []string{"/sitemaps/articles-1.xml", "/sitemap.xml", "/news-sitemap.xml"} {
		b.Run(strings.TrimPrefix(p, "/"), func(b *testing.B) {
			var size int
			for b.Loop() {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

func TestCorrectionsReachFeedsAndSitemaps(t *testing.T) {
	f := newFeedFixture(t, 10)
	a := f.visible[4]
	c := news.Correction{ArticleID: a.ID, Kind: news.KindCorrection, Body: "An earlier version misspelled <b>Kim</b>.", CreatedAt: f.now.Add(-time.Minute)}
	if err := f.store.AddCorrection(f.ctx, &c); err != nil {
		t.Fatal(err)
	}
	when := rfc3339(c.CreatedAt)

	atom := checkAtom(t, f.ok("/feed/atom", "application/atom+xml; charset=utf-8").body, "/feed/atom")
	if atom.Updated != when {
		t.Errorf("feed updated %q, want the correction's time %q", atom.Updated, when)
	}
	e := atom.Entries[4]
	if e.Updated != when || e.Published != rfc3339(a.PublishedAt) {
		t.Errorf("corrected entry: published %q updated %q, want %q %q", e.Published, e.Updated, rfc3339(a.PublishedAt), when)
	}
	if !strings.Contains(e.Content.Value, "<strong>Correction, November 20, 2026:</strong> An earlier version misspelled &lt;b&gt;Kim&lt;/b&gt;.") {
		t.Errorf("corrected entry's content lacks the note: %s", e.Content.Value)
	}
	if got := f.get("/feed/rss").header.Get("Last-Modified"); got != c.CreatedAt.Format(http.TimeFormat) {
		t.Errorf("feed Last-Modified %q, want the correction's time", got)
	}
	_, urls := f.crawl()
	if urls[a.URL()] != when || urls["/corrections"] != when {
		t.Errorf("sitemap lastmod of the corrected article %q and of /corrections %q, want %q", urls[a.URL()], urls["/corrections"], when)
	}
	for _, u := range f.urlSet("/news-sitemap.xml").URLs {
		if u.Loc == testBase+a.URL() && u.LastMod != when {
			t.Errorf("news sitemap lastmod %q, want %q", u.LastMod, when)
		}
	}
}
