package site_test

// Tests of search, the page cache, response headers and refusals, through
// the real application.

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	lng := app.DemoArticle(t, correctedSlug)

	t.Run("relevance and highlighting", func(t *testing.T) {
		res, doc := app.Get(t, "/search?q="+url.QueryEscape("LNG carriers"))
		wantStatus(t, res, http.StatusOK)
		wantSitePage(t, "/search", doc)
		hits := doc.Find("ol.search-results > li")
		if hits.Length() == 0 {
			t.Fatal("no results for LNG carriers")
		}
		if href, _ := hits.First().Find("h2 a").Attr("href"); href != lng.URL() {
			t.Errorf("first hit = %q, want %q", href, lng.URL())
		}
		marks := texts(hits.First().Find(".snippet mark"))
		if len(marks) == 0 {
			t.Fatalf("snippet %q has no <mark>", hits.First().Find(".snippet").Text())
		}
		for _, m := range marks {
			if l := strings.ToLower(m); !strings.HasPrefix(l, "lng") && !strings.HasPrefix(l, "carrier") {
				t.Errorf("marked %q, which is not a search term", m)
			}
		}
		if got := doc.Find(".search-count").Text(); !strings.Contains(got, "for “LNG carriers”") {
			t.Errorf("count line = %q", got)
		}
		if v, _ := doc.Find("input#q").Attr("value"); v != "LNG carriers" {
			t.Errorf("search box keeps %q, want the query", v)
		}
		if r, _ := doc.Find(`meta[name="robots"]`).Attr("content"); !strings.Contains(r, "noindex") {
			t.Errorf("search robots = %q, want noindex", r)
		}
	})

	t.Run("snippets are escaped", func(t *testing.T) {
		_, doc := app.Get(t, "/search?q="+url.QueryEscape("<b>chip</b>"))
		if doc.Find(".snippet b, .search-count b").Length() != 0 {
			t.Error("the query's markup reached the page as elements")
		}
	})

	t.Run("section filter", func(t *testing.T) {
		res, doc := app.Get(t, "/search?q=chip&section=opinion")
		wantStatus(t, res, http.StatusOK)
		links := doc.Find("ol.search-results > li .card-section a")
		if links.Length() == 0 {
			t.Fatal("no opinion results for chip")
		}
		links.Each(func(_ int, s *goquery.Selection) {
			if href, _ := s.Attr("href"); !strings.HasPrefix(href, "/section/opinion") {
				t.Errorf("hit in %q, outside opinion", href)
			}
		})
		if v, _ := doc.Find(`select#section option[selected]`).Attr("value"); v != "opinion" {
			t.Errorf("selected section = %q, want opinion", v)
		}
		_, all := app.Get(t, "/search?q=chip")
		if all.Find("ol.search-results > li").Length() <= links.Length() {
			t.Error("the unfiltered search finds no more than the filtered one")
		}
		res, doc = app.Get(t, "/search?q=chip&section=no-such")
		wantStatus(t, res, http.StatusOK)
		if doc.Find(".notice").Length() == 0 {
			t.Error("an unknown section gives no notice")
		}
	})

	t.Run("date filter", func(t *testing.T) {
		loc := app.Config.Location
		day := func(d time.Duration) string { return app.Now.Add(d).In(loc).Format("2006-01-02") }
		from := day(-48 * time.Hour)
		res, doc := app.Get(t, "/search?q=the&from="+from)
		wantStatus(t, res, http.StatusOK)
		hits := doc.Find("ol.search-results > li time")
		if hits.Length() == 0 {
			t.Fatal("nothing from the last two days")
		}
		start, _ := time.ParseInLocation("2006-01-02", from, loc)
		hits.Each(func(_ int, s *goquery.Selection) {
			dt, _ := s.Attr("datetime")
			if pt, err := time.Parse(time.RFC3339, dt); err != nil || pt.Before(start) {
				t.Errorf("hit dated %s is before from=%s", dt, from)
			}
		})
		if v, _ := doc.Find("input#from").Attr("value"); v != from {
			t.Errorf("from box keeps %q, want %q", v, from)
		}
		_, doc = app.Get(t, "/search?q=the&to=2001-01-01")
		if n := doc.Find("ol.search-results > li").Length(); n != 0 {
			t.Errorf("to=2001-01-01 finds %d demo articles", n)
		}
	})

	t.Run("paging", func(t *testing.T) {
		res, doc := app.Get(t, "/search?q=the")
		wantStatus(t, res, http.StatusOK)
		if n := doc.Find("ol.search-results > li").Length(); n != 10 {
			t.Fatalf("page 1 has %d hits, want 10", n)
		}
		next, ok := doc.Find(`nav.pager a[rel="next"]`).Attr("href")
		if !ok || !strings.Contains(next, "page=2") || !strings.Contains(next, "q=the") {
			t.Fatalf("next link = %q", next)
		}
		res, doc2 := app.Get(t, next)
		wantStatus(t, res, http.StatusOK)
		first1, _ := doc.Find("ol.search-results h2 a").First().Attr("href")
		first2, _ := doc2.Find("ol.search-results h2 a").First().Attr("href")
		if first1 == first2 {
			t.Error("page 2 starts with page 1's first hit")
		}
		res, _ = app.Get(t, "/search?q=the&page=abc")
		wantStatus(t, res, http.StatusBadRequest)
	})

	t.Run("hostile queries", func(t *testing.T) {
		for _, q := range []string{
			`q=` + url.QueryEscape(`"`),
			`q=` + url.QueryEscape(`"unbalanced`),
			`q=` + url.QueryEscape(`NEAR(chip ship, 2)`),
			`q=` + url.QueryEscape(`chip AND OR NOT`),
			`q=` + url.QueryEscape(`headline:chip`),
			`q=` + url.QueryEscape(`body_text:chip OR -x`),
			`q=` + url.QueryEscape(`*`),
			`q=` + url.QueryEscape(`chip*`),
			`q=` + url.QueryEscape(`^chip`),
			`q=` + url.QueryEscape(`((((((((chip`),
			`q=` + url.QueryEscape(`{chip ship}`),
			`q=` + url.QueryEscape(`'; DROP TABLE articles; --`),
			`q=` + url.QueryEscape(strings.Repeat("chip ", 2000)),
			`q=` + strings.Repeat("x", 10000),
			`q=` + url.QueryEscape(strings.Repeat("한국", 5000)),
			`q=%ff%fe%fd`,
			`q=chip%00ship`,
			`q=%02chip%03`,
			`q=` + url.QueryEscape("\u202eevil"),
			`q=chip&from=2026-13-45`,
			`q=chip&from=abc&to=xyz`,
			`q=chip&to=99999-01-01`,
			`q=chip&from=0000-01-01`,
			`q=chip&from=2026-01-01&to=2020-01-01`,
			`q=chip&section=` + url.QueryEscape("../../etc"),
			`q=chip&page=99999`,
			`q=&page=2`,
			`q=chip&q=ship`,
		} {
			res, doc := app.Get(t, "/search?"+q)
			if res.StatusCode >= 500 || (res.StatusCode != 200 && res.StatusCode != 400 && res.StatusCode != 404) {
				short := q
				if len(short) > 80 {
					short = short[:80] + "…"
				}
				t.Errorf("/search?%s: status %d", short, res.StatusCode)
				continue
			}
			wantSitePage(t, "/search", doc)
		}
		// A 10,000-character query is cut, and the reader is told.
		_, doc := app.Get(t, "/search?q="+strings.Repeat("x", 10000))
		if v, _ := doc.Find("input#q").Attr("value"); len([]rune(v)) > 200 {
			t.Errorf("the search box holds %d characters, want at most 200", len([]rune(v)))
		}
		if doc.Find(".notice").Length() == 0 {
			t.Error("a cut query gives no notice")
		}
		_, doc = app.Get(t, "/search?q=chip&from=2026-13-45")
		if !strings.Contains(doc.Find(".notice").Text(), "Dates") {
			t.Errorf("bad date notice = %q", doc.Find(".notice").Text())
		}
	})

	t.Run("empty query", func(t *testing.T) {
		res, doc := app.Get(t, "/search")
		wantStatus(t, res, http.StatusOK)
		if doc.Find("form.search-form input#q").Length() != 1 {
			t.Error("no search form")
		}
		if doc.Find(".search-count").Length() != 0 {
			t.Error("an empty search shows a result count")
		}
	})
}

// Every response carries the security headers, whatever route made it.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	_, doc := app.Get(t, "/")
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	reqs := []*http.Request{}
	for _, p := range []string{"/", a.URL(), a.PrintURL(), "/section/business", "/search?q=chip", "/no-such", "/section/national?page=abc",
		"/healthz", "/readyz", css, a.Image.URL, "/article/" + "1", a.Authors[0].URL()} {
		reqs = append(reqs, must(http.NewRequest(http.MethodGet, p, nil)))
	}
	reqs = append(reqs, must(http.NewRequest(http.MethodPost, "/", strings.NewReader("x=1"))))
	reqs = append(reqs, must(http.NewRequest(http.MethodHead, a.URL(), nil)))
	for _, req := range reqs {
		res, _ := app.Do(t, req)
		h := res.Header
		id := req.Method + " " + req.URL.RequestURI()
		if res.StatusCode >= 500 {
			t.Errorf("%s: status %d", id, res.StatusCode)
		}
		csp := h.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %q", id, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %q", id, csp)
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", id, k, got, want)
			}
		}
	}
}

func TestPageCache(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	cache := app.Server.Cache()

	res1, body1 := app.Do(t, must(http.NewRequest("GET", a.URL(), nil)))
	wantStatus(t, res1, http.StatusOK)
	hits := cache.Hits.Load()
	res2, body2 := app.Do(t, must(http.NewRequest("GET", a.URL(), nil)))
	wantStatus(t, res2, http.StatusOK)
	if got := cache.Hits.Load(); got != hits+1 {
		t.Errorf("cache hits after a second GET = %d, want %d", got, hits+1)
	}
	if !bytes.Equal(body1, body2) {
		t.Error("the cached page differs from the rendered one")
	}
	etag := res2.Header.Get("ETag")
	if etag == "" || etag != res1.Header.Get("ETag") {
		t.Fatalf("ETags %q and %q, want the same non-empty one", res1.Header.Get("ETag"), etag)
	}
	lm := res2.Header.Get("Last-Modified")
	if lmt, err := http.ParseTime(lm); err != nil || !lmt.Equal(a.LastModified().Truncate(time.Second)) {
		t.Errorf("Last-Modified = %q, want %s", lm, a.LastModified().UTC().Format(http.TimeFormat))
	}
	if cc := res2.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
		t.Errorf("Cache-Control = %q, want a public page", cc)
	}
	if v := res2.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("Vary = %q, want Accept-Encoding", v)
	}

	t.Run("If-None-Match", func(t *testing.T) {
		req := must(http.NewRequest("GET", a.URL(), nil))
		req.Header.Set("If-None-Match", etag)
		res, body := app.Do(t, req)
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("status %d with %d bytes, want 304 and no body", res.StatusCode, len(body))
		}
		if res.Header.Get("ETag") != etag {
			t.Errorf("304 ETag = %q, want %q", res.Header.Get("ETag"), etag)
		}
		req.Header.Set("If-None-Match", `"something-else"`)
		res, _ = app.Do(t, req)
		wantStatus(t, res, http.StatusOK)
	})

	t.Run("If-Modified-Since", func(t *testing.T) {
		req := must(http.NewRequest("GET", a.URL(), nil))
		req.Header.Set("If-Modified-Since", lm)
		res, _ := app.Do(t, req)
		wantStatus(t, res, http.StatusNotModified)
		req.Header.Set("If-Modified-Since", a.PublishedAt.Add(-time.Hour).UTC().Format(http.TimeFormat))
		res, _ = app.Do(t, req)
		wantStatus(t, res, http.StatusOK)
	})

	t.Run("gzip", func(t *testing.T) {
		for _, p := range []string{a.URL(), "/", "/search?q=chip"} {
			req := must(http.NewRequest("GET", p, nil))
			req.Header.Set("Accept-Encoding", "gzip")
			res, body := app.Do(t, req)
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: Content-Encoding = %q, want gzip", p, res.Header.Get("Content-Encoding"))
				continue
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if !bytes.Contains(plain, []byte("</html>")) {
				t.Errorf("%s: the gzip body is not the page", p)
			}
			if p == a.URL() && !bytes.Equal(plain, body1) {
				t.Errorf("%s: the gzip body differs from the plain one", p)
			}
		}
		req := must(http.NewRequest("GET", a.URL(), nil))
		req.Header.Set("Accept-Encoding", "gzip;q=0, br")
		res, _ := app.Do(t, req)
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("gzip;q=0: Content-Encoding = %q, want none", res.Header.Get("Content-Encoding"))
		}
	})

	t.Run("HEAD", func(t *testing.T) {
		res, body := app.Do(t, must(http.NewRequest("HEAD", a.URL(), nil)))
		if res.StatusCode != http.StatusOK || len(body) != 0 {
			t.Errorf("HEAD: %d with %d bytes", res.StatusCode, len(body))
		}
	})

	t.Run("junk parameters share one entry", func(t *testing.T) {
		before := cache.Len()
		for i := range 20 {
			app.Get(t, a.URL()+"?utm_source="+strings.Repeat("x", i))
		}
		if after := cache.Len(); after > before {
			t.Errorf("cache grew from %d to %d entries on junk parameters", before, after)
		}
	})

	t.Run("errors are not cached", func(t *testing.T) {
		for range 2 {
			res, _ := app.Get(t, "/section/national?page=abc")
			wantStatus(t, res, http.StatusBadRequest)
			if res.Header.Get("ETag") != "" && res.Header.Get("Cache-Control") != "no-store" {
				t.Error("an error page was cached")
			}
		}
	})
}

