package newsroom_test

// The editor's sticky action bar leaves the text room: on a 412 px phone
// it covers at most 15 % of the screen, on a desktop at most 70 px, in
// every state of an article (new, draft, live, live with a draft of
// changes); the other actions are in a menu that opens inside the screen.
// BYLINE_SCREENSHOTS=DIR keeps the screenshots.
//
// Run: go test ./internal/newsroom -run BrowserActionBar (needs chromium).

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"byline/internal/auth"
	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

func TestBrowserActionBar(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := testutil.NewApp(t, testutil.WithDemo())
	if _, err := auth.CreateUser(context.Background(), app.Store, "ed@example.com", "Eddie Editor", news.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	live := app.DemoArticle(t, "housing-supply-bill-stalls")
	withDraft := app.DemoArticle(t, "hanseong-hbm-bet")
	snap := withDraft
	snap.Headline = "A prepared headline"
	if err := app.Store.PutPendingDraft(context.Background(), &news.PendingDraft{ArticleID: withDraft.ID, BaseVersion: withDraft.Version, UserName: "Eddie Editor", Snapshot: snap}); err != nil {
		t.Fatal(err)
	}
	draft := news.Article{Headline: "A draft in progress", SectionID: live.SectionID, Body: "Text."}
	if err := app.Store.CreateArticle(context.Background(), &draft); err != nil {
		t.Fatal(err)
	}

	bctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	run := func(what string, a chromedp.Action[float64]) float64 {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	browser.Navigate(t, bctx, app.URL+"/admin/login")
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#email`), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.dash`)),
	)
	cancel()
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}

	screens := []struct {
		name   string
		w, h   int64
		scale  float64
		mobile bool
		maxPx  float64 // the most the bar may cover
	}{
		{"phone", 412, 915, 1.75, true, 0.15 * 915},
		{"desktop", 1280, 900, 1, false, 70},
	}
	pages := []struct{ name, path, menuItem string }{
		{"new", "/admin/articles/new", "#preview-button"},
		{"draft", "/admin/articles/" + itoa(draft.ID), "#schedule"},
		{"live", "/admin/articles/" + itoa(live.ID), "#save-pending"},
		{"live-with-draft", "/admin/articles/" + itoa(withDraft.ID), "#discard-pending"},
	}
	for _, s := range screens {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(s.scale)}
		if s.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(s.w, s.h, opts...)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			name := "editor-" + p.name + "-" + s.name
			browser.Navigate(t, bctx, app.URL+p.path)
			height := run(name+": bar height", chromedp.Evaluate[float64](`document.getElementById('actions').getBoundingClientRect().height`))
			bottom := run(name+": bar bottom", chromedp.Evaluate[float64](`document.getElementById('actions').getBoundingClientRect().bottom`))
			t.Logf("%s: action bar %.0f px high (%.1f %% of %d px)", name, height, 100*height/float64(s.h), s.h)
			if height > s.maxPx || height == 0 {
				t.Errorf("%s: the action bar is %.0f px high, want at most %.0f", name, height, s.maxPx)
			}
			if bottom > float64(s.h)+0.5 {
				t.Errorf("%s: the action bar ends at %.0f px, below the %d px screen (not sticky)", name, bottom, s.h)
			}
			// The primary action is in view without opening anything.
			if v := run(name+": save visible", chromedp.Evaluate[float64](`(function(){ var r = document.getElementById('save').getBoundingClientRect(); return r.width > 0 && r.bottom <= innerHeight ? 1 : 0; })()`)); v != 1 {
				t.Errorf("%s: the Save button is not in view", name)
			}
			browser.ScreenshotViewport(t, bctx, shots, name)
			// The menu opens (no script needed: details/summary) inside the screen.
			ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
			err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#more-actions > summary`)), chromedp.WaitVisible(chromedp.CSS(p.menuItem)))
			cancel()
			if err != nil {
				t.Fatalf("%s: open the menu: %v", name, err)
			}
			inside := run(name+": menu inside", chromedp.Evaluate[float64](`(function(){ var r = document.querySelector('#more-actions .more-menu').getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.top >= 0 ? 1 : 0; })()`))
			if inside != 1 {
				t.Errorf("%s: the open menu does not fit on the screen", name)
			}
			if after := run(name+": bar height, menu open", chromedp.Evaluate[float64](`document.getElementById('actions').getBoundingClientRect().height`)); after != height {
				t.Errorf("%s: opening the menu grew the bar from %.0f to %.0f px", name, height, after)
			}
			browser.ScreenshotViewport(t, bctx, shots, fmt.Sprintf("%s-menu", name))
		}
	}
}

// Without script the editor still works: the More menu opens (details),
// "Save draft of changes" keeps the live article, and Discard asks on a
// page of its own; the byline picker is the plain multi-select.
func TestBrowserEditorWithoutScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := testutil.NewApp(t, testutil.WithDemo())
	if _, err := auth.CreateUser(context.Background(), app.Store, "ed@example.com", "Eddie Editor", news.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	live := app.DemoArticle(t, "housing-supply-bill-stalls")
	bctx := browser.New(t)
	if _, err := chromedp.Call(bctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	submit := func(what, sel string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	browser.Navigate(t, bctx, app.URL+"/admin/login")
	do("fill sign-in", chromedp.SendKeys(chromedp.CSS(`#email`), "ed@example.com"), chromedp.SendKeys(chromedp.CSS(`#password`), password))
	submit("sign in", `form button[type=submit]`)
	browser.Navigate(t, bctx, app.URL+"/admin/articles/"+itoa(live.ID))
	if count(`#author-search`) != 0 || count(`#authors:not([hidden])`) != 1 {
		t.Error("without script the byline picker is not the plain multi-select")
	}
	do("edit the headline", chromedp.SetValue(chromedp.CSS(`#headline`), "A headline prepared without script"))
	do("open the menu", chromedp.Click(chromedp.CSS(`#more-actions > summary`)), chromedp.WaitVisible(chromedp.CSS(`#save-pending`)))
	submit("save a draft of changes", `#save-pending`)
	d, err := app.Store.PendingDraft(context.Background(), live.ID)
	if err != nil || d.Snapshot.Headline != "A headline prepared without script" {
		t.Fatalf("draft of changes after the no-script save: %q, %v", d.Snapshot.Headline, err)
	}
	if cur, _ := app.Store.ArticleByID(context.Background(), live.ID); cur.Headline != live.Headline {
		t.Errorf("the live headline became %q", cur.Headline)
	}
	if count(`#pending`) != 1 {
		t.Error("the editor does not show the draft of changes")
	}
	do("open the menu again", chromedp.Click(chromedp.CSS(`#more-actions > summary`)), chromedp.WaitVisible(chromedp.CSS(`#discard-pending`)))
	submit("discard", `#discard-pending`)
	if count(`#confirm-discard`) != 1 {
		t.Fatal("discarding without script does not ask first")
	}
	submit("confirm the discard", `#confirm-discard`)
	if _, err := app.Store.PendingDraft(context.Background(), live.ID); !news.IsNotFound(err) {
		t.Errorf("after the confirmed discard: %v, want no draft", err)
	}
}
