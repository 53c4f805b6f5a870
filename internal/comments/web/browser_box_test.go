package web_test

// The comment box tells the truth (issue 12, item 3), in a real browser
// whose time zone (America/Los_Angeles) is not the paper's (Asia/Seoul):
// times drawn by script read exactly as the server draws them, in both
// languages; messages and share links belong to the action that caused
// them; Report turns into a disabled "Reported"; the sort buttons show
// only when there is something to sort.
//
// Run: go test ./internal/comments/web -run BrowserCommentBox

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/render"
)

func TestBrowserCommentBox(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := anyArticle(t, app)
	ctx := t.Context()
	loc := app.Config.Location
	if loc.String() != "Asia/Seoul" {
		t.Fatalf("the paper's zone is %s; this test wants Asia/Seoul (the default)", loc)
	}

	bctx := browser.New(t)
	if _, err := chromedp.Call(bctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Los_Angeles"}); err != nil {
		t.Fatalf("browser time zone: %v", err)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string) string { t.Helper(); return evalJS(t, bctx, what, js) }
	waitJS := func(what, cond string) { t.Helper(); pollJS(t, bctx, what, cond) }
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	setBody := func(what, text string) {
		t.Helper()
		do(what, chromedp.Evaluate[chromedp.Void](`(function(){ var t = document.querySelector('#comment-body'); t.value = `+strconv.Quote(text)+`; t.dispatchEvent(new Event('input')); })()`))
	}
	open := func() {
		t.Helper()
		browser.Navigate(t, bctx, app.URL+a.URL())
		do("scroll to the comments", chromedp.ScrollIntoView(css(`#comments`)))
		waitJS("comments.js started", `!document.querySelector('#comments [data-langs]').hidden`)
	}
	if got := eval("browser zone", `Intl.DateTimeFormat().resolvedOptions().timeZone`); got != "America/Los_Angeles" {
		t.Fatalf("browser zone = %q, want America/Los_Angeles", got)
	}

	// No comments: "No comments yet." and no sort buttons.
	open()
	waitJS("empty, nothing to sort", `document.querySelector('[data-empty]') !== null && document.querySelector('[data-sort]').hidden`)

	// Sign in with the dev provider.
	do("dev login", chromedp.Click(css(`#comments a.provider-dev`)), chromedp.WaitVisible(css(`#dev-name`)))
	do("display name", chromedp.SendKeys(css(`#dev-name`), "Minji"), chromedp.Click(css(`.dev-login-form button[type=submit]`)),
		chromedp.WaitReady(css(`#comments [data-signed]`)))
	do("scroll to the comments", chromedp.ScrollIntoView(css(`#comments`)))
	waitJS("signed in", `!document.querySelector('[data-signed]').hidden && !document.querySelector('#comment-body').disabled`)
	msg := func() string { return eval("message", `document.querySelector('[data-msg]').textContent`) }
	shareShown := func() bool {
		return eval("share", `String(!document.querySelector('[data-share]').hidden && document.querySelector('[data-share] a') !== null)`) == "true"
	}

	// Post: the message and the share links for this post.
	setBody("first draft", "The first comment")
	do("post", chromedp.Click(css(`[data-submit]`)))
	waitJS("posted", `document.querySelector('[data-list] > .comment .comment-text') !== null && document.querySelector('[data-msg]').textContent !== ''`)
	if got, want := msg(), "Your comment is published."; got != want {
		t.Errorf("after posting, message = %q, want %q", got, want)
	}
	if !shareShown() {
		t.Errorf("after posting, no share links")
	}
	if hidden := eval("sort", `String(document.querySelector('[data-sort]').hidden)`); hidden != "true" {
		t.Errorf("one comment: sort buttons shown, want hidden (nothing to sort)")
	}
	firstID, err := strconv.ParseInt(strings.TrimPrefix(eval("new id", `document.querySelector('[data-list] > .comment').id`), "comment-"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	first, err := app.Store.CommentByID(ctx, firstID)
	if err != nil {
		t.Fatal(err)
	}
	timeText := func(id int64) string {
		return eval("time", `document.querySelector('#comment-`+itoa(id)+` > .comment-meta time').textContent`)
	}
	wantEN, wantKO := render.DateTime(first.CreatedAt, loc, "en"), render.DateTime(first.CreatedAt, loc, "ko")
	if got := timeText(firstID); got != wantEN {
		t.Errorf("script-drawn time = %q, want the server's %q (paper's zone)", got, wantEN)
	}

	// The next draft: typing ends the last post's message and links.
	setBody("next draft", "A second thought")
	waitJS("message gone while typing", `document.querySelector('[data-msg]').textContent === '' && document.querySelector('[data-share]').hidden`)
	// Too long: the refusal stands alone, no "published", no share links.
	setBody("251 characters", strings.Repeat("가", 251))
	do("post 251", chromedp.Click(css(`[data-submit]`)))
	waitJS("refusal", `document.querySelector('[data-msg]').classList.contains('error')`)
	if got := msg(); !strings.Contains(got, "at most 250 characters") || strings.Contains(got, "published") {
		t.Errorf("refusal message = %q", got)
	}
	if shareShown() {
		t.Errorf("share links still shown beside the refusal")
	}

	// A second comment: now there is something to sort.
	setBody("second draft", "The second comment")
	do("post second", chromedp.Click(css(`[data-submit]`)))
	waitJS("second posted", `document.querySelectorAll('[data-list] > .comment').length === 2 && !document.querySelector('[data-msg]').classList.contains('error') && document.querySelector('[data-msg]').textContent !== ''`)
	waitJS("sort shown", `!document.querySelector('[data-sort]').hidden`)
	secondID := eval("second id", `document.querySelector('[data-list] > .comment').id`)

	// Edit: "saved", never "published", and no share links.
	do("edit", chromedp.Click(css(`#`+secondID+` [data-act=edit]`)))
	waitJS("editing", `document.querySelector('[data-msg]').textContent === '' && document.querySelector('[data-share]').hidden && document.querySelector('#comment-body').value === 'The second comment'`)
	setBody("edited text", "The second comment, edited")
	do("save", chromedp.Click(css(`[data-submit]`)))
	waitJS("saved", `document.querySelector('#`+secondID+` .comment-text').textContent === 'The second comment, edited' && document.querySelector('[data-msg]').textContent !== ''`)
	if got, want := msg(), "Your changes are saved."; got != want {
		t.Errorf("after editing, message = %q, want %q", got, want)
	}
	if shareShown() {
		t.Errorf("after editing, share links shown")
	}

	// Korean: the same time in the paper's zone, in Korean.
	do("Korean", chromedp.Click(css(`[data-lang=ko]`)))
	waitJS("Korean box", `document.querySelector('[data-sort-by=newest]').textContent === '최신순'`)
	if got := timeText(firstID); got != wantKO {
		t.Errorf("Korean script-drawn time = %q, want %q", got, wantKO)
	}
	do("English", chromedp.Click(css(`[data-lang=en]`)))

	// Without script, the server draws the same text.
	_, doc := page(t, app, a.URL())
	if got := strings.TrimSpace(doc.Find(`#comment-` + itoa(firstID) + ` > .comment-meta time`).Text()); got != wantEN {
		t.Errorf("server-drawn time = %q, want %q", got, wantEN)
	}

	// Report another reader's comment: the button says "Reported" and
	// is disabled; the server refuses a second report clearly.
	jr := newReader(t, app)
	jr.devLogin("Joon", "/").Body.Close()
	theirs, e, status := jr.post(a.ID, "A comment by Joon", nil)
	if status != 201 {
		t.Fatalf("Joon's comment: status %d, %+v", status, e)
	}
	joon := `#comment-` + itoa(theirs.ID)
	open()
	waitJS("Joon's comment", `document.querySelector('`+joon+` [data-act=report]') !== null`)
	do("report", chromedp.Click(css(joon+` > .comment-actions [data-act=report]`)), chromedp.WaitVisible(css(joon+` .comment-report select`)))
	do("choose clause", chromedp.SetValue(css(joon+` .comment-report select`), "2"), chromedp.Click(css(joon+` .comment-report button`)))
	waitJS("reported", `/Thank you/.test(document.querySelector('`+joon+`').textContent)`)
	btn := joon + ` > .comment-actions [data-act=report]`
	if got := eval("report button", `(function(){ var b = document.querySelector('`+btn+`'); return b.textContent + '|' + b.disabled; })()`); got != "Reported|true" {
		t.Errorf("report button after reporting = %q, want \"Reported|true\"", got)
	}
	again := eval("second report", `fetch('/api/v1/comments/`+itoa(theirs.ID)+`/report', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json', 'Accept': 'application/json'}, body: JSON.stringify({clause: '2'})}).then(r => r.json().then(d => r.status + ' ' + d.error.message))`)
	if again != "409 you have already reported this comment" {
		t.Errorf("second report: %q, want 409 and a clear message", again)
	}
	// After a reload the page does not know; trying again says so and
	// the button turns into "Reported".
	open()
	waitJS("Joon's comment again", `document.querySelector('`+btn+`') !== null`)
	do("report again", chromedp.Click(css(btn)), chromedp.WaitVisible(css(joon+` .comment-report select`)))
	do("send again", chromedp.SetValue(css(joon+` .comment-report select`), "2"), chromedp.Click(css(joon+` .comment-report button`)))
	waitJS("already reported", `/already reported/.test(document.querySelector('`+joon+`').textContent) && document.querySelector('`+btn+`').disabled && document.querySelector('`+btn+`').textContent === 'Reported'`)
	// The report's answer goes when the next action starts.
	do("sort", chromedp.Click(css(`[data-sort-by=oldest]`)))
	waitJS("report message gone", `!/already reported/.test(document.querySelector('`+joon+`').textContent)`)
}
