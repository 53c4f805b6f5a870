package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"byline/internal/demo"
	"byline/internal/e2e/browser"
	"byline/internal/testutil"
)

// layoutShifts waits until the page has loaded, its fonts and its eager
// images are decoded and two frames have been drawn, then returns every
// layout-shift entry of the load (PerformanceObserver, buffered) that no
// input caused, each with the elements that moved.
const layoutShifts = `(async () => {
	if (document.readyState !== "complete") await new Promise(r => addEventListener("load", r, {once: true}));
	await document.fonts.ready;
	await Promise.all(Array.from(document.images).filter(i => i.loading !== "lazy").map(i => i.decode().catch(() => {})));
	await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	const entries = await new Promise(resolve => {
		const seen = [];
		const po = new PerformanceObserver(list => seen.push(...list.getEntries()));
		po.observe({type: "layout-shift", buffered: true});
		// buffered entries arrive in a task of their own
		setTimeout(() => { seen.push(...po.takeRecords()); po.disconnect(); resolve(seen); }, 0);
	});
	return JSON.stringify(entries.filter(e => !e.hadRecentInput).map(e => ({
		value: e.value,
		sources: (e.sources || []).map(s => s.node && s.node.nodeType === 1 ?
			s.node.nodeName.toLowerCase() + (s.node.id ? "#" + s.node.id : "") + (s.node.className && typeof s.node.className === "string" ? "." + s.node.className.trim().split(/\s+/).join(".") : "") :
			String(s.node && s.node.nodeName))
	})));
})()`

type shift struct {
	Value   float64  `json:"value"`
	Sources []string `json:"sources"`
}

// TestNoLayoutShift loads the home page, a section front and the longest
// demo article on a phone (390x844) and a desktop (1366x900) screen and
// asserts that nothing moves while they load: the sum of the layout-shift
// entries (what Lighthouse reports as CLS) is 0. Scripts and images are
// held back (a slow phone network, made certain): the page is painted
// before they arrive, so whatever they would move is seen moving. It also photographs each
// (BYLINE_SCREENSHOTS=DIR keeps the PNGs) and checks that no page is wider
// than a phone's screen.
func TestNoLayoutShift(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	long := app.DemoArticle(t, "hanseong-hbm-bet")
	// A long address and a long word, as readers' and reporters' text
	// has them, must wrap rather than push the page sideways.
	long.Body += "\n\nThe filing is at https://filings.example.org/disclosures/2026/hanseong-semiconductor/quarterly-report-third-quarter-appendix-capital-expenditure-by-plant.pdf and the committee's name in full is Grossraumhalbleiterfertigungsanlagenfinanzierungsausschuss.\n"
	if err := app.Store.UpdateArticle(context.Background(), &long); err != nil {
		t.Fatalf("add a long URL to the article: %v", err)
	}
	slow := func(pattern string, ms float64) *network.Conditions {
		return &network.Conditions{URLPattern: app.URL + pattern, Latency: ms, DownloadThroughput: -1, UploadThroughput: -1}
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{slow("/assets/*.js", 1000), slow("/media/*", 500)},
	}); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"section", "/section/national"},
		{"article", long.URL()},
		{"story", "/story/" + demo.DemoStorySlug},
		{"article-in-live-story", app.DemoArticle(t, "north-korea-fires-missiles").URL()},
	}
	screens := []struct {
		name   string
		w, h   int64
		scale  float64
		mobile bool
	}{
		{"phone", 390, 844, 2, true},
		{"desktop", 1366, 900, 1, false},
	}
	for _, s := range screens {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(s.scale)}
		if s.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.w, s.h, opts...)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			name := p.name + "-" + s.name
			browser.Navigate(t, ctx, app.URL+p.path)
			raw := run(t, ctx, name+": layout shifts", chromedp.Evaluate[string](layoutShifts, chromedp.EvalAwaitPromise))
			var shifts []shift
			if err := json.Unmarshal([]byte(raw), &shifts); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			sum := 0.0
			var what []string
			for _, sh := range shifts {
				sum += sh.Value
				what = append(what, fmt.Sprintf("%.4f moving %s", sh.Value, strings.Join(sh.Sources, ", ")))
			}
			if sum != 0 {
				t.Errorf("%s: cumulative layout shift %.4f, want 0:\n\t%s", name, sum, strings.Join(what, "\n\t"))
			}
			if s.mobile {
				if w := run(t, ctx, "width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(s.w) {
					t.Errorf("%s: the page is %dpx wide on a %dpx screen (sideways scrolling)", name, w, s.w)
				}
			}
			browser.ScreenshotViewport(t, ctx, shots, name)
			browser.Screenshot(t, ctx, shots, name+"-full")
		}
	}
}

// TestCommentsScriptLoadsOnApproach checks that an article page does not
// load comments.js with the page (it is off the critical path), that the
// comments are in the HTML without it, and that it loads once the reader
// scrolls towards them.
func TestCommentsScriptLoadsOnApproach(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	a := app.DemoArticle(t, "hanseong-hbm-bet")
	browser.Navigate(t, ctx, app.URL+a.URL())
	const requested = `performance.getEntriesByType("resource").some(e => /\/assets\/comments\.[0-9a-f]+\.js$/.test(e.name))`
	// Wait for the load and two frames, as a reader's first look.
	run(t, ctx, "load", chromedp.Evaluate[bool](`(async () => {
		if (document.readyState !== "complete") await new Promise(r => addEventListener("load", r, {once: true}));
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		return true;
	})()`, chromedp.EvalAwaitPromise))
	if run(t, ctx, "requested at load", chromedp.Evaluate[bool](requested)) {
		t.Error("comments.js was loaded with the page, before the reader came near the comments")
	}
	if n := run(t, ctx, "comments in HTML", chromedp.Evaluate[int](`document.querySelectorAll("#comments .comment-box, #comments .comment-list").length`)); n != 2 {
		t.Errorf("comment box and list in the page without script: %d of 2", n)
	}
	run(t, ctx, "scroll", chromedp.Evaluate[bool](`document.getElementById("comments").scrollIntoView(), true`))
	// The script is in: it shows the language switch that the HTML hides.
	run(t, ctx, "comments.js runs", chromedp.Evaluate[bool](`new Promise((resolve, reject) => {
		const deadline = Date.now() + 20000;
		(function poll() {
			if (`+requested+` && !document.querySelector("#comments [data-langs]").hidden) return resolve(true);
			if (Date.now() > deadline) return reject(new Error("comments.js not loaded 20 s after scrolling to the comments"));
			setTimeout(poll, 50);
		})();
	})`, chromedp.EvalAwaitPromise))
}
