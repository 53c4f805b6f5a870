package server_test

import (
	"net/http"
	"strings"
	"testing"

	"byline/internal/testutil"
)

func TestWrongMethodOnReaderPages(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/", http.StatusMethodNotAllowed},
		{"DELETE", a.URL(), http.StatusMethodNotAllowed},
		{"PUT", "/section/national", http.StatusMethodNotAllowed},
		{"POST", "/no/such/page", http.StatusNotFound},
		{"GET", "/no/such/page", http.StatusNotFound},
	} {
		req, err := http.NewRequest(c.method, app.URL+c.path, strings.NewReader("x=1"))
		if err != nil {
			t.Fatal(err)
		}
		res, _ := app.Do(t, req)
		if res.StatusCode != c.want {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, res.StatusCode, c.want)
		}
		if c.want == http.StatusMethodNotAllowed && res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: Allow %q", c.method, c.path, res.Header.Get("Allow"))
		}
	}
}
