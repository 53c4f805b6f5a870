package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/demo"
	"byline/internal/e2e/browser"
	"byline/internal/testutil"
)

// Every kind of reader page is valid HTML by the Nu HTML Checker (the
// W3C validator). Warnings are printed; errors fail the test.
func TestHTMLValid(t *testing.T) {
	browser.RequireNu(t)
	app := testutil.NewApp(t, testutil.WithDemoMonitor())
	corrected := app.DemoArticle(t, "daeyang-lng-carrier-orders")
	politics := app.DemoArticle(t, "housing-supply-bill-stalls")
	tr := publishTracker(t, app)
	campaign := campaignMember(t, app)
	bucket := time.Now().In(app.Config.Location).Format("2006-01-02")
	pages := []struct {
		name, path string
		status     int
	}{
		{"home", "/", 200},
		{"section", "/section/national", 200},
		{"subsection", "/section/national/politics", 200},
		{"article", corrected.URL(), 200},
		{"article-updated", politics.URL(), 200},
		{"article-comments-ko", corrected.URL() + "?lang=ko", 200},
		{"print", corrected.PrintURL(), 200},
		{"search", "/search?q=chip", 200},
		{"search-empty", "/search", 200},
		{"search-none", "/search?q=zzzzqqq&from=nonsense", 200},
		{"search-author", "/search?q=Kim+Ji-won", 200},
		{"search-suggestion", "/search?q=hosing", 200},
		{"author", corrected.Authors[0].URL(), 200},
		{"tag", "/tag/shipbuilding", 200},
		{"corrections", "/corrections", 200},
		{"stories", "/stories", 200},
		{"story", "/story/" + demo.DemoStorySlug, 200},
		{"story-kind", "/story/" + demo.DemoStorySlug + "?kind=key", 200},
		{"story-empty-kind", "/story/" + demo.DemoStorySlug + "?kind=correction", 200},
		{"article-in-story", app.DemoArticle(t, "defector-arrivals-fall").URL(), 200},
		{"story-campaign", "/story/" + demo.CampaignStorySlug, 200},
		{"story-campaign-page-2", "/story/" + demo.CampaignStorySlug + "?page=2", 200},
		{"story-campaign-key", "/story/" + demo.CampaignStorySlug + "?kind=key", 200},
		{"article-in-campaign", campaign, 200},
		{"tracker", "/tracker/" + tr.Slug, 200},
		{"tracker-demo", "/tracker/self-reliance", 200},
		{"tracker-bucket", "/tracker/" + tr.Slug + "?bucket=" + bucket, 200},
		{"not-found", "/no-such-page", 404},
		{"bad-request", "/section/national?page=abc", 400},
	}
	dir := t.TempDir()
	var files []string
	for _, p := range pages {
		req, _ := http.NewRequest(http.MethodGet, p.path, nil)
		res, body := app.Do(t, req)
		if res.StatusCode != p.status {
			t.Errorf("%s: status %d, want %d", p.path, res.StatusCode, p.status)
		}
		f := filepath.Join(dir, p.name+".html")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	browser.NuCheck(t, files)
}
