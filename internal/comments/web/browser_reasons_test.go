package web_test

// The writer of a held comment on the demo's court story, in a real
// browser: they see why it is held, are told of the moderator's decision
// in the page within a minute (no reload), appeal it with the button,
// and are told of the reversal by another moderator the same way.
//
// Run: go test ./internal/comments/web -run BrowserReasons (needs
// /usr/bin/chromium; about two minutes, as the page checks every 30 s).

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/news"
)

func TestBrowserReasonsAndAppeal(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := app.DemoArticle(t, "ferry-operator-trial-opens")
	first := signInStaff(t, app, "first@example.com", news.RoleEditor)
	second := signInStaff(t, app, "second@example.com", news.RoleEditor)

	bctx := browser.New(t)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// waitJS polls the page; within is how long the promise allows (a
	// decision must show within 60 s).
	waitJS := func(what, cond string, within time.Duration) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, within+5*time.Second)
		defer cancel()
		if _, err := chromedp.Run(c, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(within))); err != nil {
			dbg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('#comments') ? document.querySelector('#comments').innerText.slice(0, 1500) : ''`))
			t.Fatalf("%s: %v\ncomments: %s", what, err, dbg)
		}
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	browser.Navigate(t, bctx, app.URL+a.URL())
	do("comment box", chromedp.ScrollIntoView(css(`#comments`)), chromedp.WaitVisible(css(`#comments a.provider-dev`)))
	do("dev login", chromedp.Click(css(`#comments a.provider-dev`)), chromedp.WaitVisible(css(`#dev-name`)))
	do("display name", chromedp.SendKeys(css(`#dev-name`), "Hana"), chromedp.Click(css(`.dev-login-form button[type=submit]`)),
		chromedp.WaitReady(css(`#comments [data-signed]`)))
	waitJS("signed in", `!document.querySelector('[data-signed]').hidden && !document.querySelector('#comment-body').disabled`, 15*time.Second)
	waitJS("rule message", `document.querySelector('[data-rule-msg]') !== null && /before the courts/.test(document.querySelector('[data-rule-msg]').textContent)`, 15*time.Second)

	do("type", chromedp.SendKeys(css(`#comment-body`), "The radar logs should be read out in court."))
	do("post", chromedp.Click(css(`[data-submit]`)))
	waitJS("held", `/waiting for a moderator/i.test(document.querySelector('[data-msg]').textContent)`, 15*time.Second)
	list, err := app.Store.ModerationQueue(context.Background(), 10, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("queue: %d items (%v), want the held comment", len(list), err)
	}
	id := list[0].Comment.ID
	li := `#comment-` + itoa(id)
	waitJS("held state with reason", `document.querySelector('`+li+` .comment-reason') !== null && /before the courts/.test(document.querySelector('`+li+` .comment-reason').textContent) && /clause 4/.test(document.querySelector('`+li+` .comment-reason').textContent)`, 15*time.Second)

	// A moderator removes it; the page says so within 60 s, no reload.
	decided := time.Now()
	if res, _ := first.send("POST", "/admin/comments/"+itoa(id)+"/moderate", url.Values{"action": {"delete"}, "clause": {"4"},
		"note": {"The comment tells the court how to weigh evidence in a case under way."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	waitJS("told of the removal", `document.querySelector('`+li+`').getAttribute('data-status') === 'removed' && /weigh evidence/.test(document.querySelector('`+li+` .comment-reason').textContent) && document.querySelector('`+li+` [data-act=appeal]') !== null`, 60*time.Second)
	t.Logf("the removal reached the page after %s", time.Since(decided).Round(time.Second))
	// The moderator's words are marked in the paper's language (they stay
	// English in a Korean box).
	facts, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(function(){ var s = document.querySelector('`+li+` .comment-reason p span[lang]'); return s ? s.lang + ': ' + s.textContent : 'none'; })()`))
	if err != nil || facts != "en: The comment tells the court how to weigh evidence in a case under way." {
		t.Errorf("the reason's facts = %q (%v), want them in a span marked en", facts, err)
	}
	checkAxe(t, bctx)

	// Appeal with the button.
	do("appeal", chromedp.Click(css(li+` [data-act=appeal]`)), chromedp.WaitVisible(css(`#appeal-`+itoa(id))))
	do("appeal text", chromedp.SendKeys(css(`#appeal-`+itoa(id)), "I asked for evidence to be read; I did not judge it."),
		chromedp.Click(css(li+` [data-act=appeal-send]`)))
	waitJS("appeal open", `/other than the one who decided/.test(document.querySelector('`+li+` .comment-reason').textContent)`, 15*time.Second)
	open, _ := app.Store.Appeals(context.Background(), news.AppealOpen, 10, 0)
	if len(open) != 1 || !strings.Contains(open[0].Reason, "did not judge") {
		t.Fatalf("appeals: %+v", open)
	}
	// Another moderator reverses it; the page says so within 60 s.
	reversed := time.Now()
	if res, _ := second.send("POST", "/admin/comments/appeals/"+itoa(open[0].ID)+"/decide", url.Values{"outcome": {"reversed"},
		"reply": {"Asking for evidence to be heard is fair comment."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reverse: %d", res.StatusCode)
	}
	waitJS("told of the reversal", `document.querySelector('`+li+`').getAttribute('data-status') === 'approved' && /decision was reversed/.test(document.querySelector('`+li+`').textContent) && /fair comment/.test(document.querySelector('`+li+`').textContent)`, 60*time.Second)
	t.Logf("the reversal reached the page after %s", time.Since(reversed).Round(time.Second))
}
