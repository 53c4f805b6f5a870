package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/minio/minio-go/v7"

	"byline/internal/media/s3test"
)

// uploadedMedia is the part of the upload answer the tests read.
type uploadedMedia struct {
	ID         int64  `json:"id"`
	URL        string `json:"url"`
	Renditions []struct {
		URL string `json:"url"`
	} `json:"renditions"`
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := 0; x < w; x += 2 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadImage posts an image to the Admin API of base.
func uploadImage(t *testing.T, base, token string, data []byte, alt string) uploadedMedia {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("alt", alt)
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/admin/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.StatusCode, raw)
	}
	var m uploadedMedia
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Renditions) == 0 {
		t.Fatalf("upload answered no renditions: %s", raw)
	}
	return m
}

// fetch GETs url and returns status, body and headers.
func fetch(t *testing.T, url string, hdr ...string) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

func newToken(t *testing.T, dbArgs ...string) string {
	t.Helper()
	if r := runIn(t, "correct horse\n", append([]string{"user", "add", "--email", "ed@example.com", "--name", "Ed", "--role", "editor"}, dbArgs...)...); r.code != 0 {
		t.Fatalf("user add: %s", r.stderr)
	}
	r := runIn(t, "", append([]string{"token", "create", "--email", "ed@example.com", "--name", "media test"}, dbArgs...)...)
	if r.code != 0 {
		t.Fatalf("token create: %s", r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// filesUnder counts the regular files under dir (0 when it is missing).
func filesUnder(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// TestMediaOnS3AcrossServers runs two Byline servers that share only a
// PostgreSQL database and an S3 bucket (a real S3 server, versitygw):
// an image uploaded through A, its renditions and the article page that
// uses it are served by B, and neither data directory holds a file.
//
//	eval "$(scripts/pg-test.sh)"; eval "$(scripts/test-s3.sh)"
//	go test ./internal/cli/ -run TestMediaOnS3AcrossServers
func TestMediaOnS3AcrossServers(t *testing.T) {
	s3 := s3test.Start(t)
	db := freshDatabase(t, "s3")
	dbArg := "--database=" + db
	if r := run(t, nil, append([]string{"demo", dbArg, "--data", t.TempDir()}, s3.Args("paper")...)...); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	token := newToken(t, dbArg, "--data", t.TempDir())
	dirA, dirB := t.TempDir(), t.TempDir()
	common := append([]string{"serve", dbArg, "--addr", "127.0.0.1:0", "--log-level", "warn"}, s3.Args("paper")...)
	a := serveInProcess(t, append(common, "--data", dirA)).url.String()
	b := serveInProcess(t, append(common, "--data", dirB)).url.String()

	photo := testJPEG(t, 2000, 1300)
	m := uploadImage(t, a, token, photo, "Fishing boats in the harbour at dawn")
	urls := []string{m.URL}
	for _, r := range m.Renditions {
		urls = append(urls, r.URL)
	}
	for _, u := range urls {
		codeA, bodyA, _ := fetch(t, a+u)
		codeB, bodyB, h := fetch(t, b+u)
		if codeA != 200 || codeB != 200 || !bytes.Equal(bodyA, bodyB) {
			t.Fatalf("%s: A answered %d (%d bytes), B %d (%d bytes); want the same image from both", u, codeA, len(bodyA), codeB, len(bodyB))
		}
		if h.Get("Content-Type") != "image/jpeg" || !strings.Contains(h.Get("Cache-Control"), "immutable") || h.Get("ETag") == "" {
			t.Errorf("%s from B: Content-Type %q, Cache-Control %q, ETag %q", u, h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("ETag"))
		}
		if code, body, _ := fetch(t, b+u, "If-None-Match", h.Get("ETag")); code != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s revalidated with its ETag: %d with %d bytes, want 304 and nothing", u, code, len(body))
		}
	}
	// The demo paper's pictures, loaded by `byline demo` on a third
	// machine, are in the bucket too.
	_, home, _ := fetch(t, b+"/")
	hdoc, err := goquery.NewDocumentFromReader(bytes.NewReader(home))
	if err != nil {
		t.Fatal(err)
	}
	demoImg := hdoc.Find(`img[src^="/media/demo/"]`).First().AttrOr("src", "")
	if demoImg == "" {
		t.Fatal("the demo front page on B shows no demo picture")
	}
	if code, body, _ := fetch(t, b+demoImg); code != 200 || len(body) == 0 {
		t.Errorf("demo picture %s from B: %d", demoImg, code)
	}
	if code, _, _ := fetch(t, b+"/media/2026/01/nothing-here.jpg"); code != http.StatusNotFound {
		t.Errorf("a missing image answered %d, want 404", code)
	}

	// An article published through A with the image, read on B.
	var art struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	call := func(method, path string, body any, out any) {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, a+path, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, data)
		}
		if out != nil {
			json.Unmarshal(data, out)
		}
	}
	call("POST", "/api/v1/admin/articles", map[string]any{"headline": "Boats return before the typhoon", "body": "The fleet came in early.",
		"section": "national/politics", "authors": []any{1}, "image": map[string]any{"url": m.URL, "alt": "Fishing boats in the harbour at dawn"}}, &art)
	call("POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", art.ID), nil, &art)
	path := art.URL
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[strings.Index(path[i+3:], "/")+i+3:]
	}
	code, page, _ := fetch(t, b+path)
	if code != 200 {
		t.Fatalf("article on B: %d", code)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	doc.Find(`img[alt="Fishing boats in the harbour at dawn"]`).Each(func(_ int, s *goquery.Selection) {
		if v, ok := s.Attr("src"); ok {
			srcs = append(srcs, v)
		}
		for _, part := range strings.Split(s.AttrOr("srcset", ""), ",") {
			if f := strings.Fields(part); len(f) > 0 {
				srcs = append(srcs, f[0])
			}
		}
	})
	if len(srcs) < 2 {
		t.Fatalf("article page on B shows the image with sources %q; want src and srcset", srcs)
	}
	for _, s := range srcs {
		if code, body, _ := fetch(t, b+s); code != 200 || len(body) == 0 {
			t.Errorf("image %s on the article page from B: %d", s, code)
		}
	}
	if n := filesUnder(t, filepath.Join(dirA, "media")) + filesUnder(t, filepath.Join(dirB, "media")); n != 0 {
		t.Errorf("the servers' data directories hold %d media files; want 0 (all in the bucket)", n)
	}
}

