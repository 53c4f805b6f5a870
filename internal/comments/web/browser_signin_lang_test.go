package web_test

// Signing in from a Korean link, with script on, in a real browser at a
// phone's size.
//
// Run: go test ./internal/comments/web -run BrowserSignInKorean
// (BYLINE_SCREENSHOTS=dir keeps the phone screenshots.)

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
)

// TestBrowserSignInKorean: a reader with no cookie opens an article by a
// ?lang=ko link on a phone (390x844), taps the dev sign-in in the Korean
// box, lands on the name form in Korean (lang="ko", axe passes), signs
// in and comes back to the Korean box, signed in; My account is Korean
// too, and so is an error page (axe passes on each). Switching the box to
// English before signing in takes the sign-in to English: the box's
// links follow the buttons.
func TestBrowserSignInKorean(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := anyArticle(t, app)
	bctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
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
	// waitJS polls cond until it holds; a page being replaced (a tap
	// that navigates) only makes it ask again.
	waitJS := func(what, cond string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		var err error
		for time.Now().Before(deadline) {
			c, cancel := context.WithTimeout(bctx, 5*time.Second)
			var ok bool
			ok, err = chromedp.Run(c, chromedp.Evaluate[bool](`(function(){ try { return !!(`+cond+`); } catch (e) { return false; } })()`))
			cancel()
			if err == nil && ok {
				return
			}
			// Between two asks, a frame's wait in the page (none in Go).
			c, cancel = context.WithTimeout(bctx, 5*time.Second)
			chromedp.Do(c, chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => r()))`, chromedp.EvalAwaitPromise))
			cancel()
		}
		t.Fatalf("%s: not true within 20 s (%v)\npage: %s", what, err, eval("debug", `location.href + ' ' + document.body.innerText.slice(0, 600)`))
	}
	openBox := func(path string) {
		t.Helper()
		browser.Navigate(t, bctx, app.URL+path)
		do("scroll to the comments", chromedp.ScrollIntoView(chromedp.CSS(`#comments`)))
		waitJS("comments.js started", `!document.querySelector('#comments [data-langs]').hidden`)
	}
	page := `document.documentElement.lang + ' | ' + document.querySelector('h1').textContent.trim()`

	// Switching to English first: the sign-in is English.
	openBox(a.URL() + "?lang=ko")
	do("English", chromedp.Click(chromedp.CSS(`#comments [data-lang=en]`)))
	waitJS("English box", `document.querySelector('#comments').lang === 'en'`)
	do("tap the dev sign-in", chromedp.Click(chromedp.CSS(`#comments .comment-providers a[data-provider=dev]`)))
	waitJS("name form", `!!document.querySelector('.dev-login-form')`)
	if got := eval("page", page); got != "en | Dev login: choose a display name" {
		t.Errorf("sign-in after choosing English: %q", got)
	}

	// Back to Korean by the address (a shared link), as a new reader.
	do("forget the cookie", chromedp.Evaluate[chromedp.Void](`document.cookie = 'byline_lang=; path=/; max-age=0'`))
	openBox(a.URL() + "?lang=ko")
	browser.ScreenshotViewport(t, bctx, shots, "phone-ko-box")
	do("tap the dev sign-in", chromedp.Click(chromedp.CSS(`#comments .comment-providers a[data-provider=dev]`)))
	waitJS("name form", `!!document.querySelector('.dev-login-form')`)
	if got := eval("page", page); got != "ko | 개발용 로그인: 표시 이름을 정하세요" {
		t.Errorf("sign-in from the Korean box: %q", got)
	}
	// Korean lines break between words, not inside them ("이름을", not "이름/을").
	if got := eval("line breaks", `getComputedStyle(document.querySelector('h1')).wordBreak + ' ' + getComputedStyle(document.querySelector('header.masthead')).wordBreak`); got != "keep-all normal" {
		t.Errorf("word-break of the Korean heading and the English masthead = %q, want \"keep-all normal\"", got)
	}
	browser.ScreenshotViewport(t, bctx, shots, "phone-ko-signin")
	browser.Axe(t, bctx)
	do("sign in", chromedp.SendKeys(chromedp.CSS(`#dev-name`), "하윤"), chromedp.Click(chromedp.CSS(`.dev-login-form button[type=submit]`)))
	waitJS("back at the box, signed in", `location.pathname === `+jsString(a.URL())+` && !!document.querySelector('#comments [data-signed]') && !document.querySelector('#comments [data-signed]').hidden`)
	if got := eval("box", `location.search + ' ' + document.querySelector('#comments').lang + ' ' + document.querySelector('#comments [data-i18n=loggedAs]').textContent + ' ' + document.querySelector('#comments [data-name]').textContent`); got != "?lang=ko ko 로그인: 하윤" {
		t.Errorf("after signing in: %q, want the Korean box signed in as 하윤", got)
	}
	browser.ScreenshotViewport(t, bctx, shots, "phone-ko-signed-in")
	browser.Navigate(t, bctx, app.URL+"/account")
	if got := eval("account", page); got != "ko | 내 계정" {
		t.Errorf("My account after signing in from Korean: %q", got)
	}
	browser.Screenshot(t, bctx, shots, "phone-ko-account")
	browser.Axe(t, bctx)

	// A refusal on the Korean pages: the error page in Korean (404 by
	// design; browser.Navigate refuses any 4xx).
	if _, err := chromedp.Run(bctx, chromedp.Navigate(app.URL+"/comments/readers/9999")); err != nil {
		t.Fatal(err)
	}
	if got := eval("error page", page); got != "ko | 페이지를 찾을 수 없습니다" {
		t.Errorf("missing commenter after signing in from Korean: %q", got)
	}
	browser.ScreenshotViewport(t, bctx, shots, "phone-ko-not-found")
	browser.Axe(t, bctx)
}

func jsString(s string) string { return "'" + s + "'" }
