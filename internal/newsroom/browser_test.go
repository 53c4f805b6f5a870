package newsroom_test

// The editor's journey in a real browser (headless Chromium through
// chromedp): sign in, upload a lead image, write, preview, publish, find the article on the
// home page and its section, correct it and see the note.
//
// Run: go test ./internal/newsroom -run Browser (needs /usr/bin/chromium;
// skipped without it unless CI=true).

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
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

	// Upload the lead image in the media library (part of the newsroom).
	pngPath := filepath.Join(t.TempDir(), "ferry.png")
	writePNG(t, pngPath, 1200, 800)
	browser.Navigate(t, bctx, app.URL+"/admin/media")
	do("upload an image",
		chromedp.WaitVisible(css(`#m-file`)),
		chromedp.SetUploadFiles(css(`#m-file`), []string{pngPath}),
		chromedp.SendKeys(css(`#m-alt`), "A ferry tied up at the pier"),
		chromedp.SendKeys(css(`#m-credit`), "Photo: Byline staff"),
		chromedp.Click(css(`#media-upload button[type=submit]`)),
		chromedp.WaitVisible(css(`#uploaded-url`)),
	)
	imageURL := get("uploaded URL", chromedp.Text(css(`#uploaded-url`)))

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
	// The lead image comes from the media library through the picker.
	do("pick the image",
		chromedp.Click(css(`[data-picker-open]`)),
		chromedp.WaitVisible(css(`.picker-item`)),
		chromedp.Click(css(`.picker-item`)),
	)
	if got := get("picked URL", chromedp.Evaluate[string](`document.getElementById('image_url').value`)); got != imageURL {
		t.Fatalf("the picker filled the image URL with %q, want %q", got, imageURL)
	}
	if got := get("picked alt", chromedp.Evaluate[string](`document.getElementById('image_alt').value`)); got != "A ferry tied up at the pier" {
		t.Fatalf("the picker filled alt text %q, want the library's", got)
	}
	do("caption", chromedp.SendKeys(css(`#image_caption`), "Ferries stayed in port on Monday."))
	do("preview", chromedp.Click(css(`#preview-button`)))
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function(){ var d = document.getElementById('preview').contentDocument; var h = d && d.querySelector('article.story h1'); var b = d && d.querySelector('.story-body strong'); return !!(h && h.textContent === `+jsString(headline)+` && b && b.textContent === 'walked out'); })()`, chromedp.WithPollingTimeout(20*time.Second)))
	cancel()
	if err != nil {
		dbg := get("debug", chromedp.Evaluate[string](`(function(){ var f = document.getElementById('preview'); var d = f.contentDocument; return 'srcdoc ' + f.srcdoc.length + ' doc ' + (d && d.querySelector('article') ? d.querySelector('article').outerHTML.slice(0, 1500) : 'none'); })()`))
		t.Fatalf("the preview never showed the article: %v\n%s", err, dbg)
	}
	do("save", chromedp.Click(css(`#save`)), chromedp.WaitVisible(css(`#publish`)))
	editURL, _, _ := strings.Cut(get("editor URL", chromedp.Location()), "?")
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

	browser.Navigate(t, bctx, app.URL+live.Value)
	if w := get("lead image", chromedp.Evaluate[string](`String(document.querySelector("figure.lead-image img").naturalWidth)`)); w == "0" {
		t.Error("the lead image does not load on the article page")
	}
	if c := get("caption", chromedp.Text(css(`figure.lead-image figcaption`))); !strings.Contains(c, "Ferries stayed in port") || !strings.Contains(c, "Photo: Byline staff") {
		t.Errorf("caption and credit %q", c)
	}

	browser.Navigate(t, bctx, editURL)
	do("correct",
		chromedp.WaitVisible(css(`#corr-body`)),
		chromedp.SendKeys(css(`#corr-body`), "An earlier version gave the wrong day of the strike."),
	)
	// Click and wait for the page the form's answer leads to.
	ctx, cancel = context.WithTimeout(bctx, 30*time.Second)
	_, err = chromedp.RunResponse(ctx, chromedp.Click(css(`#add-correction`)))
	cancel()
	if err != nil {
		t.Fatalf("add the correction: %v", err)
	}
	if f := get("flash", chromedp.Text(css(`.flash`))); !strings.Contains(f, "Note added") {
		t.Fatalf("after the correction the page says %q", f)
	}
	browser.Navigate(t, bctx, app.URL+live.Value)
	if note := get("note", chromedp.Text(css(`aside.corrections`))); !strings.Contains(note, "An earlier version gave the wrong day of the strike.") {
		t.Errorf("correction note on the article: %q", note)
	}
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 160, 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }
