package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"byline/internal/testutil"
)

func TestOldPathsRedirectBefore404(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	if err := app.Store.PutRedirect(ctx, "/2019/05/old-post/", "/section/national"); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.PutRedirect(ctx, "/section/old-national", "/section/national"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"/2019/05/old-post/", "/section/national"},
		{"/2019/05/old-post/?utm=x", "/section/national?utm=x"},
		{"/section/old-national", "/section/national"}, // matched by a route that answers 404 itself
	} {
		res, _ := app.Get(t, tc.path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tc.want {
			t.Errorf("%s: %d %q, want 301 to %s", tc.path, res.StatusCode, res.Header.Get("Location"), tc.want)
		}
	}
	res, doc := app.Get(t, "/no/such/page")
	if res.StatusCode != http.StatusNotFound || doc.Find("h1").Length() == 0 {
		t.Errorf("unknown path: %d, want the 404 page", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", app.URL+"/api/v1/nothing", nil)
	r, err := app.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"not_found"`) {
		t.Errorf("API 404: %d %s", r.StatusCode, body)
	}
}
