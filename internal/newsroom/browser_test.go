package newsroom_test

// The editor's journey in a real browser (headless Chromium through
// chromedp): sign in, write, preview, publish, find the article on the
// home page and its section, correct it and see the note.
//
// Run: go test ./internal/newsroom -run Browser (needs /usr/bin/chromium;
// skipped without it unless CI=true).

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/auth"
	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

func TestBrowserEditorPublishesAndCorrects(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := testutil.NewApp(t, testutil.WithDemo())
	if _, err := auth.CreateUser(context.Background(), app.Store, "editor@example.com", "Eddie Editor", news.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	bctx := browser.New(t)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	get := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	browser.Navigate(t, bctx, app.URL+"/admin/")
	do("sign in",
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "editor@example.com"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`form button[type=submit]`)),
		chromedp.WaitVisible(css(`.dash`)),
	)
	if h := get("heading", chromedp.Text(css(`h1`))); h != "Dashboard" {
		t.Fatalf("after sign-in the page says %q", h)
	}

	const headline = "Browser-made story about the ferry strike"
	do("open the editor", chromedp.Click(css(`a[href="/admin/articles/new"]`)), chromedp.WaitVisible(css(`#headline`)))
	politics := get("politics option", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('#section option')).find(o => o.textContent.trim().endsWith('Politics')).value`))
	do("write",
		chromedp.SendKeys(css(`#headline`), headline),
		chromedp.SendKeys(css(`#dek`), "Ferries stop for a day."),
		chromedp.SetValue(css(`#section`), politics),
		chromedp.SendKeys(css(`#body`), "Ferry workers **walked out** on Monday.\n\nThe union says more strikes will follow."),
		chromedp.SendKeys(css(`#tags`), "ferries, strikes"),
		chromedp.Click(css(`input[name=top]`)),
	)
	do("preview", chromedp.Click(css(`#preview-button`)))
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function(){ var d = document.getElementById('preview').contentDocument; var h = d && d.querySelector('article.story h1'); var b = d && d.querySelector('.story-body strong'); return !!(h && h.textContent === `+jsString(headline)+` && b && b.textContent === 'walked out'); })()`, chromedp.WithPollingTimeout(20*time.Second)))
	cancel()
	if err != nil {
		dbg := get("debug", chromedp.Evaluate[string](`(function(){ var f = document.getElementById('preview'); var d = f.contentDocument; return 'srcdoc ' + f.srcdoc.length + ' doc ' + (d && d.querySelector('article') ? d.querySelector('article').outerHTML.slice(0, 1500) : 'none'); })()`))
		t.Fatalf("the preview never showed the article: %v\n%s", err, dbg)
	}
	do("save", chromedp.Click(css(`#save`)), chromedp.WaitVisible(css(`#publish`)))
	editURL := get("editor URL", chromedp.Location())
	do("publish", chromedp.Click(css(`#publish`)), chromedp.WaitVisible(css(`#view-live`)))
	if st := get("status", chromedp.Text(css(`#article-status`))); st != "published" {
		t.Fatalf("status after publish %q", st)
	}
	ctx, cancel = context.WithTimeout(bctx, 30*time.Second)
	live, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`#view-live`), "href"))
	cancel()
	if err != nil || live.Value == "" {
		t.Fatalf("live URL: %v", err)
	}

	for _, page := range []string{"/", "/section/national/politics"} {
		browser.Navigate(t, bctx, app.URL+page)
		found := get("find on "+page, chromedp.Evaluate[string](`String(Array.from(document.querySelectorAll('a')).some(a => a.textContent.trim() === `+jsString(headline)+`))`))
		if found != "true" {
			t.Errorf("%s does not link the new article", page)
		}
	}

	browser.Navigate(t, bctx, editURL)
	do("correct",
		chromedp.WaitVisible(css(`#corr-body`)),
		chromedp.SendKeys(css(`#corr-body`), "An earlier version gave the wrong day of the strike."),
		chromedp.Click(css(`#add-correction`)),
		chromedp.WaitVisible(css(`.flash`)),
	)
	browser.Navigate(t, bctx, app.URL+live.Value)
	if note := get("note", chromedp.Text(css(`aside.corrections`))); !strings.Contains(note, "An earlier version gave the wrong day of the strike.") {
		t.Errorf("correction note on the article: %q", note)
	}
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }
