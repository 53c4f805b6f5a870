package dictweb_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/testutil"
)

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// TestArticlePageWeight measures what the dictionary adds to an article
// page before a reader switches it on (the button, the script tag and the
// bootstrap script), holds it under 5 KB, and checks that the page is the
// same for every reader.
func TestArticlePageWeight(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	res, doc := app.Get(t, a.URL())
	if res.StatusCode != 200 {
		t.Fatalf("article: status %d", res.StatusCode)
	}
	btn := doc.Find("div.toolbar #dict-toggle")
	if btn.Length() != 1 || btn.AttrOr("aria-pressed", "") != "false" || btn.AttrOr("type", "") != "button" {
		t.Fatalf("no Dictionary toggle button in the toolbar")
	}
	if prev := btn.Prev(); !prev.HasClass("tool-print") {
		t.Errorf("the Dictionary button is not next to Print")
	}
	html, _ := goquery.OuterHtml(btn)
	boot := doc.Find(`script[src*="/assets/dictionary-boot."]`)
	if boot.Length() != 1 || boot.AttrOr("defer", "x") == "x" {
		t.Fatalf("no deferred bootstrap script")
	}
	if doc.Find(`script[src*="/assets/dictionary."], link[href*="/assets/dictionary."]`).Length() != 0 {
		t.Error("the page loads the full dictionary before it is switched on")
	}
	tag, _ := goquery.OuterHtml(boot)
	bres, bootJS := app.Do(t, mustReq(t, "GET", boot.AttrOr("src", "")))
	if bres.StatusCode != 200 {
		t.Fatalf("bootstrap: status %d", bres.StatusCode)
	}
	htmlBytes := len(html) + len(tag)
	total := htmlBytes + len(bootJS)
	t.Logf("article page weight added by the dictionary before it is switched on: %d B of HTML + %d B bootstrap script = %d B (gzip: ~%d B + %d B)",
		htmlBytes, len(bootJS), total, gzipLen([]byte(html+tag)), gzipLen(bootJS))
	if total >= 5000 {
		t.Errorf("the dictionary adds %d bytes to the article page before use, want < 5000", total)
	}

	// Identical for every reader: language cookie, Accept-Language.
	req := mustReq(t, "GET", a.URL())
	req.Header.Set("Cookie", "byline_lang=ko; byline.dictionary=1")
	req.Header.Set("Accept-Language", "ko-KR")
	_, other := app.Do(t, req)
	_, again := app.Do(t, mustReq(t, "GET", a.URL()))
	if !bytes.Equal(other, again) {
		t.Error("the article page differs between readers")
	}
}

// BenchmarkLookupHandler measures GET /api/dictionary through the whole
// handler (middleware included): a cached answer, and a look-up that
// misses the cache (a new sentence each time).
func BenchmarkLookupHandler(b *testing.B) {
	app := testutil.NewApp(b)
	h := app.Server.Handler()
	run := func(b *testing.B, target func(i int) string) {
		for i := 0; b.Loop(); i++ {
			req := httptest.NewRequest("GET", target(i), nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	}
	b.Run("cached", func(b *testing.B) {
		run(b, func(int) string {
			return "/api/dictionary?word=stalled&context=" + url.QueryEscape("The bill stalled in the Assembly.")
		})
	})
	b.Run("uncached", func(b *testing.B) {
		words := []string{"stalled", "sanctions", "redoubled", "banging", "greeted", "exploits", "homes", "parties"}
		run(b, func(i int) string {
			return "/api/dictionary?word=" + words[i%len(words)] + "&context=" + url.QueryEscape("Sentence number "+strconv.Itoa(i)+" of the test.")
		})
	})
}
