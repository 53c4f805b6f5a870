package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/testutil"
)

// TestMediaURL: with --media-url every image of the reader pages (src and
// each srcset candidate, lead images and body images) points at the CDN
// address, while /media/ still serves the files for the admin pages and
// anything linked before.
func TestMediaURL(t *testing.T) {
	const cdn = "https://cdn.example.test/paper"
	app := testutil.NewApp(t, testutil.WithDemo(), testutil.WithArgs("--media-url", cdn+"/"))
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	for _, path := range []string{"/", "/section/national", a.URL()} {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		res, body := app.Do(t, req)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		imgs := 0
		doc.Find("img").Each(func(_ int, s *goquery.Selection) {
			src := s.AttrOr("src", "")
			if strings.Contains(src, "/demo/") {
				imgs++
				if !strings.HasPrefix(src, cdn+"/demo/") {
					t.Errorf("%s: img src %q, want it under %s", path, src, cdn)
				}
			}
			for _, c := range strings.Split(s.AttrOr("srcset", ""), ",") {
				if c = strings.TrimSpace(c); c != "" && !strings.HasPrefix(c, cdn+"/") {
					t.Errorf("%s: srcset candidate %q, want it under %s", path, c, cdn)
				}
			}
		})
		if imgs == 0 {
			t.Errorf("%s shows no demo picture", path)
		}
		if strings.Contains(string(body), `="/media/`) {
			t.Errorf("%s still links /media/ itself", path)
		}
	}
	// Byline still serves the files.
	res, err := app.Client.Get(app.URL + a.Image.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(a.Image.URL, "/media/") {
		t.Errorf("GET %s: %d; the stored URL stays /media/", a.Image.URL, res.StatusCode)
	}
}