// After the newsroom publishes and notifies, pages show the new article.
func TestCacheInvalidation(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	base := app.DemoArticle(t, politicsSlug)
	app.Get(t, "/") // fill the cache
	app.Get(t, "/section/national/politics")

	a := news.Article{Slug: "fresh-news", SectionID: base.SectionID, Headline: "Fresh news from the Assembly",
		Body: "Just in.", BodyText: "Just in.", Authors: base.Authors[:1], Status: news.StatusPublished, Top: true,
		PublishedAt: time.Now().UTC().Truncate(time.Second)}
	if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	links := func(path string) bool {
		_, doc := app.Get(t, path)
		return doc.Find(`a[href="`+a.URL()+`"]`).Length() > 0
	}
	// Without a notification the cached pages stay as they were: this is
	// what makes the test below test invalidation.
	if links("/") {
		t.Fatal("the cached home page changed before any notification")
	}
	app.Notify(news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
	for _, p := range []string{"/", "/section/national/politics", "/section/national", base.Authors[0].URL()} {
		if !links(p) {
			t.Errorf("%s does not link the new article after the change", p)
		}
	}
	_, doc := app.Get(t, "/")
	if href, _ := doc.Find("article.lead-story h2 a").Attr("href"); href != a.URL() {
		t.Errorf("lead story = %q, want the new top story %q", href, a.URL())
	}
}

// Oversized bodies are refused before anything reads them.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	big := bytes.Repeat([]byte("a"), 10<<20)
	for _, p := range []string{"/", "/search", "/article/1/x", "/no-such", "/section/national", "/api/v1/anything"} {
		for _, chunked := range []bool{false, true} {
			var body io.Reader = bytes.NewReader(big)
			if chunked {
				body = io.MultiReader(bytes.NewReader(big)) // no length: sent chunked
			}
			req := must(http.NewRequest(http.MethodPost, p, body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := app.Client.Do(withBase(app, req))
			if err != nil {
				// The server may close the connection after answering
				// without reading 10 MB; that is a refusal too.
				t.Logf("POST %s (chunked %v): %v", p, chunked, err)
				continue
			}
			res.Body.Close()
			if res.StatusCode != http.StatusRequestEntityTooLarge && res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s with 10 MB (chunked %v): status %d, want 413, 405 or 404", p, chunked, res.StatusCode)
			}
		}
	}
}

func withBase(app *testutil.App, req *http.Request) *http.Request {
	u := must(url.Parse(app.URL + req.URL.RequestURI()))
	req.URL, req.Host = u, u.Host
	return req
}

func TestMethodsRefused(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, "BREW"} {
		for _, p := range []string{"/", "/search", "/section/national"} {
			res, _ := app.Do(t, must(http.NewRequest(m, p, nil)))
			if res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 405", m, p, res.StatusCode)
			}
		}
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		res, body := app.Do(t, must(http.NewRequest("GET", p, nil)))
		wantStatus(t, res, http.StatusOK)
		if res.Header.Get("Cache-Control") != "no-store" || len(body) == 0 {
			t.Errorf("%s: Cache-Control %q, body %q", p, res.Header.Get("Cache-Control"), body)
		}
	}
	// With the database closed, readyz says so and healthz does not.
	app.Store.Close()
	res, _ := app.Do(t, must(http.NewRequest("GET", "/readyz", nil)))
	wantStatus(t, res, http.StatusServiceUnavailable)
	res, _ = app.Do(t, must(http.NewRequest("GET", "/healthz", nil)))
	wantStatus(t, res, http.StatusOK)
}

