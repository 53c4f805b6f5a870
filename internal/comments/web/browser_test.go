package web_test

// A reader's journey in a real browser (headless Chromium through
// chromedp): log in through the dev provider, type a Korean comment and
// watch the counter, post it, try 251 characters and see the refusal,
// reply, recommend and report another reader's comment; then an editor
// hides the reported comment from the moderation queue and it is gone
// from the article page.
//
// Run: go test ./internal/comments/web -run Browser (needs
// /usr/bin/chromium; skipped without it unless CI=true).

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/auth"
	"byline/internal/e2e/browser"
	"byline/internal/news"
)

func TestBrowserCommenting(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := anyArticle(t, app)
	ctx := t.Context()
	// Another reader's comment to recommend and report.
	other := news.Reader{Provider: "dev", Subject: "other", Name: "Joon"}
	if err := app.Store.UpsertReader(ctx, &other); err != nil {
		t.Fatal(err)
	}
	theirs := news.Comment{ArticleID: a.ID, ReaderID: other.ID, AuthorName: other.Name, Body: "A comment by Joon", Status: news.CommentApproved}
	if err := app.Store.CreateComment(ctx, &theirs); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.CreateUser(ctx, app.Store, "editor@example.com", "Eddie Editor", news.RoleEditor, staffPassword); err != nil {
		t.Fatal(err)
	}

	bctx := browser.New(t)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	get := func(what string, act chromedp.Action[string]) string {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(c, act)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	waitJS := func(what, cond string) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Run(c, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			dbg := get("debug", chromedp.Evaluate[string](`location.href + " " + (document.querySelector("#comments") ? document.querySelector("#comments").innerText.slice(0, 1500) : document.documentElement.outerHTML.slice(0, 1500))`))
			t.Fatalf("%s: %v\npage: %s", what, err, dbg)
		}
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string { return strings.TrimSpace(get(sel, chromedp.Text(css(sel)))) }

	// The anonymous page: lock, message, providers, counter.
	browser.Navigate(t, bctx, app.URL+a.URL())
	do("comment box", chromedp.WaitVisible(css(`#comments .comment-lock`)))
	if got := text(`#comments .comment-lock`); got != "To write comments, please log in to one of the accounts" {
		t.Errorf("lock line = %q", got)
	}
	checkAxe(t, bctx)

	// Log in with the dev provider.
	do("dev login", chromedp.Click(css(`#comments a.provider-dev`)), chromedp.WaitVisible(css(`#dev-name`)))
	do("display name", chromedp.SendKeys(css(`#dev-name`), "민지"), chromedp.Click(css(`.dev-login-form button[type=submit]`)),
		chromedp.WaitReady(css(`#comments [data-signed]`)))
	waitJS("signed in", `!document.querySelector('[data-signed]').hidden && !document.querySelector('#comment-body').disabled`)
	if got := text(`[data-name]`); got != "민지" {
		t.Errorf("signed in as %q", got)
	}
	if loc := get("location", chromedp.Location()); !strings.HasPrefix(loc, app.URL+a.URL()) {
		t.Errorf("after login the browser is at %s", loc)
	}

	// Type Korean and watch the counter, in English and in Korean.
	do("type", chromedp.SendKeys(css(`#comment-body`), "안녕하세요 👋🏽"))
	waitJS("counter", `document.querySelector('[data-counter]').textContent === '7/250'`)
	do("Korean UI", chromedp.Click(css(`[data-lang=ko]`)))
	waitJS("Korean counter", `document.querySelector('[data-counter]').textContent === '(7/250자)'`)
	if got := get("lock text", chromedp.Evaluate[string](`document.querySelector('#comments .comment-lock span').textContent`)); got != "댓글을 쓰려면 계정 중 하나로 로그인해 주세요" {
		t.Errorf("Korean lock line = %q", got)
	}
	do("post", chromedp.Click(css(`[data-submit]`)))
	waitJS("posted", `Array.from(document.querySelectorAll('#comments .comment-text')).some(e => e.textContent === '안녕하세요 👋🏽')`)
	waitJS("share links", `!document.querySelector('[data-share]').hidden && document.querySelector('[data-share] a[href^="https://twitter.com/intent/tweet"]') !== null`)

	// 251 characters: the counter turns red and the server refuses.
	do("English UI", chromedp.Click(css(`[data-lang=en]`)))
	do("251 characters", chromedp.Evaluate[chromedp.Void](`(function(){ var t = document.querySelector('#comment-body'); t.value = '가'.repeat(251); t.dispatchEvent(new Event('input')); })()`))
	waitJS("over counter", `document.querySelector('[data-counter]').textContent === '251/250' && document.querySelector('[data-counter]').classList.contains('over')`)
	do("post 251", chromedp.Click(css(`[data-submit]`)))
	waitJS("refusal", `document.querySelector('[data-msg]').classList.contains('error') && /at most 250 characters/.test(document.querySelector('[data-msg]').textContent)`)
	do("clear", chromedp.Evaluate[chromedp.Void](`(function(){ var t = document.querySelector('#comment-body'); t.value = ''; t.dispatchEvent(new Event('input')); })()`))

	// Reply to Joon.
	joon := `#comment-` + itoa(theirs.ID)
	do("reply", chromedp.Click(css(joon+` [data-act=reply]`)))
	waitJS("replying", `!document.querySelector('[data-replying]').hidden && document.querySelector('[data-replying-text]').textContent === 'Replying to @Joon'`)
	do("type reply", chromedp.SendKeys(css(`#comment-body`), "동의합니다"))
	do("post reply", chromedp.Click(css(`[data-submit]`)))
	waitJS("reply shown", `Array.from(document.querySelectorAll('`+joon+` .comment-replies .comment')).some(e => e.querySelector('.comment-reply-to') && e.querySelector('.comment-reply-to').textContent === 'replying to @Joon' && e.querySelector('.comment-text').textContent === '동의합니다')`)

	// Recommend once, then report under a clause.
	do("recommend", chromedp.Click(css(joon+` > .comment-actions [data-act=recommend]`)))
	waitJS("recommended", `document.querySelector('`+joon+` > .comment-actions [data-recs]').textContent === '1' && document.querySelector('`+joon+` > .comment-actions [data-act=recommend]').disabled`)
	do("report", chromedp.Click(css(joon+` > .comment-actions [data-act=report]`)), chromedp.WaitVisible(css(joon+` .comment-report select`)))
	do("choose clause", chromedp.SetValue(css(joon+` .comment-report select`), "2"), chromedp.Click(css(joon+` .comment-report button`)))
	waitJS("reported", `/Thank you/.test(document.querySelector('`+joon+`').textContent)`)

	// Reload: the page (from the cache) shows both comments to everyone.
	// comments.js loads as the reader comes near the comments.
	browser.Navigate(t, bctx, app.URL+a.URL())
	do("scroll to the comments", chromedp.ScrollIntoView(css(`#comments`)))
	waitJS("after reload", `document.querySelectorAll('#comments .comment').length === 3 && !document.querySelector('#comment-body').disabled`)

	// An editor hides the reported comment from the moderation queue.
	browser.Navigate(t, bctx, app.URL+"/admin/login")
	do("staff sign in", chromedp.WaitVisible(css(`#email`)), chromedp.SendKeys(css(`#email`), "editor@example.com"),
		chromedp.SendKeys(css(`#password`), staffPassword), chromedp.Click(css(`form button[type=submit]`)), chromedp.WaitReady(css(`.dash`)))
	browser.Navigate(t, bctx, app.URL+"/admin/comments")
	do("queue", chromedp.WaitVisible(css(`#q-`+itoa(theirs.ID))))
	do("hide", chromedp.SetValue(css(`#clause-`+itoa(theirs.ID)), "2"), chromedp.Click(css(`#q-`+itoa(theirs.ID)+` button[value=delete]`)),
		chromedp.WaitReady(css(`.flash`)))
	waitJS("queue empty", `document.querySelector('#q-`+itoa(theirs.ID)+`') === null`)
	browser.Navigate(t, bctx, app.URL+a.URL())
	waitJS("hidden on the page", `document.querySelector('`+joon+` .comment-stub') !== null && /removed under clause 2/.test(document.querySelector('`+joon+`').textContent) && document.querySelector('`+joon+` > .comment-text') === null`)
	got, _ := app.Store.CommentByID(ctx, theirs.ID)
	if got.Status != news.CommentRemoved || got.Clause != "2" {
		t.Errorf("after hiding: %+v", got)
	}
}

// checkAxe runs axe-core on the comment section only (the rest of the
// page belongs to other tests) and fails on violations.
func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	src, err := os.ReadFile(browser.AxeScript())
	if err != nil {
		t.Logf("axe-core not installed (npm ci --prefix tools); accessibility not checked: %v", err)
		return
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run('#comments', {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []browser.Violation
	json.Unmarshal([]byte(raw), &vs)
	for _, v := range vs {
		t.Errorf("axe: %s (%s): %s; %d elements", v.ID, v.Impact, v.Help, len(v.Nodes))
	}
}
