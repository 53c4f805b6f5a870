package e2e

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/testutil"
)

// chartLabels describes the tracker chart a reader sees: its width on
// the page and its smallest label in CSS px (font size times the
// chart's scale), over every text in it.
const chartLabels = `JSON.stringify((() => {
	const shown = Array.from(document.querySelectorAll("svg.tracker-chart, svg.tracker-chart-narrow")).filter(s => s.checkVisibility());
	if (shown.length !== 1) return {charts: shown.length};
	const s = shown[0], scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
	const sizes = Array.from(s.querySelectorAll("text")).map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
	return {charts: 1, narrow: s.classList.contains("tracker-chart-narrow"), texts: sizes.length, smallest: Math.min(...sizes),
		overflow: document.documentElement.scrollWidth > innerWidth};
})())`

// TestTrackerLabelsOnPhone: on a 412 px phone the tracker page shows the
// chart drawn for a phone, whose every label (axes, peaks, legend) is at
// least 12 CSS px; a 1280 px screen shows the wide chart as before. One
// chart is shown at a time, and axe-core passes at both sizes. (Before:
// the 720-unit chart shrunk to 380 px, its labels 6 to 7 px.)
func TestTrackerLabelsOnPhone(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	publishTracker(t, app)
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	type labels struct {
		Charts, Texts int
		Narrow        bool
		Smallest      float64
		Overflow      bool
	}
	look := func(what string) labels {
		t.Helper()
		var l labels
		if err := json.Unmarshal([]byte(run(t, ctx, what, chromedp.Evaluate[string](chartLabels))), &l); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return l
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915, chromedp.EmulateScale(1.75), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, ctx, app.URL+"/tracker/chips-and-ships")
	l := look("phone")
	if l.Charts != 1 || !l.Narrow || l.Texts < 5 || l.Smallest < 12 || l.Overflow {
		t.Errorf("phone: %+v; want one chart, the narrow one, every label >= 12 px, no sideways scroll", l)
	}
	t.Logf("phone: smallest label %.1f px", l.Smallest)
	browser.Screenshot(t, ctx, shots, "tracker-412")
	browser.Axe(t, ctx)

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, ctx, app.URL+"/tracker/chips-and-ships")
	if l := look("desktop"); l.Charts != 1 || l.Narrow || l.Smallest < 11 {
		t.Errorf("desktop: %+v; want one chart, the wide one, labels as before (>= 11 px)", l)
	}
	browser.Screenshot(t, ctx, shots, "tracker-1280")
	browser.Axe(t, ctx)
}
