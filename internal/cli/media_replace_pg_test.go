package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/minio/minio-go/v7"

	"byline/internal/media/s3test"
)

// TestMediaReplaceAcrossServers: two servers on one PostgreSQL database
// and one bucket. An image replaced through server A shows on the article
// page server B had cached (the purge travels between servers), B sends
// the old URL to the new file, and the old objects are gone from the
// bucket; deleting it is refused while the article shows it.
//
//	eval "$(scripts/pg-test.sh)"; eval "$(scripts/test-s3.sh)"
//	go test ./internal/cli/ -run TestMediaReplaceAcrossServers
func TestMediaReplaceAcrossServers(t *testing.T) {
	s3 := s3test.Start(t)
	db := freshDatabase(t, "replace")
	dbArg := "--database=" + db
	if r := run(t, nil, append([]string{"demo", dbArg, "--data", t.TempDir()}, s3.Args("paper")...)...); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	token := newToken(t, dbArg, "--data", t.TempDir())
	common := append([]string{"serve", dbArg, "--addr", "127.0.0.1:0", "--log-level", "warn"}, s3.Args("paper")...)
	a := serveInProcess(t, append(common, "--data", t.TempDir())).url.String()
	b := serveInProcess(t, append(common, "--data", t.TempDir())).url.String()
	m := uploadImage(t, a, token, testJPEG(t, 1800, 1200), "The old pier before the repairs")

	call := func(method, path, ctype string, body io.Reader, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, a+path, body)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if out != nil {
			json.Unmarshal(data, out)
		}
		return res.StatusCode
	}
	js := func(v any) io.Reader { raw, _ := json.Marshal(v); return bytes.NewReader(raw) }
	var art struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	call("POST", "/api/v1/admin/articles", "application/json", js(map[string]any{"headline": "The pier reopens", "body": "Repairs are done.",
		"section": "national/politics", "authors": []any{1}, "image": map[string]any{"url": m.URL, "alt": "The pier"}}), &art)
	if code := call("POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", art.ID), "application/json", nil, &art); code != 200 {
		t.Fatalf("publish: %d", code)
	}
	path := art.URL[strings.Index(art.URL[strings.Index(art.URL, "://")+3:], "/")+strings.Index(art.URL, "://")+3:]
	leadOnB := func() string {
		t.Helper()
		code, page, _ := fetch(t, b+path)
		if code != 200 {
			t.Fatalf("article on B: %d", code)
		}
		doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(page))
		return doc.Find(`img[alt="The pier"]`).First().AttrOr("src", "")
	}
	if got := leadOnB(); got != m.URL {
		t.Fatalf("B shows %q, want %q", got, m.URL)
	}
	leadOnB() // cached on B now

	if code := call("DELETE", fmt.Sprintf("/api/v1/admin/media/%d", m.ID), "", nil, nil); code != http.StatusConflict {
		t.Errorf("delete of the image the article shows: %d, want 409", code)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "pier.jpg")
	fw.Write(testJPEG(t, 1600, 900))
	mw.Close()
	var rep uploadedMedia
	if code := call("PUT", fmt.Sprintf("/api/v1/admin/media/%d", m.ID), mw.FormDataContentType(), &buf, &rep); code != 200 || rep.ID != m.ID || rep.URL == m.URL {
		t.Fatalf("replace through A: %d %+v", code, rep)
	}
	deadline := time.Now().Add(10 * time.Second)
	for leadOnB() != rep.URL {
		if time.Now().After(deadline) {
			t.Fatalf("B still shows %q 10 s after the replace, want %q", leadOnB(), rep.URL)
		}
		time.Sleep(50 * time.Millisecond)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(b + m.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != rep.URL {
		t.Errorf("old URL on B: %d to %q, want 301 to %s", res.StatusCode, res.Header.Get("Location"), rep.URL)
	}
	for _, u := range append([]string{m.URL}, m.Renditions[0].URL) {
		key := "paper/" + strings.TrimPrefix(u, "/media/")
		if _, err := s3.Client(t).StatObject(t.Context(), s3.Bucket, key, minio.StatObjectOptions{}); err == nil {
			t.Errorf("old object %s is still in the bucket", key)
		}
	}
	if code, body, _ := fetch(t, b+rep.URL); code != 200 || len(body) == 0 {
		t.Errorf("new image from B: %d", code)
	}
}
