package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// evalJS runs js in bctx's page and returns its string value (a promise
// is awaited), failing the test with what when it cannot.
func evalJS(t *testing.T, bctx context.Context, what, js string) string {
	t.Helper()
	c, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// pollJS waits up to 15 s for cond to hold in bctx's page, failing the
// test with what and the start of the comment box's text when it does not.
func pollJS(t *testing.T, bctx context.Context, what, cond string) {
	t.Helper()
	c, cancel := context.WithTimeout(bctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("%s: %v\nbox: %s", what, err, evalJS(t, bctx, "debug", `document.querySelector('#comments').innerText.slice(0, 1500)`))
	}
}
