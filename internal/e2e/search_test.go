package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"byline/internal/e2e/browser"
	"byline/internal/testutil"
)

// TestSearchAsAReader types into the masthead's search box as a reader
// would: a reporter's name leads to their page, a misspelling to "did you
// mean", whose link finds the articles.
func TestSearchAsAReader(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)

	search := func(text string) {
		t.Helper()
		browser.Navigate(t, ctx, app.URL+"/")
		if _, err := chromedp.RunResponse(ctx,
			chromedp.SendKeys(`#masthead-q`, text+kb.Enter, chromedp.NodeVisible)); err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
	}

	search("Kim Ji-won")
	first := run(t, ctx, "first offered page", chromedp.Text(chromedp.CSS(`.search-pages li a`)))
	if first != "Kim Ji-won" {
		t.Errorf("first page offered = %q, want Kim Ji-won", first)
	}
	browser.Screenshot(t, ctx, shots, "search-author")
	browser.Axe(t, ctx)
	click(t, ctx, `.search-pages li a`)
	if loc := run(t, ctx, "location", chromedp.Location()); loc != app.URL+"/author/kim-ji-won" {
		t.Errorf("after clicking the author: at %s", loc)
	}

	search("hosing")
	sugg := run(t, ctx, "suggestion", chromedp.Text(chromedp.CSS(`.search-suggestion a`)))
	if sugg != "housing" {
		t.Fatalf("suggestion = %q, want housing", sugg)
	}
	browser.Screenshot(t, ctx, shots, "search-suggestion")
	click(t, ctx, `.search-suggestion a`)
	if v := run(t, ctx, "search box", chromedp.Evaluate[string](`document.querySelector("#q").value`)); v != "housing" {
		t.Errorf("search box holds %q after the suggestion, want housing", v)
	}
	n := run(t, ctx, "hits", chromedp.Evaluate[int](`document.querySelectorAll("ol.search-results > li").length`))
	if n == 0 {
		t.Error("the suggestion finds nothing")
	}
	marks := run(t, ctx, "marks", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("ol.search-results .snippet mark")).map(m => m.textContent)`))
	if len(marks) == 0 {
		t.Error("no highlighted words in the snippets")
	}
	for _, m := range marks {
		if !strings.HasPrefix(strings.ToLower(m), "hous") {
			t.Errorf("marked %q for housing", m)
		}
	}
}
