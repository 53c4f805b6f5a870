package testutil_test

import (
	"net/http"
	"strconv"
	"testing"

	"byline/internal/testutil"
)

func TestNewAppServesDemo(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	res, doc := app.Get(t, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /: status %d, want 200", res.StatusCode)
	}
	if got := doc.Find("a.brand").Text(); got != app.Config.SiteName {
		t.Errorf("brand = %q, want %q", got, app.Config.SiteName)
	}
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	res, _ = app.Get(t, "/article/"+strconv.FormatInt(a.ID, 10))
	if res.StatusCode != http.StatusMovedPermanently {
		t.Errorf("short article URL: status %d, want 301 (client must not follow redirects)", res.StatusCode)
	}
}

func TestNewAppEmpty(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithArgs("--site-name", "The Test Times"))
	res, doc := app.Get(t, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /: status %d, want 200", res.StatusCode)
	}
	if got := doc.Find("a.brand").Text(); got != "The Test Times" {
		t.Errorf("brand = %q, want %q", got, "The Test Times")
	}
}