// TestMediaMigrate moves a paper's library from its media directory to a
// bucket and back with `byline media migrate`: resumable (a second run
// copies only what is missing), verified, and a server on the bucket
// serves every image -- before the copy too, from its old directory.
//
//	eval "$(scripts/test-s3.sh)"; go test ./internal/cli/ -run TestMediaMigrate
func TestMediaMigrate(t *testing.T) {
	s3 := s3test.Start(t)
	dir := t.TempDir()
	dataArgs := []string{"--data", dir}
	token := newToken(t, dataArgs...)
	local := serveInProcess(t, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"})
	m := uploadImage(t, local.url.String(), token, testJPEG(t, 1700, 1000), "A market street in the rain")
	want := map[string][]byte{}
	for _, u := range append([]string{m.URL}, m.Renditions[0].URL) {
		_, body, _ := fetch(t, local.url.String()+u)
		want[u] = body
	}
	local.stop(t)
	files := filesUnder(t, filepath.Join(dir, "media"))
	s3Args := s3.Args("paper")[2:] // without --media-store

	// A server switched to the bucket before anything is copied still
	// serves every image, from its old directory.
	onS3 := append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn", "--media-store", "s3://media/paper"}, s3Args...)
	srv := serveInProcess(t, onS3)
	for u, body := range want {
		if code, got, _ := fetch(t, srv.url.String()+u); code != 200 || !bytes.Equal(got, body) {
			t.Errorf("before migrating, %s: %d with %d bytes; want the image", u, code, len(got))
		}
	}
	srv.stop(t)

	migrate := func(extra ...string) result {
		t.Helper()
		r := run(t, nil, append(append([]string{"media", "migrate"}, append(dataArgs, s3Args...)...), extra...)...)
		if r.code != 0 {
			t.Fatalf("media migrate %q: exit %d: %s%s", extra, r.code, r.stdout, r.stderr)
		}
		return r
	}
	r := migrate("--to", "s3://media/paper")
	if !strings.Contains(r.stdout, fmt.Sprintf("%d files copied, 0 already there, 1 checked against the database", files)) {
		t.Errorf("first run said %q; want %d files copied", r.stdout, files)
	}
	// Interrupted runs resume: remove one object as if the copy had
	// stopped before it; the next run copies that one only.
	if err := s3.Client(t).RemoveObject(t.Context(), "media", "paper/"+strings.TrimPrefix(m.URL, "/media/"), minio.RemoveObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	r = migrate("--to", "s3://media/paper", "--verify")
	if !strings.Contains(r.stdout, fmt.Sprintf("1 files copied, %d already there", files-1)) || !strings.Contains(r.stdout, "same SHA-256") {
		t.Errorf("resumed run said %q; want 1 copied, %d already there, verified", r.stdout, files-1)
	}

	// The directory is gone: the bucket alone serves the paper.
	if err := os.Rename(filepath.Join(dir, "media"), filepath.Join(dir, "media.old")); err != nil {
		t.Fatal(err)
	}
	srv = serveInProcess(t, onS3)
	for u, body := range want {
		if code, got, _ := fetch(t, srv.url.String()+u); code != 200 || !bytes.Equal(got, body) {
			t.Errorf("from the bucket, %s: %d with %d bytes; want the image", u, code, len(got))
		}
	}
	srv.stop(t)

	// And back to a directory.
	r = run(t, nil, append([]string{"media", "migrate", "--media-store", "s3://media/paper", "--to", "local"}, append(dataArgs, s3Args...)...)...)
	if r.code != 0 {
		t.Fatalf("migrate back: %s%s", r.stdout, r.stderr)
	}
	if got := filesUnder(t, filepath.Join(dir, "media")); got != files {
		t.Errorf("after migrating back the directory holds %d files, want %d", got, files)
	}
	srv = serveInProcess(t, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"})
	for u, body := range want {
		if code, got, _ := fetch(t, srv.url.String()+u); code != 200 || !bytes.Equal(got, body) {
			t.Errorf("back in the directory, %s: %d with %d bytes; want the image", u, code, len(got))
		}
	}

	// Hostile or mistaken arguments are refused clearly.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"media", "migrate", "--data", dir}, "--to"},
		{[]string{"media", "migrate", "--data", dir, "--to", "ftp://x/y"}, "s3://"},
		{[]string{"media", "migrate", "--data", dir, "--to", "local"}, "already in"},
		{[]string{"media", "copy"}, "usage"},
	} {
		if r := run(t, nil, tc.args...); r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want a refusal mentioning %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