// A site with no articles yet still has a front page, sections and search.
func TestEmptySite(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	for _, p := range []string{"/", "/search?q=anything"} {
		res, doc := app.Get(t, p)
		wantStatus(t, res, http.StatusOK)
		wantSitePage(t, p, doc)
	}
}

// DESIGN.md: an article page is under 60 KB of HTML, CSS and script
// before images (uncompressed, the most a reader's browser parses).
func TestArticleWeight(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, correctedSlug)
	res, body := app.Do(t, must(http.NewRequest("GET", a.URL(), nil)))
	wantStatus(t, res, http.StatusOK)
	doc := must(goquery.NewDocumentFromReader(bytes.NewReader(body)))
	total := len(body)
	parts := []string{"html " + strconv.Itoa(len(body))}
	doc.Find(`link[rel="stylesheet"], script[src]`).Each(func(_ int, s *goquery.Selection) {
		u := s.AttrOr("href", s.AttrOr("src", ""))
		r, b := app.Do(t, must(http.NewRequest("GET", u, nil)))
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", u, r.StatusCode)
		}
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable (hashed asset URL)", u, cc)
		}
		total += len(b)
		parts = append(parts, u+" "+strconv.Itoa(len(b)))
	})
	t.Logf("article page weight: %d bytes (%s)", total, strings.Join(parts, ", "))
	if total > 60_000 {
		t.Errorf("article page weighs %d bytes of HTML, CSS and script, want under 60,000 (%s)", total, strings.Join(parts, ", "))
	}
}
