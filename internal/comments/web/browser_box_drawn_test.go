package web_test

// The comment box reads the same before and after comments.js runs, in a
// real browser whose time zone (America/Los_Angeles) is not the paper's.
//
// Run: go test ./internal/comments/web -run BrowserBoxSameWithScript
// (BYLINE_SCREENSHOTS=dir keeps the phone screenshot.)

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/render"
)

// boxWords lists what the box says: every translated element, the
// comments' times, "replying to", the counter, each comment's
// recommendations in their order, the placeholder and the sort group's
// label, of the document doc ("document" or a parsed copy).
const boxWords = `function (doc) {
  var out = [];
  doc.querySelectorAll('#comments [data-i18n], #comments time, #comments [data-counter], #comments .comment-reply-to').forEach(function (e) {
    out.push(e.tagName.toLowerCase() + (e.getAttribute('data-i18n') ? '[' + e.getAttribute('data-i18n') + ']' : '.' + e.className) + ': ' + e.textContent.replace(/\s+/g, ' ').trim());
  });
  doc.querySelectorAll('#comments .comment-recs').forEach(function (e) {
    out.push('recs: ' + e.textContent.replace(/\s+/g, ' ').trim());
  });
  var ta = doc.querySelector('#comment-body');
  out.push('placeholder: ' + (ta && ta.getAttribute('placeholder')));
  var s = doc.querySelector('#comments [data-sort]');
  out.push('sort label: ' + (s && s.getAttribute('aria-label')));
  return out;
}`

// TestBrowserBoxSameWithScript: for the English box and the Korean one
// (?lang=ko), what the server drew (the page's HTML, parsed) and what
// the page says once comments.js has run are the same words, times and
// counter; the times are the paper's, in the box's language.
// (Before: the Korean box's times and counter changed when the script ran.)
func TestBrowserBoxSameWithScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := anyArticle(t, app)
	top := postThread(t, app, a)
	stored, err := app.Store.CommentByID(t.Context(), top.ID)
	if err != nil {
		t.Fatal(err)
	}

	bctx := browser.New(t)
	if _, err := chromedp.Call(bctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Los_Angeles"}); err != nil {
		t.Fatalf("browser time zone: %v", err)
	}
	eval := func(what, js string) string { t.Helper(); return evalJS(t, bctx, what, js) }
	for _, c := range []struct{ lang, path, counter string }{
		{"en", a.URL(), "0/250"},
		{"ko", a.URL() + "?lang=ko", "(0/250자)"},
	} {
		browser.Navigate(t, bctx, app.URL+c.path)
		if err := chromedp.Do(bctx, chromedp.ScrollIntoView(chromedp.CSS(`#comments`))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`!document.querySelector('#comments [data-langs]').hidden`, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: comments.js did not start: %v", c.lang, err)
		}
		raw := eval("words", `(async function () {
  var words = `+boxWords+`;
  var html = await (await fetch(location.pathname + location.search)).text();
  return JSON.stringify({server: words(new DOMParser().parseFromString(html, 'text/html')), script: words(document)});
})()`)
		var got struct{ Server, Script []string }
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.Server, "\n") != strings.Join(got.Script, "\n") {
			t.Errorf("%s box changed when the script ran:\nserver: %q\nscript: %q", c.lang, got.Server, got.Script)
		}
		// The words are the box's language and the paper's time.
		wantTime := "time.: " + render.DateTime(stored.CreatedAt, app.Config.Location, c.lang)
		// A comment's recommendations read as the language puts them.
		recs := map[string]string{"en": "recs: 0 recommended", "ko": "recs: 추천 0"}[c.lang]
		for _, want := range []string{wantTime, "span[title]: " + map[string]string{"en": "Comments", "ko": "댓글"}[c.lang], "span.comment-counter: " + c.counter, recs} {
			found := false
			for _, w := range got.Script {
				found = found || w == want
			}
			if !found {
				t.Errorf("%s box with script: no %q in %q", c.lang, want, got.Script)
			}
		}
		if c.lang == "ko" {
			if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.ScrollIntoView(chromedp.CSS(`#comments`))); err != nil {
				t.Fatal(err)
			}
			browser.ScreenshotViewport(t, bctx, browser.ScreenshotDir(t), "phone-ko-box-comments")
		}
	}
	// The language buttons put the recommendations in order too.
	recs := `Array.from(document.querySelectorAll('#comments .comment-recs')).map(function (e) { return e.textContent.replace(/\s+/g, ' ').trim(); }).join('|')`
	for _, c := range []struct{ button, want string }{{"en", "0 recommended|0 recommended"}, {"ko", "추천 0|추천 0"}} {
		if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`#comments [data-lang=`+c.button+`]`))); err != nil {
			t.Fatal(err)
		}
		pollJS(t, bctx, c.button+" button", `document.querySelector('#comments').lang === '`+c.button+`'`)
		if got := eval("recommendations after "+c.button, recs); got != c.want {
			t.Errorf("after the %s button: recommendations %q, want %q", c.button, got, c.want)
		}
	}
}
