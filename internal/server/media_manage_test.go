package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/testutil"
)

// TestAdminMediaReplaceDelete goes through the library as an editor: an
// image a published article shows is replaced (the cached article page
// shows the new files at once; the old URL leads to the new file), its
// deletion is refused with the article named, and once unused it is
// deleted with its files. A contributor may do neither.
func TestAdminMediaReplaceDelete(t *testing.T) {
	app := testutil.NewApp(t)
	ctx := context.Background()
	ed := signIn(t, app, "editor@example.com", news.RoleEditor)
	ct, body := uploadBody(t, ed.csrf, jpegBytes(1200, 800), "A ferry in fog")
	res, _ := ed.send(t, "POST", "/admin/media", ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	items, _, err := app.Store.ListMedia(ctx, news.MediaQuery{})
	if err != nil || len(items) != 1 {
		t.Fatalf("library: %v %d items", err, len(items))
	}
	m := items[0]
	id := strconv.FormatInt(m.ID, 10)
	sec := news.Section{Slug: "harbour", Name: "Harbour"}
	if err := app.Store.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	app.Server.Notify(ctx, news.Change{Kind: news.ChangeSections})
	a := news.Article{SectionID: sec.ID, Headline: "Ferries return", Body: "The ferries are back.", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), Image: &news.Image{URL: m.URL(), Alt: "A ferry", Width: m.Width, Height: m.Height, SrcSet: m.SrcSet()}}
	if err := app.Store.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	a, _ = app.Store.ArticleByID(ctx, a.ID)
	app.Server.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
	leadSrc := func() string {
		t.Helper()
		res, err := http.Get(app.URL + a.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		src, _ := doc.Find(`img[src^="/media/"]`).First().Attr("src")
		return src
	}
	if got := leadSrc(); got != m.URL() {
		t.Fatalf("article shows %q, want %q", got, m.URL())
	}
	leadSrc() // now served from the page cache

	contrib := signIn(t, app, "writer@example.com", news.RoleContributor)
	if _, doc := contrib.get(t, "/admin/media"); doc.Find(`form[action="/admin/media/`+id+`/delete"]`).Length() != 0 {
		t.Errorf("a contributor is offered Delete, which only editors may do")
	}
	if _, doc := ed.get(t, "/admin/media"); doc.Find(`form[action="/admin/media/`+id+`/delete"]`).Length() != 1 || doc.Find(`form[action="/admin/media/`+id+`/replace"] input[type=file]`).Length() != 1 {
		t.Errorf("an editor is not offered Replace and Delete")
	}
	if res, _ := contrib.postForm(t, "/admin/media/"+id+"/delete", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor delete: %d, want 403", res.StatusCode)
	}

	res, doc := ed.postForm(t, "/admin/media/"+id+"/delete", url.Values{})
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("refusal page: Cache-Control %q, Content-Type %q; want an admin page's no-store HTML", cc, res.Header.Get("Content-Type"))
	}
	if res.StatusCode != http.StatusConflict || !strings.Contains(doc.Find(".form-error").Text(), "Ferries return") ||
		doc.Find(`#media-uses a[href="/admin/articles/`+strconv.FormatInt(a.ID, 10)+`"]`).Length() != 1 {
		t.Errorf("delete of a used image: %d %q; want 409 naming and linking the article", res.StatusCode, doc.Find(".form-error").Text())
	}

	// Replace: a PNG in place of the JPEG.
	ct, rbody := replaceBody(t, ed.csrf, pngBytes(900, 600))
	res, _ = ed.send(t, "POST", "/admin/media/"+id+"/replace", ct, rbody)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("replace: %d", res.StatusCode)
	}
	now, err := app.Store.MediaByID(ctx, m.ID)
	if err != nil || now.Path == m.Path || now.MIME != "image/png" || now.Alt != "A ferry in fog" {
		t.Fatalf("after replace: %+v %v", now, err)
	}
	if got := leadSrc(); got != now.URL() {
		t.Errorf("cached article page shows %q after the replace, want %q", got, now.URL())
	}
	old, err := app.Client.Get(app.URL + m.URL())
	if err != nil {
		t.Fatal(err)
	}
	old.Body.Close()
	if old.StatusCode != http.StatusMovedPermanently || old.Header.Get("Location") != now.URL() {
		t.Errorf("old URL: %d to %q, want 301 to %s", old.StatusCode, old.Header.Get("Location"), now.URL())
	}
	img, err := http.Get(app.URL + m.URL())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(img.Body)
	img.Body.Close()
	if img.StatusCode != 200 || !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("following the old URL: %d, not the new PNG", img.StatusCode)
	}

	// Unused, it can be deleted; its files go.
	a, _ = app.Store.ArticleByID(ctx, a.ID)
	a.Image = nil
	if err := app.Store.UpdateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	res, _ = ed.postForm(t, "/admin/media/"+id+"/delete", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if _, doc := ed.get(t, res.Header.Get("Location")); doc.Find(".flash").Length() != 1 || !strings.Contains(doc.Find(".flash").Text(), "Deleted") {
		t.Errorf("after delete the page shows %d flash messages (%q), want one saying Deleted", doc.Find(".flash").Length(), doc.Find(".flash").Text())
	}
	for _, u := range append([]string{now.URL(), m.URL()}, news.MediaURL(now.Renditions[0].Path)) {
		res, err := app.Client.Get(app.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after delete: %d, want 404", u, res.StatusCode)
		}
	}
	res, doc = ed.get(t, "/admin/media")
	if got := strings.TrimSpace(doc.Find("#media-count").Text()); res.StatusCode != 200 || got != "0 images" {
		t.Errorf("library after delete: %d %q", res.StatusCode, got)
	}

	// The search form keeps its filters and refuses a bad date clearly.
	res, doc = ed.get(t, "/admin/media?credit=kim&from=2026-13-01")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(doc.Find(".form-error").Text(), "YYYY-MM-DD") || doc.Find("#m-credit-q").AttrOr("value", "") != "kim" {
		t.Errorf("bad date filter: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
}

// TestAPIMediaReplaceDelete: PUT and DELETE /api/v1/admin/media/{id} with
// an editor's token; a contributor's token is refused.
func TestAPIMediaReplaceDelete(t *testing.T) {
	app := testutil.NewApp(t)
	ed := signIn(t, app, "editor@example.com", news.RoleEditor)
	tok := apiToken(t, app, ed.user)
	ctx := context.Background()
	ct, body := uploadBody(t, "", jpegBytes(800, 600), "Pier at night")
	req, _ := http.NewRequest("POST", app.URL+"/api/v1/admin/media", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up struct{ ID int64 }
	json.NewDecoder(res.Body).Decode(&up)
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	path := "/api/v1/admin/media/" + strconv.FormatInt(up.ID, 10)
	ct, rbody := replaceBody(t, "", jpegBytes(640, 480))
	req, _ = http.NewRequest("PUT", app.URL+path, rbody)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		ID    int64
		Width int
		URL   string
	}
	json.NewDecoder(res.Body).Decode(&rep)
	res.Body.Close()
	if res.StatusCode != 200 || rep.ID != up.ID || rep.Width != 640 {
		t.Errorf("replace: %d %+v", res.StatusCode, rep)
	}

	writer := signIn(t, app, "writer@example.com", news.RoleContributor)
	wtok := apiToken(t, app, writer.user)
	req, _ = http.NewRequest("DELETE", app.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+wtok)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor delete: %d, want 403", res.StatusCode)
	}
	req, _ = http.NewRequest("DELETE", app.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d, want 204", res.StatusCode)
	}
	if _, err := app.Store.MediaByID(ctx, up.ID); news.KindOf(err) != news.KindNotFound {
		t.Errorf("record after delete: %v", err)
	}
}

func apiToken(t *testing.T, app *testutil.App, u news.StaffUser) string {
	t.Helper()
	tok, _, err := auth.NewTokens(app.Store).Create(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func pngBytes(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

// replaceBody is a replacement upload: the file (and the CSRF token).
func replaceBody(t *testing.T, csrf string, file []byte) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	fw, _ := mw.CreateFormFile("file", "replacement")
	fw.Write(file)
	mw.Close()
	return mw.FormDataContentType(), &buf
}
