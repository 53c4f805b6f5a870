package newsroom_test

// The editor's upload box in a real browser: an image chosen in the box
// becomes the lead image, one pasted into the body goes in at the cursor,
// one dropped on the box replaces the lead image, refusals are said in
// the box, and saving keeps it all.
//
// Run: go test ./internal/newsroom -run BrowserEditorUpload (needs
// /usr/bin/chromium; skipped without it unless CI=true).

import (
	"context"
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

// jsImageFile is JavaScript making a File of a w×h PNG drawn on a canvas
// (a DataTransfer holding it is in window.dt).
func jsImageFile(w, h int, colour string) string {
	return `(function(){ var c = document.createElement('canvas'); c.width = ` + itoa(int64(w)) + `; c.height = ` + itoa(int64(h)) + `;
		var g = c.getContext('2d'); g.fillStyle = '` + colour + `'; g.fillRect(0, 0, c.width, c.height);
		var bin = atob(c.toDataURL('image/png').split(',')[1]); var b = new Uint8Array(bin.length);
		for (var i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
		window.dt = new DataTransfer(); window.dt.items.add(new File([b], 'image.png', {type: 'image/png'})); return 'ok'; })()`
}

func TestBrowserEditorUpload(t *testing.T) {
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
	js := func(what, expr string) string {
		t.Helper()
		return get(what, chromedp.Evaluate[string](expr))
	}
	// wait polls a JavaScript condition, and says what the box shows when
	// it never holds.
	wait := func(what, cond string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second)))
		cancel()
		if err != nil {
			t.Fatalf("%s: %v (the box says %q)", what, err, js("status", `document.querySelector('[data-upload-status]').textContent`))
		}
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
	browser.Navigate(t, bctx, app.URL+"/admin/articles/new")
	politics := js("politics option", `Array.from(document.querySelectorAll('#section option')).find(o => o.textContent.trim().endsWith('Politics')).value`)
	do("write",
		chromedp.WaitVisible(css(`#headline`)),
		chromedp.SendKeys(css(`#headline`), "Harbour reopens after the storm"),
		chromedp.SetValue(css(`#section`), politics),
		chromedp.SendKeys(css(`#body`), "The first boats left at dawn.\n\nThe harbour master was pleased."),
	)
	if got := js("button", `document.getElementById('upload-button').textContent + '|' + document.getElementById('upload-button').type`); got != "Upload|button" {
		t.Fatalf("with script the box's button is %q, want an Upload button that does not submit", got)
	}

	// Refused in the page: no file, then no alt text.
	do("upload nothing", chromedp.Click(css(`#upload-button`)))
	if got := js("status", `document.querySelector('[data-upload-status]').textContent`); !strings.Contains(got, "Choose, drop or paste an image") {
		t.Errorf("upload without a file says %q", got)
	}

	// Chosen: the lead image.
	pngPath := filepath.Join(t.TempDir(), "boats.png")
	writePNG(t, pngPath, 1400, 900)
	do("choose a file", chromedp.SetUploadFiles(css(`#upload_file`), []string{pngPath}))
	wait("the chosen file is ready", `document.querySelector('[data-upload-status]').textContent.indexOf('chosen') >= 0`)
	do("upload without alt", chromedp.Click(css(`#upload-button`)))
	if got := js("status", `document.querySelector('[data-upload-status]').textContent`); !strings.Contains(got, "Alt text is required") {
		t.Errorf("upload without alt text says %q", got)
	}
	do("describe and upload",
		chromedp.SendKeys(css(`#upload_alt`), "Fishing boats leaving the harbour"),
		chromedp.SendKeys(css(`#upload_caption`), "The first boats out on Tuesday"),
		chromedp.SendKeys(css(`#upload_credit`), "Photo: Min-ji Park"),
		chromedp.Click(css(`#upload-button`)),
	)
	wait("the lead image is filled in", `document.getElementById('image_url').value.indexOf('/media/') === 0`)
	lead := js("lead", `[image_url.value, image_alt.value, image_caption.value, image_credit.value].join('|')`)
	parts := strings.Split(lead, "|")
	if len(parts) != 4 || parts[1] != "Fishing boats leaving the harbour" || parts[2] != "The first boats out on Tuesday" || parts[3] != "Photo: Min-ji Park" {
		t.Fatalf("lead image fields %q", lead)
	}
	leadURL := parts[0]
	if got := js("box emptied", `upload_alt.value + '|' + upload_file.value`); got != "|" {
		t.Errorf("after the upload the box still holds %q", got)
	}

	// Pasted into the body, at the cursor (after the first paragraph).
	js("make a picture", jsImageFile(640, 400, "#335577"))
	js("paste", `(function(){ var b = document.getElementById('body'); b.focus(); var at = b.value.indexOf('\n\n'); b.setSelectionRange(at, at);
		b.dispatchEvent(new ClipboardEvent('paste', {clipboardData: window.dt, bubbles: true, cancelable: true})); return 'ok'; })()`)
	wait("the pasted image is ready", `document.querySelector('[data-upload-status]').textContent.indexOf('pasted') >= 0`)
	if got := js("where", `document.getElementById('upload_use_body').checked ? 'body' : 'lead'`); got != "body" {
		t.Errorf("an image pasted into the body would go to the %s", got)
	}
	do("upload the pasted image", chromedp.SendKeys(css(`#upload_alt`), "A chart of boats out each day"), chromedp.Click(css(`#upload-button`)))
	wait("the body holds the image", `document.getElementById('body').value.indexOf('![A chart of boats out each day](/media/') >= 0`)
	body := js("body", `document.getElementById('body').value`)
	if !strings.HasPrefix(body, "The first boats left at dawn.\n\n![A chart of boats out each day](/media/") || !strings.HasSuffix(body, ")\n\nThe harbour master was pleased.") {
		t.Errorf("body after the paste:\n%s", body)
	}
	if got := js("lead kept", `image_url.value`); got != leadURL {
		t.Errorf("pasting into the body changed the lead image to %q", got)
	}

	// A file the server refuses (not really a PNG): said in the box, the
	// lead image kept.
	js("a broken file", `(function(){ window.dt = new DataTransfer(); window.dt.items.add(new File([new Uint8Array([137,80,78,71,13,10,26,10,0,0])], 'broken.png', {type: 'image/png'})); return 'ok'; })()`)
	do("choose lead", chromedp.Click(css(`#upload_use_lead`)))
	js("drop", `(function(){ document.querySelector('[data-drop-zone]').dispatchEvent(new DragEvent('drop', {dataTransfer: window.dt, bubbles: true, cancelable: true})); return 'ok'; })()`)
	wait("the dropped file is ready", `document.querySelector('[data-upload-status]').textContent.indexOf('dropped') >= 0`)
	do("upload the broken file", chromedp.SendKeys(css(`#upload_alt`), "Broken"), chromedp.Click(css(`#upload-button`)))
	wait("the refusal is shown", `document.querySelector('[data-upload-status]').textContent.indexOf('Not uploaded') === 0`)
	if got := js("status", `document.querySelector('[data-upload-status]').textContent`); !strings.Contains(got, "damaged") {
		t.Errorf("refusal says %q", got)
	}
	if got := js("lead kept", `image_url.value`); got != leadURL {
		t.Errorf("a refused upload changed the lead image to %q", got)
	}

	// Dropped on the box: the new lead image.
	js("make another picture", jsImageFile(1000, 700, "#aa6633"))
	js("drop", `(function(){ upload_alt.value = ''; document.querySelector('[data-drop-zone]').dispatchEvent(new DragEvent('drop', {dataTransfer: window.dt, bubbles: true, cancelable: true})); return 'ok'; })()`)
	wait("the dropped file is ready", `document.querySelector('[data-upload-status]').textContent.indexOf('dropped') >= 0`)
	do("upload the dropped image", chromedp.SendKeys(css(`#upload_alt`), "The harbour wall at sunset"), chromedp.Click(css(`#upload-button`)))
	wait("the lead image changes", `image_url.value.indexOf('/media/') === 0 && image_url.value !== `+jsString(leadURL))
	leadURL = js("lead", `image_url.value`)

	do("save", chromedp.Click(css(`#save`)), chromedp.WaitVisible(css(`#article-status`)))
	items, total, err := app.Store.ListMedia(context.Background(), news.MediaQuery{Text: "harbour"})
	if err != nil || total < 2 {
		t.Fatalf("library after the uploads: %d (%v)", total, err)
	}
	n, _ := app.Store.CountArticles(context.Background())
	a, err := app.Store.ArticleByID(context.Background(), int64(n))
	if err != nil {
		t.Fatal(err)
	}
	if a.Headline != "Harbour reopens after the storm" || a.Image == nil || a.Image.URL != leadURL || a.Image.Alt != "The harbour wall at sunset" || a.Image.SrcSet == "" {
		t.Errorf("saved article %q, image %+v; want the dropped image %s with its renditions", a.Headline, a.Image, leadURL)
	}
	if !strings.Contains(a.Body, "![A chart of boats out each day](/media/") {
		t.Errorf("saved body lost the pasted image:\n%s", a.Body)
	}
	if items[0].UploadedBy == 0 {
		t.Errorf("uploads from the editor record no uploader")
	}
}
