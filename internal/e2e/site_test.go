// Package e2e holds Byline's browser tests: a reader's journey through
// the demo paper in headless Chromium, checked with axe-core, plus the
// Nu HTML Checker on every kind of page.
//
// They need Chromium, the npm tools (npm ci --prefix tools) and Java for
// the HTML checker; without them the tests skip, except under CI=true.
// Run them with: go test ./internal/e2e/ (add -v to see screenshot paths;
// set BYLINE_SCREENSHOTS=DIR to keep the PNGs).
package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"byline/internal/demo"
	"byline/internal/e2e/browser"
	"byline/internal/testutil"
)

// crumbTrail reads the breadcrumb trail as a reader sees it, separators
// (drawn by CSS) included.
const crumbTrail = `Array.from(document.querySelectorAll("nav.breadcrumbs li")).map((li, i) => {
	const sep = i ? getComputedStyle(li, "::before").content.replace(/^"|"$/g, "") : "";
	return (sep ? " " + sep + " " : "") + li.textContent.trim();
}).join("")`

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// click clicks the element sel selects and waits for the next page.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	if res.Status != 200 {
		t.Fatalf("click %s: landed on %s with status %d", sel, res.URL, res.Status)
	}
}

func TestReaderJourney(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)

	// Home page.
	browser.Navigate(t, ctx, app.URL+"/")
	if title := run(t, ctx, "title", chromedp.Title()); title != app.Config.SiteName {
		t.Errorf("home title = %q, want %q", title, app.Config.SiteName)
	}
	browser.Screenshot(t, ctx, shots, "home")
	browser.Axe(t, ctx)

	// Follow the National section link, then its Politics subsection.
	click(t, ctx, `nav.sections-nav a[href="/section/national"]`)
	if loc := run(t, ctx, "location", chromedp.Location()); loc != app.URL+"/section/national" {
		t.Errorf("after clicking National: at %s", loc)
	}
	click(t, ctx, `nav.subsections a[href="/section/national/politics"]`)
	if got := run(t, ctx, "crumbs", chromedp.Evaluate[string](crumbTrail)); got != "Home › National › Politics" {
		t.Errorf("section breadcrumbs read %q, want %q", got, "Home › National › Politics")
	}
	browser.Screenshot(t, ctx, shots, "section")
	browser.Axe(t, ctx)

	// Open the housing bill article.
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	click(t, ctx, `ol.article-list h3 a[href="`+a.URL()+`"]`)
	if h := run(t, ctx, "headline", chromedp.Text(chromedp.CSS("h1#headline"))); h != a.Headline {
		t.Errorf("headline = %q, want %q", h, a.Headline)
	}
	if got := run(t, ctx, "crumbs", chromedp.Evaluate[string](crumbTrail)); got != "Home › National › Politics" {
		t.Errorf("article breadcrumbs read %q, want %q", got, "Home › National › Politics")
	}
	// The lead image loaded (it is served from the media directory).
	if w := run(t, ctx, "image", chromedp.Evaluate[int](`document.querySelector("figure.lead-image img").naturalWidth`)); w == 0 {
		t.Error("the lead image did not load")
	}
	browser.Screenshot(t, ctx, shots, "article")
	browser.Axe(t, ctx)

	// Print view.
	click(t, ctx, `.toolbar a.tool-print`)
	if loc := run(t, ctx, "location", chromedp.Location()); loc != app.URL+a.PrintURL() {
		t.Errorf("after clicking Print: at %s, want %s", loc, app.URL+a.PrintURL())
	}
	if n := run(t, ctx, "nav", chromedp.Evaluate[int](`document.querySelectorAll("nav, footer.site-footer, header.masthead").length`)); n != 0 {
		t.Errorf("print view shows %d navigation elements", n)
	}
	if u := run(t, ctx, "url", chromedp.Text(chromedp.CSS(".print-url"))); u != app.URL+a.URL() {
		t.Errorf("print view shows URL %q, want %q", u, app.URL+a.URL())
	}
	browser.Screenshot(t, ctx, shots, "print")
	browser.Axe(t, ctx)
}

// The other reader pages, checked with axe-core and photographed on a
// desktop and a phone-sized screen.
func TestPagesAccessible(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemoMonitor())
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	a := app.DemoArticle(t, "daeyang-lng-carrier-orders")
	pages := []struct{ name, path string }{
		{"search", "/search?q=chip"},
		{"search-empty", "/search"},
		{"search-author", "/search?q=Kim+Ji-won"},
		{"search-suggestion", "/search?q=hosing"},
		{"author", a.Authors[0].URL()},
		{"tag", "/tag/shipbuilding"},
		{"corrections", "/corrections"},
		{"article-corrected", a.URL()},
		{"stories", "/stories"},
		{"story", "/story/" + demo.DemoStorySlug},
		{"story-key-events", "/story/" + demo.DemoStorySlug + "?kind=key"},
		{"article-in-story", app.DemoArticle(t, "defector-arrivals-fall").URL()},
		{"story-campaign", "/story/" + demo.CampaignStorySlug},
		{"story-campaign-page-2", "/story/" + demo.CampaignStorySlug + "?page=2"},
		{"article-in-campaign", campaignMember(t, app)},
		{"tracker-demo", "/tracker/self-reliance"},
	}
	for _, p := range pages {
		browser.Navigate(t, ctx, app.URL+p.path)
		browser.Screenshot(t, ctx, shots, p.name)
		browser.Axe(t, ctx)
	}
	// 404 in the site layout.
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(app.URL+"/no-such-page")); err != nil {
		t.Fatal(err)
	}
	browser.Screenshot(t, ctx, shots, "not-found")
	browser.Axe(t, ctx)

	// A phone.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, path string }{{"mobile-home", "/"}, {"mobile-article", a.URL()}} {
		browser.Navigate(t, ctx, app.URL+p.path)
		// Nothing may be wider than the screen.
		if w := run(t, ctx, "width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s: the page is %dpx wide on a 390px screen (horizontal scrolling)", p.name, w)
		}
		browser.ScreenshotViewport(t, ctx, shots, p.name)
		browser.Axe(t, ctx)
	}
}

// The first Tab lands on the skip link, which is then visible, and Enter
// moves focus to the main content.
func TestKeyboardSkipLink(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	for _, path := range []string{"/", a.URL(), "/section/national"} {
		browser.Navigate(t, ctx, app.URL+path)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		focused := run(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.className + "|" + document.activeElement.getAttribute("href")`))
		if focused != "skip-link|#main" {
			t.Errorf("%s: first Tab focuses %q, want the skip link to #main", path, focused)
			continue
		}
		// A focused skip link is on screen (it may hide until focused).
		visible := run(t, ctx, "visible", chromedp.Evaluate[bool](`(() => {
			const r = document.activeElement.getBoundingClientRect();
			return r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight && r.left >= 0 && r.right <= innerWidth;
		})()`))
		if !visible {
			t.Errorf("%s: the focused skip link is not visible", path)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if id := run(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); id != "main" {
			t.Errorf("%s: after Enter on the skip link, focus is on %q, want #main", path, id)
		}
		if loc := run(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "#main") {
			t.Errorf("%s: after Enter, location %s", path, loc)
		}
	}
}
