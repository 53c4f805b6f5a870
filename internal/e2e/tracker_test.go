package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

// publishTracker saves a published tracker over the demo paper and waits
// for the tracker's indexer to take the demo's articles.
func publishTracker(t *testing.T, app *testutil.App) news.Tracker {
	t.Helper()
	ctx := context.Background()
	tr := news.Tracker{Title: "Chips and ships", Slug: "chips-and-ships", Phrases: []string{"chip", "shipbuilding", "반도체"},
		Interval: news.IntervalDay, Measure: news.MeasureArticles, Buckets: 14, Published: true}
	if err := app.Store.CreateTracker(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := app.Store.TrackerQueueLen(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return tr
		}
		if time.Now().After(deadline) {
			t.Fatalf("the tracker's queue still holds %d articles", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The chart needs no script and has a data table beside it: a reader
// reaches a day's articles from the table, and both pages pass axe.
func TestTrackerTableFallback(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	publishTracker(t, app)
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	browser.Navigate(t, ctx, app.URL+"/tracker/chips-and-ships")
	if rows := run(t, ctx, "rows", chromedp.Evaluate[int](`document.querySelectorAll("table.tracker-table tbody tr").length`)); rows != 14 {
		t.Errorf("the data table has %d rows, want 14", rows)
	}
	if w := run(t, ctx, "chart width", chromedp.Evaluate[int](`Math.round(document.querySelector("svg.tracker-chart").getBoundingClientRect().width)`)); w < 300 {
		t.Errorf("the chart is %dpx wide", w)
	}
	browser.Screenshot(t, ctx, shots, "tracker")
	browser.Axe(t, ctx)
	// The last row is today; the demo's newest articles are from today or
	// yesterday: pick the row with the most chip articles.
	click(t, ctx, `table.tracker-table tbody tr:last-child th a`)
	if n := run(t, ctx, "lists", chromedp.Evaluate[int](`document.querySelectorAll("#articles h3").length`)); n != 3 {
		t.Errorf("the bucket page lists %d phrases, want 3", n)
	}
	browser.Screenshot(t, ctx, shots, "tracker-bucket")
	browser.Axe(t, ctx)
}
