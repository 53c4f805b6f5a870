package render

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestPickEncoding(t *testing.T) {
	cases := []struct {
		accept string
		br, gz bool
		want   string
	}{
		{"", true, true, ""},
		{"gzip", true, true, "gzip"},
		{"gzip, deflate, br", true, true, "br"},
		{"gzip, deflate, br, zstd", true, true, "br"},
		{"br;q=0, gzip", true, true, "gzip"},
		{"br;q=0.5, gzip;q=0.8", true, true, "gzip"},
		{"BR, GZIP", true, true, "br"},
		{"gzip;q=0", true, true, ""},
		{"gzip;q=0.000", true, true, ""},
		{"*", true, true, "br"},
		{"*;q=0", true, true, ""},
		{"*, br;q=0", true, true, "gzip"},
		{"identity", true, true, ""},
		{"x-gzip", true, true, "gzip"},
		{"br", false, true, ""},
		{"gzip, br", false, true, "gzip"},
		{"gzip, br", true, false, "br"},
		{"gzip;q=nonsense, br;q=2", true, true, ""},
		{" , ;;, gzip ; q=1 ", true, true, "gzip"},
	}
	for _, c := range cases {
		if got := PickEncoding(c.accept, c.br, c.gz); got != c.want {
			t.Errorf("PickEncoding(%q, br=%v, gzip=%v) = %q, want %q", c.accept, c.br, c.gz, got, c.want)
		}
	}
}

func TestServeAssetCompressed(t *testing.T) {
	// Assets only: the page templates need functions that features
	// register (see New's Funcs).
	r := assetsOnly(t)
	var err error
	for _, name := range []string{"site.css", "comments.js", "favicon.svg", "logo.png"} {
		a, ok := r.Asset(name)
		if !ok {
			t.Fatalf("asset %s missing", name)
		}
		for _, accept := range []string{"", "gzip", "gzip, deflate, br", "br;q=0, gzip;q=0"} {
			req := httptest.NewRequest("GET", a.URL, nil)
			if accept != "" {
				req.Header.Set("Accept-Encoding", accept)
			}
			rec := httptest.NewRecorder()
			r.ServeAsset(rec, req)
			res := rec.Result()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s (%q): status %d", name, accept, res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("%s: Cache-Control %q", name, got)
			}
			enc := res.Header.Get("Content-Encoding")
			raw, _ := io.ReadAll(res.Body)
			var body []byte
			switch enc {
			case "br":
				body, err = io.ReadAll(brotli.NewReader(bytes.NewReader(raw)))
			case "gzip":
				var zr *gzip.Reader
				if zr, err = gzip.NewReader(bytes.NewReader(raw)); err == nil {
					body, err = io.ReadAll(zr)
				}
			case "":
				body = raw
			default:
				t.Fatalf("%s: unexpected Content-Encoding %q", name, enc)
			}
			if err != nil {
				t.Fatalf("%s (%s): decode: %v", name, enc, err)
			}
			if !bytes.Equal(body, a.Body) {
				t.Errorf("%s (%q, %s): decoded body differs from the asset (%d vs %d bytes)", name, accept, enc, len(body), len(a.Body))
			}
			text := name != "logo.png" && name != "favicon.svg" // the icon is too small to gain
			want := ""
			if text {
				switch accept {
				case "gzip":
					want = "gzip"
				case "gzip, deflate, br":
					want = "br"
				}
				if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
					t.Errorf("%s: Vary %q, want Accept-Encoding", name, got)
				}
			}
			if enc != want {
				t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q, want %q", name, accept, enc, want)
			}
			if enc != "" && len(raw) >= len(a.Body) {
				t.Errorf("%s: %s form is %d bytes, the file %d", name, enc, len(raw), len(a.Body))
			}
			// A revalidation of the same form is answered 304.
			req2 := httptest.NewRequest("GET", a.URL, nil)
			req2.Header.Set("Accept-Encoding", accept)
			req2.Header.Set("If-None-Match", res.Header.Get("ETag"))
			rec2 := httptest.NewRecorder()
			r.ServeAsset(rec2, req2)
			if rec2.Code != http.StatusNotModified {
				t.Errorf("%s (%q): revalidation status %d, want 304", name, accept, rec2.Code)
			}
		}
	}
	rec := httptest.NewRecorder()
	r.ServeAsset(rec, httptest.NewRequest("GET", "/assets/site.0000000000.css", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("unknown hash: status %d, want 404", rec.Code)
	}
}

func assetsOnly(tb testing.TB) *Renderer {
	r := &Renderer{assets: map[string]*Asset{}, byURL: map[string]*Asset{}}
	if err := r.loadAssets(embedded); err != nil {
		tb.Fatal(err)
	}
	return r
}

// BenchmarkLoadAssets is what start-up pays to hash and compress the
// assets.
func BenchmarkLoadAssets(b *testing.B) {
	for b.Loop() {
		assetsOnly(b)
	}
}
