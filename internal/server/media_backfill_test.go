package server_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/testutil"
)

// An image stored before Byline made renditions (its record lists none,
// the article showing it has no srcset) gets them when it is first asked
// for: they are stored beside it, recorded, the article's cached page is
// purged and shows a srcset; a second request makes nothing more.
func TestOldImageGetsRenditionsOnFirstRequest(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for y := 0; y < 800; y++ {
		for x := 0; x < 1200; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	const rel = "2019/03/harbour-old.jpg"
	dir := filepath.Join(app.DataDir, "media", "2019", "03")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "harbour-old.jpg"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	m := news.Media{Path: rel, MIME: "image/jpeg", Width: 1200, Height: 800, Bytes: int64(buf.Len()),
		Alt: "The old harbour at dawn", CreatedAt: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), Renditions: []news.Rendition{}}
	if err := app.Store.CreateMedia(ctx, &m); err != nil {
		t.Fatal(err)
	}
	a, err := app.Store.ArticleByID(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	a.Image = &news.Image{URL: m.URL(), Alt: m.Alt, Width: m.Width, Height: m.Height}
	if err := app.Store.UpdateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	app.Server.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
	if a, err = app.Store.ArticleByID(ctx, a.ID); err != nil {
		t.Fatal(err)
	}

	lead := func() (src, srcset string) {
		t.Helper()
		res, doc := app.Get(t, a.URL())
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", a.URL(), res.StatusCode)
		}
		sel := doc.Find(`img[src="` + m.URL() + `"]`).First()
		if sel.Length() == 0 {
			t.Fatalf("%s shows no <img src=%q>", a.URL(), m.URL())
		}
		return sel.AttrOr("src", ""), sel.AttrOr("srcset", "")
	}
	if _, ss := lead(); ss != "" {
		t.Fatalf("before the image is asked for, srcset = %q; want none (the test would prove nothing)", ss)
	}

	res, err := http.Get(app.URL + m.URL())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", m.URL(), res.StatusCode)
	}

	var got news.Media
	for deadline := time.Now().Add(20 * time.Second); ; {
		got, err = app.Store.MediaByID(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Renditions) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no renditions recorded 20 s after the image was asked for")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var widths []int
	for _, r := range got.Renditions {
		widths = append(widths, r.Width)
		rr, err := http.Get(app.URL + news.MediaURL(r.Path))
		if err != nil {
			t.Fatal(err)
		}
		rr.Body.Close()
		if rr.StatusCode != 200 || rr.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET rendition %s: %d %s; want 200 image/jpeg", r.Path, rr.StatusCode, rr.Header.Get("Content-Type"))
		}
		if !strings.HasPrefix(r.Path, "2019/03/harbour-old-") {
			t.Errorf("rendition %s is not stored beside its original", r.Path)
		}
	}
	if len(widths) != 2 || widths[0] != 480 || widths[1] != 960 {
		t.Errorf("rendition widths %v; want [480 960] (1600 is wider than the original)", widths)
	}
	if _, ss := lead(); ss != got.SrcSet() {
		t.Errorf("after: article srcset = %q; want %q", ss, got.SrcSet())
	}
	stored, err := app.Store.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.ModifiedAt.Equal(a.ModifiedAt) {
		t.Errorf("modified_at moved from %v to %v; making renditions is no edit", a.ModifiedAt, stored.ModifiedAt)
	}

	// Asked again: nothing new is made.
	res, err = http.Get(app.URL + m.URL())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	again, err := app.Store.MediaByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.SrcSet() != got.SrcSet() {
		t.Errorf("a second request changed the renditions: %q, was %q", again.SrcSet(), got.SrcSet())
	}
}
