package web_test

// The comment box's language without and with script, in a real browser.
//
// Run: go test ./internal/comments/web -run BrowserBoxLanguage

import (
	"testing"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
)

// TestBrowserBoxLanguage: with script on, the no-script links are hidden
// and the buttons shown; an article opened with ?lang=ko (where the
// no-script link leads) stays Korean once comments.js runs, even for a
// reader whose cookie says English; English from the buttons switches the
// box in place and the cookie with it, so the plain article and the help
// page are then English. axe-core passes on the Korean box.
func TestBrowserBoxLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := anyArticle(t, app)
	bctx := browser.New(t)
	eval := func(what, js string) string { t.Helper(); return evalJS(t, bctx, what, js) }
	waitJS := func(what, cond string) { t.Helper(); pollJS(t, bctx, what, cond) }
	open := func(path string) {
		t.Helper()
		browser.Navigate(t, bctx, app.URL+path)
		if err := chromedp.Do(bctx, chromedp.ScrollIntoView(chromedp.CSS(`#comments`))); err != nil {
			t.Fatal(err)
		}
		waitJS("comments.js started", `!document.querySelector('#comments [data-langs]').hidden`)
	}
	title := `document.querySelector('#comments [data-i18n=title]').textContent`

	// The reader chose English before (the cookie).
	open("/comments/lang?set=en&return=" + a.URL())
	open(a.URL())
	if got := eval("links", `String(document.querySelector('#comments [data-langlinks]').hidden)`); got != "true" {
		t.Errorf("with script the no-script language links show (hidden=%s)", got)
	}
	// The address asks for Korean: it wins, and the script keeps it.
	open(a.URL() + "?lang=ko#comments")
	if got := eval("title", title); got != "댓글" {
		t.Errorf("?lang=ko with script: title %q, want 댓글", got)
	}
	if got := eval("lang", `document.querySelector('#comments').lang + ' ' + document.querySelector('#comments [data-lang=ko]').getAttribute('aria-pressed')`); got != "ko true" {
		t.Errorf("?lang=ko with script: box lang and 한국어 pressed = %q, want \"ko true\"", got)
	}
	browser.Axe(t, bctx)
	// The buttons still switch in place, and the cookie follows.
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`#comments [data-lang=en]`))); err != nil {
		t.Fatal(err)
	}
	waitJS("English", title+` === 'Comments' && document.querySelector('#comments').lang === 'en'`)
	open(a.URL())
	if got := eval("title", title); got != "Comments" {
		t.Errorf("plain article after English: title %q", got)
	}
	browser.Navigate(t, bctx, app.URL+"/comments/help")
	if got := eval("help", `document.querySelector('h1').textContent`); got != "Social comment?" {
		t.Errorf("help after English: h1 %q", got)
	}
}
