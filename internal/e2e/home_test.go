package e2e

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/testutil"
)

// latestVisible counts the home page's Latest rows a reader can see (a
// box of their own) and says whether "More latest stories" shows.
const latestVisible = `JSON.stringify({
	rows: Array.from(document.querySelectorAll("section.latest ol.latest-list li")).filter(li => li.checkVisibility()).length,
	all: document.querySelectorAll("section.latest ol.latest-list li").length,
	more: (() => { const s = document.querySelector("section.latest details.latest-more > summary"); return !!s && s.checkVisibility() })()
})`

// TestHomeLatestOnPhone: on a 412 px phone the home page's Latest shows
// eight rows and folds the rest behind "More latest stories", which opens
// them; on a 1280 px screen every row shows beside the section blocks and
// there is nothing to open. (Before: twenty rows, over four phone screens,
// before the first section block.) axe-core checks both, folded and open.
func TestHomeLatestOnPhone(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	type state struct {
		Rows, All int
		More      bool
	}
	look := func(what string) state {
		t.Helper()
		var s state
		if err := json.Unmarshal([]byte(run(t, ctx, what, chromedp.Evaluate[string](latestVisible))), &s); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915, chromedp.EmulateScale(1.75), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, ctx, app.URL+"/")
	s := look("phone")
	if s.All <= 8 {
		t.Fatalf("the demo home page has %d Latest rows: too few to fold", s.All)
	}
	all := s.All
	if s.Rows != 8 || !s.More {
		t.Errorf("phone: %d of %d Latest rows shown, More shown %v; want 8 and More", s.Rows, s.All, s.More)
	}
	browser.Screenshot(t, ctx, shots, "home-412")
	browser.Axe(t, ctx)
	run(t, ctx, "open More", chromedp.Click(chromedp.CSS("details.latest-more > summary"), chromedp.NodeVisible))
	if s := look("phone, opened"); s.Rows != all {
		t.Errorf("phone, More opened: %d Latest rows shown, want %d", s.Rows, all)
	}
	browser.Axe(t, ctx)

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, ctx, app.URL+"/")
	if s := look("desktop"); s.Rows != all || s.More {
		t.Errorf("desktop: %d Latest rows shown, More shown %v; want all %d and no More", s.Rows, s.More, all)
	}
	browser.Screenshot(t, ctx, shots, "home-1280")
	browser.Axe(t, ctx)

	// A browser without ::details-content (Firefox before 143, Safari
	// before 18.4) must not hide "More" on a wide screen, or the rows
	// behind it could not be reached. Such a browser drops the rules whose
	// selector has the pseudo-element and the @supports blocks that ask
	// for it: so does this script, in the page's style sheets.
	browser.Navigate(t, ctx, app.URL+"/")
	dropped := run(t, ctx, "style without ::details-content", chromedp.Evaluate[int](`(() => {
		let n = 0;
		const prune = (list, owner) => {
			for (let i = list.length - 1; i >= 0; i--) {
				const r = list[i];
				if ((r instanceof CSSStyleRule && r.selectorText.includes("::details-content")) ||
					(r instanceof CSSSupportsRule && r.conditionText.includes("::details-content"))) {
					owner.deleteRule(i); n++;
				} else if (r.cssRules) {
					prune(r.cssRules, r);
				}
			}
		};
		for (const sheet of document.styleSheets) prune(sheet.cssRules, sheet);
		return n;
	})()`))
	if dropped == 0 {
		t.Fatal("the style sheets have no rule with ::details-content: this part of the test has nothing to check")
	}
	if s := look("desktop, no ::details-content"); s.Rows != 8 || !s.More {
		t.Fatalf("desktop without ::details-content: %d Latest rows shown, More shown %v; want 8 and More", s.Rows, s.More)
	}
	run(t, ctx, "open More, no ::details-content", chromedp.Click(chromedp.CSS("details.latest-more > summary"), chromedp.NodeVisible))
	if s := look("desktop, no ::details-content, opened"); s.Rows != all {
		t.Errorf("desktop without ::details-content, More opened: %d Latest rows shown, want %d", s.Rows, all)
	}
}
