package cli_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"byline/internal/testutil"
)

// A running SQLite server notices another process's writes: a WordPress
// import into its data directory shows its sections, articles and old-URL
// redirects within 2 s, without a restart or a publish.
func TestServerSeesImportFromAnotherProcess(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	// Warm the cache and the in-memory section tree with the state before.
	for _, p := range []string{"/", "/section/local-news/politics", "/2019/05/03/council-harbour-wall/"} {
		resp, _ := app.Get(t, p)
		if p != "/" && resp.StatusCode != http.StatusNotFound {
			t.Fatalf("before the import GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
	res := run(t, nil, "import", "wordpress", "../wpimport/testdata/export.xml", "--data", app.DataDir)
	if res.code != 0 {
		t.Fatalf("import: %d %q %q", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stdout, "restart") {
		t.Errorf("import output still asks for a restart: %q", res.stdout)
	}
	imported := time.Now()
	deadline := imported.Add(2 * time.Second)
	for {
		var missing []string
		resp, doc := app.Get(t, "/section/local-news/politics")
		if resp.StatusCode != http.StatusOK {
			missing = append(missing, "section page: "+resp.Status)
		} else if !strings.Contains(doc.Find("main").Text(), "Council votes to rebuild the harbour wall") {
			missing = append(missing, "article on its section page")
		}
		resp, doc = app.Get(t, "/")
		if got := doc.Find(`nav a[href="/section/local-news"]`).Length(); resp.StatusCode != http.StatusOK || got == 0 {
			missing = append(missing, "section in the home page's navigation")
		}
		resp, _ = app.Get(t, "/2019/05/03/council-harbour-wall/")
		if resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(resp.Header.Get("Location"), "/article/") {
			missing = append(missing, "redirect from the old URL: "+resp.Status)
		}
		if len(missing) == 0 {
			t.Logf("import visible after %v", time.Since(imported).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("2 s after the import the running server still misses: %s", strings.Join(missing, "; "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
