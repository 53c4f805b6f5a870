package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/testutil"
)

// BenchmarkContentAPI measures the Content API end to end (HTTP, JSON,
// SQLite) over the demo paper plus 20,000 generated articles.
func BenchmarkContentAPI(b *testing.B) {
	app := testutil.NewApp(b, testutil.WithDemo())
	if err := demo.Generate(context.Background(), app.Store, 20000, 1, time.Now(), 5*365*24*time.Hour, nil); err != nil {
		b.Fatal(err)
	}
	app.Notify(newsSections())
	var cursor string
	{
		var page struct {
			NextCursor string `json:"next_cursor"`
		}
		getJSONb(b, app, "/api/v1/articles?limit=20", &page)
		for range 100 {
			getJSONb(b, app, "/api/v1/articles?limit=20&cursor="+page.NextCursor, &page)
		}
		cursor = page.NextCursor
	}
	for _, p := range []string{"/api/v1/articles?limit=20", "/api/v1/articles?limit=20&cursor=" + cursor, "/api/v1/articles?limit=20&section=national",
		"/api/v1/articles/1", "/api/v1/sections", "/api/v1/tags"} {
		b.Run(p, func(b *testing.B) {
			c := &http.Client{}
			for b.Loop() {
				res, err := c.Get(app.URL + p)
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("%v %v", err, res.Status)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
}

func getJSONb(b *testing.B, app *testutil.App, path string, v any) {
	b.Helper()
	res, err := http.Get(app.URL + path)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if err := jsonDecode(res.Body, v); err != nil {
		b.Fatal(err)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func newsSections() news.Change { return news.Change{Kind: news.ChangeSections} }
