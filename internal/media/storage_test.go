package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/minio/minio-go/v7"

	"byline/internal/media/s3test"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// eachStorage runs fn on the local directory and on a bucket of a real S3
// server (versitygw; see s3test), under a prefix beside another one, so
// that the prefix is seen to fence the library in.
func eachStorage(t *testing.T, fn func(t *testing.T, s Storage)) {
	t.Run("disk", func(t *testing.T) { fn(t, Disk{Root: filepath.Join(t.TempDir(), "media")}) })
	t.Run("s3", func(t *testing.T) {
		srv := s3test.Start(t)
		s, err := NewS3(S3Options{Endpoint: srv.Endpoint, Region: "us-east-1", PathStyle: true, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}, srv.Bucket, "paper/media")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Client(t).PutObject(context.Background(), srv.Bucket, "other/x.jpg", strings.NewReader("not ours"), 8, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
		fn(t, s)
	})
}

func readAll(t *testing.T, s Storage, name string) ([]byte, Info) {
	t.Helper()
	o, err := s.Open(context.Background(), name)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return b, o.Info()
}

func TestStorageConformance(t *testing.T) {
	eachStorage(t, func(t *testing.T, s Storage) {
		ctx := context.Background()
		body := bytes.Repeat([]byte("byline "), 1000)
		if err := s.Put(ctx, "2026/12/a.jpg", bytes.NewReader(body)); err != nil {
			t.Fatalf("Put: %v", err)
		}
		// A reader without Len (a stream) is stored too.
		if err := s.Put(ctx, "2026/12/b.png", io.LimitReader(strings.NewReader("second file"), 100)); err != nil {
			t.Fatalf("Put stream: %v", err)
		}
		got, info := readAll(t, s, "2026/12/a.jpg")
		if !bytes.Equal(got, body) {
			t.Errorf("read back %d bytes, want the %d written", len(got), len(body))
		}
		if info.Size != int64(len(body)) || info.ETag == "" || !strings.HasPrefix(info.ETag, `"`) || info.ModTime.IsZero() {
			t.Errorf("Info = %+v, want size %d, a quoted ETag and a time", info, len(body))
		}
		// Seeking works (http.ServeContent answers ranges with it).
		o, err := s.Open(ctx, "2026/12/a.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.Seek(7, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 6)
		if _, err := io.ReadFull(o, part); err != nil || string(part) != "byline" {
			t.Errorf("after Seek(7) read %q, %v; want \"byline\"", part, err)
		}
		// As http.ServeContent does: the end for the size, then the start.
		if end, err := o.Seek(0, io.SeekEnd); err != nil || end != int64(len(body)) {
			t.Errorf("Seek(0, end) = %d, %v; want %d", end, err, len(body))
		}
		if _, err := o.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if all, err := io.ReadAll(o); err != nil || !bytes.Equal(all, body) {
			t.Errorf("after seeking to the end and back read %d bytes (%v), want the %d written", len(all), err, len(body))
		}
		o.Close()
		if err := s.Put(ctx, "2026/12/a.jpg", strings.NewReader("other")); err == nil {
			t.Error("Put over an existing file succeeded; want a refusal")
		}
		if got, _ := readAll(t, s, "2026/12/a.jpg"); !bytes.Equal(got, body) {
			t.Error("the refused Put changed the stored file")
		}
		var names []string
		if err := s.Walk(ctx, func(name string, size int64) error { names = append(names, name); return nil }); err != nil {
			t.Fatal(err)
		}
		sort.Strings(names)
		if want := []string{"2026/12/a.jpg", "2026/12/b.png"}; !slices.Equal(names, want) {
			t.Errorf("Walk = %q, want %q", names, want)
		}
		if _, err := s.Open(ctx, "2026/12/missing.jpg"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(missing) error = %v, want fs.ErrNotExist", err)
		}
		for _, bad := range []string{"", "/etc/passwd", "../x.jpg", "a/../../x", `a\b.jpg`, "a//b.jpg"} {
			if err := s.Put(ctx, bad, strings.NewReader("x")); err == nil {
				t.Errorf("Put(%q) succeeded; want a refusal", bad)
			}
			if _, err := s.Open(ctx, bad); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Open(%q) error = %v, want fs.ErrNotExist", bad, err)
			}
		}
		if err := s.Delete(ctx, "2026/12/a.jpg"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Open(ctx, "2026/12/a.jpg"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open after Delete error = %v, want fs.ErrNotExist", err)
		}
		if err := s.Delete(ctx, "2026/12/a.jpg"); err != nil {
			t.Errorf("Delete of a missing file = %v, want nil", err)
		}
	})
}

// failingMedia is a real store whose CreateMedia fails, as a database
// that goes away between the files and the row would.
type failingMedia struct{ news.MediaStore }

func (failingMedia) CreateMedia(context.Context, *news.Media) error {
	return errors.New("database went away")
}

func TestUploadConformance(t *testing.T) {
	eachStorage(t, func(t *testing.T, s Storage) {
		ctx := context.Background()
		st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		lib := New(st, s)
		m, err := lib.Upload(ctx, encodeJPEG(t, 2000, 1000), news.Media{Alt: "A wide test picture"})
		if err != nil {
			t.Fatalf("Upload: %v", err)
		}
		if len(m.Renditions) != 3 {
			t.Fatalf("got %d renditions, want 3 (480, 960, 1600)", len(m.Renditions))
		}
		for _, p := range append([]string{m.Path}, renditionPaths(m)...) {
			b, _ := readAll(t, s, p)
			if Sniff(b) == "" {
				t.Errorf("%s is stored but is not an image", p)
			}
		}
		before := stored(t, s)
		// The database refuses the row: every file written is removed.
		lib.Store = failingMedia{st}
		if _, err := lib.Upload(ctx, encodeJPEG(t, 1200, 800), news.Media{Alt: "Never recorded"}); err == nil {
			t.Fatal("Upload with a failing database succeeded")
		}
		if after := stored(t, s); !slices.Equal(after, before) {
			t.Errorf("after the failed upload the storage holds %q, want %q (nothing new)", after, before)
		}
	})
}

func renditionPaths(m news.Media) []string {
	var out []string
	for _, r := range m.Renditions {
		out = append(out, r.Path)
	}
	return out
}

func stored(t *testing.T, s Storage) []string {
	t.Helper()
	var names []string
	if err := s.Walk(context.Background(), func(name string, size int64) error { names = append(names, name); return nil }); err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

// hookStorage calls before ahead of each Put.
type hookStorage struct {
	Storage
	before func(name string)
}

func (h hookStorage) Put(ctx context.Context, name string, r io.Reader) error {
	h.before(name)
	return h.Storage.Put(ctx, name, r)
}

// TestS3OutageMidUpload stops the S3 server after the original is
// stored and before its renditions are: the upload answers 503 with a
// clear message, no row is recorded, and once the server is back the
// bucket holds only whole files (the clean-up cannot reach a stopped
// server, so the original written before the outage may stay as a whole
// file no row points at; never a half object).
func TestS3OutageMidUpload(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	s3, err := NewS3(S3Options{Endpoint: srv.Endpoint, Region: "us-east-1", PathStyle: true, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}, srv.Bucket, "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var once sync.Once
	puts := 0
	files := hookStorage{Storage: s3, before: func(name string) {
		puts++
		if puts == 2 { // the first rendition
			once.Do(srv.Stop)
		}
	}}
	lib := New(st, files)
	h := &Handlers{Lib: lib}
	ct, body := multipartBody(t, "photo.jpg", encodeJPEG(t, 1200, 800), map[string]string{"alt": "Taken during an outage"})
	req, _ := http.NewRequest("POST", "/api/v1/admin/media", body)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	h.APIUpload(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d (%s), want 503", rec.Code, rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), "media storage is not answering") || rec.Header().Get("Retry-After") == "" {
		t.Errorf("body %s, Retry-After %q: want the storage message and a Retry-After", rec.Body.String(), rec.Header().Get("Retry-After"))
	}
	if _, total, err := st.ListMedia(ctx, news.MediaQuery{Limit: 10}); err != nil || total != 0 {
		t.Errorf("library holds %d items (%v) after the failed upload, want 0", total, err)
	}
	srv.Restart(t)
	for _, name := range srv.Files(t) {
		o, err := s3.Open(ctx, name)
		if err != nil {
			t.Errorf("%s is on the server's disk but not readable as an object: %v", name, err)
			continue
		}
		b, err := io.ReadAll(o)
		o.Close()
		if err != nil || Sniff(b) != "jpeg" || !decodes(b) {
			t.Errorf("%s is stored half or damaged (%d bytes, %v)", name, len(b), err)
		}
	}
	// The server is back: the same upload goes through.
	ct, body = multipartBody(t, "photo.jpg", encodeJPEG(t, 1200, 800), map[string]string{"alt": "Taken after the outage"})
	req, _ = http.NewRequest("POST", "/api/v1/admin/media", body)
	req.Header.Set("Content-Type", ct)
	rec = httptest.NewRecorder()
	lib.Files = s3
	h.APIUpload(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("after restart: status %d (%s), want 201", rec.Code, rec.Body.String())
	}
}

func decodes(b []byte) bool {
	_, _, err := image.Decode(bytes.NewReader(b))
	return err == nil
}
