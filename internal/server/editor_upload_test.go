package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

// editorForm is the editor's form as a browser without script sends it
// from the upload box's button: every field, multipart, with the file.
func editorForm(t *testing.T, csrf string, fields map[string]string, file []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("upload_file", "harbour.jpg")
	fw.Write(file)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// TestEditorUploadWithoutScript: the editor's upload box works as a plain
// file field of the editor form. A new article is created with the image
// as its lead image; on an existing one the image goes into the body; a
// refused image saves nothing and shows the editor again with what was
// typed; without a file the form saves as usual.
func TestEditorUploadWithoutScript(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	ed := signIn(t, app, "writer@example.com", news.RoleContributor)
	var doc *goquery.Document
	_, doc = ed.get(t, "/admin/articles/new")
	box := doc.Find("#media-upload")
	if box.Find(`input[type=file][name=upload_file]`).Length() != 1 || box.Find(`#upload_alt`).Length() != 1 ||
		box.Find(`button[formenctype="multipart/form-data"][name=action][value=save]`).Length() != 1 {
		t.Fatalf("the editor has no upload box with a file field and a multipart save button")
	}
	if doc.Find(`a[target=_blank][href="/admin/media"]`).Length() != 0 {
		t.Errorf("the editor still sends editors to the media page in a new window")
	}
	sec := doc.Find(`#section option[value]`).FilterFunction(func(_ int, o *goquery.Selection) bool { return o.AttrOr("value", "") != "" }).First().AttrOr("value", "")
	_, before, _ := app.Store.ListMedia(ctx, news.MediaQuery{})
	n, _ := app.Store.CountArticles(ctx)

	fields := map[string]string{"headline": "Harbour reopens", "section_id": sec, "body": "Boats are back.", "action": "save",
		"upload_alt": "Fishing boats at the quay", "upload_caption": "The quay on Monday", "upload_credit": "Photo: Min-ji Park", "upload_use": "lead"}
	ct, body := editorForm(t, ed.csrf, fields, jpegBytes(1400, 900))
	res, doc := ed.send(t, "POST", "/admin/articles", ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create with an image: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/admin/articles/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q", loc)
	}
	a, err := app.Store.ArticleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	items, after, _ := app.Store.ListMedia(ctx, news.MediaQuery{})
	if after != before+1 {
		t.Fatalf("library holds %d, want %d", after, before+1)
	}
	m := items[0]
	if m.Alt != "Fishing boats at the quay" || m.Caption != "The quay on Monday" || m.Credit != "Photo: Min-ji Park" || m.UploadedBy != ed.user.ID {
		t.Errorf("library record %+v", m)
	}
	if a.Image == nil || a.Image.URL != m.URL() || a.Image.Alt != m.Alt || a.Image.Caption != m.Caption || a.Image.Credit != m.Credit || a.Image.SrcSet == "" {
		t.Errorf("lead image %+v, want the upload %s with its texts and srcset", a.Image, m.URL())
	}
	_, doc = ed.get(t, loc)
	if doc.Find("#image_url").AttrOr("value", "") != m.URL() {
		t.Errorf("the editor shows image URL %q after the save", doc.Find("#image_url").AttrOr("value", ""))
	}

	// Into the body of the saved article.
	fields = map[string]string{"headline": a.Headline, "section_id": sec, "body": "Boats are back.", "action": "save", "version": strconv.Itoa(a.Version),
		"image_url": a.Image.URL, "image_alt": a.Image.Alt, "upload_alt": "The harbour master", "upload_use": "body"}
	ct, body = editorForm(t, ed.csrf, fields, jpegBytes(600, 800))
	res, _ = ed.send(t, "POST", "/admin/articles/"+strconv.FormatInt(id, 10), ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with a body image: %d", res.StatusCode)
	}
	items, _, _ = app.Store.ListMedia(ctx, news.MediaQuery{})
	a, _ = app.Store.ArticleByID(ctx, id)
	if want := "Boats are back.\n\n![The harbour master](" + items[0].URL() + ")\n"; a.Body != want || a.Image == nil || a.Image.URL != m.URL() {
		t.Errorf("body %q, lead %+v; want %q and the lead image kept", a.Body, a.Image, want)
	}

	// Refusals: nothing saved, the editor again with the typed text.
	_, count, _ := app.Store.ListMedia(ctx, news.MediaQuery{})
	for _, tc := range []struct {
		name   string
		alt    string
		file   []byte
		status int
		msg    string
	}{
		{"no alt text", "", jpegBytes(300, 200), http.StatusBadRequest, "alt text is required"},
		{"not an image", "A page", []byte("<html>hello</html>"), http.StatusUnsupportedMediaType, "not a JPEG, PNG, WebP or GIF"},
		{"damaged", "Broken", []byte("GIF89a\x01"), http.StatusBadRequest, "damaged"},
	} {
		fields := map[string]string{"headline": "Typed headline " + tc.name, "section_id": sec, "body": "Typed body.", "action": "save", "upload_alt": tc.alt}
		ct, body := editorForm(t, ed.csrf, fields, tc.file)
		res, doc := ed.send(t, "POST", "/admin/articles", ct, body)
		if res.StatusCode != tc.status || !strings.Contains(doc.Find(".form-error").Text(), tc.msg) || !strings.Contains(doc.Find(".form-error").Text(), "Nothing was saved") {
			t.Errorf("%s: %d %q, want %d saying %q", tc.name, res.StatusCode, doc.Find(".form-error").Text(), tc.status, tc.msg)
		}
		if doc.Find("#headline").AttrOr("value", "") != "Typed headline "+tc.name || doc.Find("#body").Text() != "Typed body." {
			t.Errorf("%s: the typed article was not shown again", tc.name)
		}
	}
	ct, body = editorForm(t, ed.csrf, map[string]string{"headline": "Huge", "section_id": sec, "upload_alt": "Huge"}, append(jpegBytes(100, 100), make([]byte, 21<<20)...))
	if res, _ := ed.send(t, "POST", "/admin/articles", ct, body); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d, want 413", res.StatusCode)
	}
	if _, got, _ := app.Store.ListMedia(ctx, news.MediaQuery{}); got != count {
		t.Errorf("refused uploads left %d library items, want %d", got, count)
	}
	if got, _ := app.Store.CountArticles(ctx); got != n+1 {
		t.Errorf("%d articles, want %d (refused forms save nothing)", got, n+1)
	}

	// No file chosen: the multipart form saves as usual.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"csrf": ed.csrf, "headline": "Plain save", "section_id": sec, "body": "Text.", "upload_alt": "ignored"} {
		mw.WriteField(k, v)
	}
	mw.CreateFormFile("upload_file", "")
	mw.Close()
	res, _ = ed.send(t, "POST", "/admin/articles", mw.FormDataContentType(), &buf)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("multipart save without a file: %d", res.StatusCode)
	}
	if _, got, _ := app.Store.ListMedia(ctx, news.MediaQuery{}); got != count {
		t.Errorf("a save without a file changed the library: %d, want %d", got, count)
	}
}
