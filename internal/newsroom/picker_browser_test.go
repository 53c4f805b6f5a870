package newsroom_test

// The byline picker in a real browser: the signed-in reporter's byline is
// a chip already; typing filters the authors, Enter adds one, a chip's
// button removes it, and the saved byline has the chips' order.
//
// Run: go test ./internal/newsroom -run BrowserAuthorPicker (needs chromium).

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

func TestBrowserAuthorPicker(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := testutil.NewApp(t, testutil.WithDemo())
	bg := context.Background()
	authors, err := app.Store.ListAuthors(bg)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]news.Author{}
	for _, a := range authors {
		byName[a.Name] = a
	}
	han, kang := byName["Han Eun-bi"], byName["Kang Min-ho"]
	if han.ID == 0 || kang.ID == 0 {
		t.Fatalf("demo authors missing: %v", authors)
	}
	u, err := auth.CreateUser(bg, app.Store, "han@example.com", "Han Eun-bi (desk)", news.RoleEditor, password)
	if err != nil {
		t.Fatal(err)
	}
	u.AuthorID = han.ID
	if err := app.Store.UpdateStaff(bg, &u); err != nil {
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
	get := func(what, js string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	chipsJS := `Array.from(document.querySelectorAll('#author-chips .chip')).map(c => c.firstChild.textContent).join('|')`

	browser.Navigate(t, bctx, app.URL+"/admin/login")
	do("sign in",
		chromedp.SendKeys(css(`#email`), "han@example.com"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`form button[type=submit]`)),
		chromedp.WaitVisible(css(`.dash`)),
	)
	browser.Navigate(t, bctx, app.URL+"/admin/articles/new")
	do("picker", chromedp.WaitVisible(css(`#author-search`)))
	if hidden := get("select hidden", `String(document.getElementById('authors').hidden)`); hidden != "true" {
		t.Errorf("the plain multi-select is still shown beside the picker")
	}
	if got := get("chips", chipsJS); got != "Han Eun-bi (you)" {
		t.Errorf("chips on a new article = %q, want the reporter's own byline", got)
	}
	do("type", chromedp.Click(css(`#author-search`)), chromedp.SendKeys(css(`#author-search`), "kang"))
	if got := get("filtered", `Array.from(document.querySelectorAll('#author-options [role=option]')).map(o => o.textContent).join('|')`); got != "Kang Min-ho" {
		t.Errorf("typing 'kang' lists %q, want only Kang Min-ho", got)
	}
	browser.ScreenshotViewport(t, bctx, browser.ScreenshotDir(t), "author-picker-filtered")
	do("add with Enter", chromedp.KeyEvent("\r"))
	if got := get("chips", chipsJS); got != "Han Eun-bi (you)|Kang Min-ho" {
		t.Errorf("chips after Enter = %q", got)
	}
	if got := get("search cleared", `document.getElementById('author-search').value`); got != "" {
		t.Errorf("the search box kept %q after adding", got)
	}
	// Remove the first chip: Kang becomes the lead byline.
	do("remove", chromedp.Click(css(`#author-chips .chip:first-child .chip-remove`)))
	do("add Han back", chromedp.SendKeys(css(`#author-search`), "han eun"), chromedp.KeyEvent("\r"))
	if got := get("chips", chipsJS); got != "Kang Min-ho|Han Eun-bi (you)" {
		t.Errorf("chips after remove and add = %q", got)
	}
	politics := get("politics option", `Array.from(document.querySelectorAll('#section option')).find(o => o.textContent.trim().endsWith('Politics')).value`)
	do("write", chromedp.SendKeys(css(`#headline`), "Picker-made story"), chromedp.SetValue(css(`#section`), politics))
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	_, err = chromedp.RunResponse(ctx, chromedp.Click(css(`#save`)))
	cancel()
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	loc := get("location", `location.pathname`)
	id := strings.TrimPrefix(loc, "/admin/articles/")
	list, err := app.Store.ListArticles(bg, news.ArticleQuery{Status: news.StatusDraft, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var saved news.Article
	for _, a := range list.Articles {
		if itoa(a.ID) == id {
			saved, _ = app.Store.ArticleByID(bg, a.ID)
		}
	}
	var names []string
	for _, a := range saved.Authors {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, "|"); got != "Kang Min-ho|Han Eun-bi" {
		t.Errorf("saved byline %q (article %s), want Kang Min-ho|Han Eun-bi in the chips' order", got, id)
	}
	// Reopened, the chips show the saved order.
	do("reopened", chromedp.WaitVisible(css(`#author-search`)))
	if got := get("chips", chipsJS); got != "Kang Min-ho|Han Eun-bi (you)" {
		t.Errorf("chips after reopening = %q", got)
	}
}
