package newsroom_test

// Accessibility of the admin pages: axe-core in headless Chromium finds
// no violations. Run: go test ./internal/newsroom -run Axe (needs chromium
// and axe-core: npm ci --prefix tools).

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/auth"
	"byline/internal/demo"
	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

func TestBrowserAdminPagesAxe(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := testutil.NewApp(t, testutil.WithDemo())
	if _, err := auth.CreateUser(context.Background(), app.Store, "ada@example.com", "Ada Admin", news.RoleAdmin, password); err != nil {
		t.Fatal(err)
	}
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	// A live article with a draft of changes (its panel and diff).
	pd := app.DemoArticle(t, "hanseong-hbm-bet")
	snap := pd
	snap.Headline = "A prepared headline"
	if err := app.Store.PutPendingDraft(context.Background(), &news.PendingDraft{ArticleID: pd.ID, BaseVersion: pd.Version, Snapshot: snap}); err != nil {
		t.Fatal(err)
	}
	tr := news.Tracker{Title: "Chip watch", Phrases: []string{"chip", "반도체"}, Interval: news.IntervalWeek, Measure: news.MeasureArticles, Buckets: 12, Published: true}
	if err := app.Store.CreateTracker(context.Background(), &tr); err != nil {
		t.Fatal(err)
	}
	rules, err := app.Store.ModRules(context.Background())
	if err != nil || len(rules) == 0 {
		t.Fatalf("the demo's moderation rule: %v (%d)", err, len(rules))
	}
	bctx := browser.New(t)
	browser.Navigate(t, bctx, app.URL+"/admin/login")
	browser.Axe(t, bctx)
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#email`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.dash`)),
	)
	cancel()
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	pages := []string{"/admin/", "/admin/articles", "/admin/articles/new", "/admin/articles/" + itoa(a.ID), "/admin/articles/" + itoa(pd.ID),
		"/admin/articles/" + itoa(a.ID) + "/revisions", "/admin/sections", "/admin/authors", "/admin/authors/new", "/admin/users", "/admin/account",
		"/admin/comments", "/admin/comments/rules", "/admin/comments/rules/" + itoa(rules[0].ID), "/admin/comments/articles/" + itoa(a.ID),
		"/admin/comments/appeals", "/admin/comments/log", "/admin/comments/settings",
		"/admin/media", "/admin/media?credit=demo&from=2000-01-01",
		"/admin/trackers", "/admin/trackers?phrase=chip&phrase=%EB%B0%98%EB%8F%84%EC%B2%B4&interval=day&buckets=14", "/admin/trackers/" + itoa(tr.ID),
		"/admin/dictionary", "/admin/webhooks", "/admin/comments/readers", "/admin/comments/policy"}
	for _, p := range pages {
		browser.Navigate(t, bctx, app.URL+p)
		browser.Axe(t, bctx)
	}
	// The new rule's form sent back with its error (no clause chosen).
	browser.Navigate(t, bctx, app.URL+"/admin/comments/rules")
	ctx, cancel = context.WithTimeout(bctx, 30*time.Second)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#rule-name`), "Without a clause"),
		chromedp.SendKeys(chromedp.CSS(`#rule-message`), "Closed tonight."),
		chromedp.SetValue(chromedp.CSS(`#rule-action`), string(news.RuleClosed)),
		chromedp.Click(chromedp.CSS(`#new-rule ~ form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.form-error`)),
	)
	cancel()
	if err != nil {
		t.Fatalf("rule form with an error: %v", err)
	}
	browser.Axe(t, bctx)
	// The editor's preview (drawn into the editor's frame) is a whole
	// article page with its banner: it is checked as the page itself.
	browser.Navigate(t, bctx, app.URL+"/admin/articles/"+itoa(a.ID))
	ctx, cancel = context.WithTimeout(bctx, 30*time.Second)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`(function(){ var f = document.getElementById("preview"); return !!(f && f.srcdoc.indexOf("preview-banner") >= 0); })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(function(){ var h = document.getElementById("preview").srcdoc; document.open(); document.write(h); document.close(); })()`))
	}
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete" && !!document.getElementById("preview-banner") && document.styleSheets.length >= 2`, chromedp.WithPollingTimeout(10*time.Second)))
	}
	cancel()
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	browser.Axe(t, bctx)
	// The running stories' pages (the demo paper's live story).
	st, err := app.Store.StoryBySlug(context.Background(), demo.DemoStorySlug)
	if err != nil {
		t.Fatal(err)
	}
	es, err := app.Store.StoryEntries(context.Background(), news.EntryQuery{StoryID: st.ID, Pinned: true, Limit: 1})
	if err != nil || len(es) != 1 {
		t.Fatalf("the demo story's pinned entry: %v (%d)", err, len(es))
	}
	for _, p := range []string{"/admin/stories", "/admin/stories/" + itoa(st.ID), "/admin/stories/" + itoa(st.ID) + "/entries/" + itoa(es[0].ID)} {
		browser.Navigate(t, bctx, app.URL+p)
		browser.Axe(t, bctx)
	}
	// On a phone no admin page scrolls sideways: a wide table scrolls in
	// its own box (with the hidden labels inside it) and a story's long
	// summary wraps. The demo's tables (articles, users, the story's
	// entries, the audit log) are wider than the screen.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(412, 915)); err != nil {
		t.Fatal(err)
	}
	for _, p := range append(pages, "/admin/stories", "/admin/stories/"+itoa(st.ID)) {
		browser.Navigate(t, bctx, app.URL+p)
		w, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if w[1] > 412 || w[0] > w[1] {
			t.Errorf("%s on a 412 px phone: the page is %d px wide in a %d px window, want no sideways scrolling", p, w[0], w[1])
		}
		browser.Axe(t, bctx)
	}
}
