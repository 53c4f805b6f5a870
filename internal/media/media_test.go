package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/news"
	"byline/internal/respond"
	"byline/internal/store/sqlitestore"
)

type fixture struct {
	lib   *Library
	store *sqlitestore.Store
	root  string
	srv   *httptest.Server
	// rendered records what the admin page was asked to draw.
	rendered []LibraryPage
	// mayRemove is what the handlers' MayRemove answers.
	mayRemove bool
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{store: st, root: filepath.Join(dir, "media"), mayRemove: true}
	f.lib = New(st, Disk{Root: f.root})
	h := &Handlers{Lib: f.lib, UserID: func(*http.Request) int64 { return 7 },
		Render: func(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
			w.WriteHeader(status)
			f.rendered = append(f.rendered, data.(LibraryPage))
			fmt.Fprintf(w, "<p class=error>%s</p>", data.(LibraryPage).Error)
		},
		Error: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, news.PublicMessage(err), respond.StatusOf(err))
		},
		MayRemove: func(*http.Request) bool { return f.mayRemove }}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/admin/media", h.APIUpload)
	mux.HandleFunc("GET /admin/media.json", h.ListJSON)
	mux.HandleFunc("GET /admin/media", h.Page)
	mux.HandleFunc("POST /admin/media", h.FormUpload)
	mux.HandleFunc("POST /admin/media/{id}/delete", h.Delete)
	mux.HandleFunc("POST /admin/media/{id}/replace", h.Replace)
	mux.HandleFunc("DELETE /api/v1/admin/media/{id}", h.APIDelete)
	mux.HandleFunc("PUT /api/v1/admin/media/{id}", h.APIReplace)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y += 7 {
		for x := 0; x < w; x += 3 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, w, h int, alpha bool) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	a := uint8(255)
	if alpha {
		a = 100
	}
	for i := range img.Pix {
		img.Pix[i] = a
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a valid PNG header claiming w×h pixels, with a tiny IDAT:
// decoding it would allocate w×h×3 bytes.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func multipartBody(t testing.TB, filename string, data []byte, fields map[string]string) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if data != nil {
		pw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func (f *fixture) upload(t *testing.T, path, filename string, data []byte, fields map[string]string) (*http.Response, []byte) {
	t.Helper()
	ct, body := multipartBody(t, filename, data, fields)
	res, err := http.Post(f.srv.URL+path, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

type apiError struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

func TestUploadFormats(t *testing.T) {
	webp, err := os.ReadFile("testdata/large-lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	gifBuf := new(bytes.Buffer)
	pal := image.NewPaletted(image.Rect(0, 0, 100, 50), color.Palette{color.White, color.Black})
	if err := gif.Encode(gifBuf, pal, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		data       []byte
		mime       string
		renditions int
		ext        string
	}{
		{"jpeg", "photo.jpg", encodeJPEG(t, 2000, 1000), "image/jpeg", 3, ".jpg"},
		{"png with alpha", "chart.png", encodePNG(t, 1000, 500, true), "image/png", 2, ".png"},
		{"opaque png", "shot.png", encodePNG(t, 600, 300, false), "image/png", 1, ".jpg"},
		{"gif", "anim.gif", gifBuf.Bytes(), "image/gif", 0, ""},
		{"webp", "pic.webp", webp, "image/webp", 0, ""},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.upload(t, "/api/v1/admin/media", tc.file, tc.data, map[string]string{"alt": "A test picture", "caption": "Cap", "credit": "Byline"})
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("status %d (%s), want 201", res.StatusCode, body)
			}
			var got JSON
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got.MIME != tc.mime || got.Alt != "A test picture" || got.Credit != "Byline" {
				t.Errorf("got %+v, want mime %s", got, tc.mime)
			}
			if tc.name == "webp" && got.Width == 0 {
				t.Errorf("webp width 0")
			}
			if tc.name != "webp" && len(got.Renditions) != tc.renditions {
				t.Errorf("renditions = %d, want %d", len(got.Renditions), tc.renditions)
			}
			for _, r := range got.Renditions {
				if tc.ext != "" && !strings.HasSuffix(r.URL, tc.ext) {
					t.Errorf("rendition %s, want %s", r.URL, tc.ext)
				}
				if _, err := os.Stat(filepath.Join(f.root, strings.TrimPrefix(r.URL, "/media/"))); err != nil {
					t.Errorf("rendition file: %v", err)
				}
			}
			if _, err := os.Stat(filepath.Join(f.root, strings.TrimPrefix(got.URL, "/media/"))); err != nil {
				t.Errorf("original file: %v", err)
			}
			if len(got.Renditions) > 0 && (got.SrcSet == "" || got.Image.SrcSet != got.SrcSet || got.Image.Alt != got.Alt) {
				t.Errorf("srcset %q, image %+v", got.SrcSet, got.Image)
			}
			m, err := f.store.MediaByID(context.Background(), got.ID)
			if err != nil || m.UploadedBy != 7 {
				t.Errorf("stored %+v, %v; want uploaded_by 7", m, err)
			}
		})
	}
	res, err := http.Get(f.srv.URL + "/admin/media.json?q=test")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []JSON
		Total int
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if list.Total != len(tests) || len(list.Items) != len(tests) {
		t.Errorf("picker lists %d (total %d), want %d", len(list.Items), list.Total, len(tests))
	}
}

func TestUploadRefusals(t *testing.T) {
	good := encodeJPEG(t, 64, 64)
	pngData := encodePNG(t, 300, 300, false)
	tests := []struct {
		name   string
		file   string
		data   []byte
		fields map[string]string
		status int
		code   string
		msg    string
	}{
		{"html named jpg", "evil.jpg", []byte("<html><script>alert(1)</script></html>"), nil, 415, "unsupported_media_type", "not a JPEG, PNG, WebP or GIF"},
		{"svg", "logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), nil, 415, "unsupported_media_type", "content was checked"},
		{"truncated png", "cut.png", pngData[:len(pngData)/2], nil, 400, "invalid", "damaged or incomplete"},
		{"png header only", "cut.png", pngData[:20], nil, 400, "invalid", "damaged or incomplete"},
		{"decompression bomb", "bomb.png", bombPNG(100_000, 100_000), nil, 413, "too_large", "10000 megapixels"},
		{"too wide", "strip.png", bombPNG(20_000, 10), nil, 413, "too_large", "12000 pixels a side"},
		{"no alt", "ok.jpg", good, map[string]string{"alt": "   "}, 400, "invalid", "alt text is required"},
		{"no file", "", nil, nil, 400, "invalid", "choose an image"},
		{"empty file", "x.jpg", []byte{}, nil, 400, "invalid", "empty"},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fields := tc.fields
			if fields == nil {
				fields = map[string]string{"alt": "Something"}
			}
			res, body := f.upload(t, "/api/v1/admin/media", tc.file, tc.data, fields)
			var e apiError
			json.Unmarshal(body, &e)
			if res.StatusCode != tc.status || e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.msg) {
				t.Errorf("got %d %s %q, want %d %s containing %q", res.StatusCode, e.Error.Code, e.Error.Message, tc.status, tc.code, tc.msg)
			}
		})
	}
	if _, total, _ := f.store.ListMedia(context.Background(), news.MediaQuery{}); total != 0 {
		t.Errorf("refused uploads stored %d items", total)
	}
	if ents, _ := os.ReadDir(f.root); len(ents) != 0 {
		t.Errorf("refused uploads left files: %v", ents)
	}
}

func TestUploadSizeLimit(t *testing.T) {
	f := newFixture(t)
	f.lib.Limits.MaxBytes = 1 << 20
	big := append(encodeJPEG(t, 64, 64), bytes.Repeat([]byte{0}, 2<<20)...)
	res, body := f.upload(t, "/api/v1/admin/media", "big.jpg", big, map[string]string{"alt": "Big"})
	var e apiError
	json.Unmarshal(body, &e)
	if res.StatusCode != 413 || !strings.Contains(e.Error.Message, "1 MB") {
		t.Errorf("got %d %q, want 413 naming the 1 MB limit", res.StatusCode, e.Error.Message)
	}
	// Not multipart at all.
	res2, err := http.Post(f.srv.URL+"/api/v1/admin/media", "image/jpeg", bytes.NewReader(big[:100]))
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != 400 {
		t.Errorf("raw body: status %d, want 400", res2.StatusCode)
	}
}

func TestFormUpload(t *testing.T) {
	f := newFixture(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ct, body := multipartBody(t, "a.jpg", encodeJPEG(t, 800, 600), map[string]string{"alt": "Harbour", "caption": "At dawn"})
	res, err := client.Post(f.srv.URL+"/admin/media", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/media?uploaded=") {
		t.Fatalf("status %d location %q, want 303 to the library", res.StatusCode, res.Header.Get("Location"))
	}
	ct, body = multipartBody(t, "a.jpg", []byte("GIF89a\x01"), map[string]string{"alt": "Kept <b>text</b>", "credit": "Me"})
	res, err = client.Post(f.srv.URL+"/admin/media", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Errorf("broken gif via form: status %d, want 400", res.StatusCode)
	}
	last := f.rendered[len(f.rendered)-1]
	if !strings.Contains(last.Error, "damaged") || last.Alt != "Kept <b>text</b>" || last.Credit != "Me" || last.Total != 1 {
		t.Errorf("page data %+v: want the error, the typed text and the library", last)
	}
}

func TestDiskRefusesEscapes(t *testing.T) {
	d := Disk{Root: t.TempDir()}
	for _, name := range []string{"../x", "/etc/passwd", "a/../../b", "", "a\\b"} {
		if err := d.Put(context.Background(), name, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) succeeded", name)
		}
	}
	if err := d.Put(context.Background(), "2026/01/a.jpg", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(context.Background(), "2026/01/a.jpg", strings.NewReader("y")); err == nil {
		t.Error("Put overwrote an existing file")
	}
}

// BenchmarkUpload12MP measures checking, decoding, three renditions and
// storing a 4000×3000 JPEG.
func BenchmarkUpload12MP(b *testing.B) {
	for _, sc := range []struct {
		name   string
		approx bool
	}{{"CatmullRom", false}, {"ApproxBiLinear", true}} {
		b.Run(sc.name, func(b *testing.B) {
			dir := b.TempDir()
			st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "b.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			lib := New(st, Disk{Root: filepath.Join(dir, "media")})
			if sc.approx {
				lib.Scaler = approx
			}
			data := encodeJPEG(b, 4000, 3000)
			b.ResetTimer()
			for b.Loop() {
				if _, err := lib.Upload(context.Background(), data, news.Media{Alt: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
