package render_test

import (
	"bytes"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/render"
)

// adminView has the fields the admin layout reads (newsroom.View).
type adminView struct {
	Title, SiteName, CSRF, Path, Flash string
	User                               news.StaffUser
	Nav                                []struct{ Label, Path string }
	Data                               any
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func renderDoc(t *testing.T, r *render.Renderer, page string, data any) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, page, data); err != nil {
		t.Fatalf("render %s: %v", page, err)
	}
	html := buf.String()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc, html
}

func serve(t *testing.T, r *render.Renderer, url string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	r.ServeAsset(rec, httptest.NewRequest("GET", url, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// TestOneEngineTwoNamespaces: the reader's and the newsroom's pages come
// from the one renderer, each page with its own namespace's layout, and
// both namespaces' assets are served by the one handler.
func TestOneEngineTwoNamespaces(t *testing.T) {
	r, err := render.New(render.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"article", "home", "error", "admin/edit", "admin/error", "admin/login", "admin/dashboard"} {
		if !r.Has(page) {
			t.Errorf("no page %q", page)
		}
	}
	for _, page := range []string{"admin/layout", "layout", "admin/partials/comments_nav"} {
		if r.Has(page) {
			t.Errorf("%q is a page, want only a part of pages", page)
		}
	}
	doc, _ := renderDoc(t, r, "admin/error", adminView{SiteName: "The Daily", Data: struct{ Heading, Message string }{"Not Found", "No such article."}})
	if got := doc.Find("a.admin-brand").Text(); !strings.Contains(got, "The Daily") {
		t.Errorf("admin error page brand %q: not drawn with the admin layout", got)
	}
	if got := doc.Find("p.error-message").Text(); got != "No such article." {
		t.Errorf("admin error message %q", got)
	}
	for _, name := range []string{"admin/admin.css", "admin/admin.js", "admin/media-upload.js", "site.css"} {
		u := r.AssetURL(name)
		if !strings.HasPrefix(u, "/assets/") || strings.Contains(u, "missing") {
			t.Errorf("asset %s at %q, want a hashed /assets/ URL", name, u)
			continue
		}
		a, _ := r.Asset(name)
		if code, body := serve(t, r, u); code != http.StatusOK || body != string(a.Body) {
			t.Errorf("GET %s: %d, %d bytes, want 200 and the file", u, code, len(body))
		}
	}
	if href, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href"); href != r.AssetURL("admin/admin.css") {
		t.Errorf("admin page stylesheet %q, want %q", href, r.AssetURL("admin/admin.css"))
	}
}

// TestThemeOverridesSiteAndAdmin: a theme directory replaces a newsroom
// template, a newsroom asset and a reader asset file by file, and may
// add a page; everything else still comes from the binary.
func TestThemeOverridesSiteAndAdmin(t *testing.T) {
	plain, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	theme := t.TempDir()
	writeFiles(t, theme, map[string]string{
		"templates/admin/error.html": `{{define "title"}}Oops{{end}}{{define "main"}}<h1 id="themed">Our own error: {{.Data.Heading}}</h1>{{end}}`,
		"templates/admin/probe.html": `{{define "title"}}Probe{{end}}{{define "main"}}<p id="suggest">{{storySuggest .Data.A}}</p>` +
			`<p id="when">{{deskTime .Data.T}}</p><img src="/media/a.jpg" alt="a">{{end}}`,
		"assets/admin/admin.css": `body{background:#123}`,
		"assets/site.css":        `body{color:#321}`,
	})
	r, err := render.New(render.Options{ThemeDir: theme, Location: time.UTC, MediaURL: "https://cdn.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := renderDoc(t, r, "admin/error", adminView{SiteName: "The Daily", Data: struct{ Heading, Message string }{"Gone", ""}})
	if got := doc.Find("#themed").Text(); got != "Our own error: Gone" {
		t.Errorf("themed admin error page says %q", got)
	}
	if got := doc.Find("a.admin-brand").Length(); got != 1 {
		t.Errorf("themed admin page has %d brands, want the built-in admin layout around it", got)
	}
	for _, c := range []struct{ name, body string }{{"admin/admin.css", `body{background:#123}`}, {"site.css", `body{color:#321}`}} {
		u := r.AssetURL(c.name)
		if u == plain.AssetURL(c.name) {
			t.Errorf("%s: themed URL %q equals the built-in one", c.name, u)
		}
		if code, body := serve(t, r, u); code != http.StatusOK || body != c.body {
			t.Errorf("GET themed %s: %d %q", u, code, body)
		}
		if code, _ := serve(t, r, plain.AssetURL(c.name)); code != http.StatusNotFound {
			t.Errorf("GET built-in %s from the themed renderer: %d, want 404", c.name, code)
		}
	}
	if href, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href"); href != r.AssetURL("admin/admin.css") {
		t.Errorf("themed admin page stylesheet %q, want the theme's %q", href, r.AssetURL("admin/admin.css"))
	}
	// Files the theme does not replace come from the binary.
	if a, b := r.AssetURL("admin/admin.js"), plain.AssetURL("admin/admin.js"); a != b {
		t.Errorf("admin.js: themed %q, built-in %q, want the same", a, b)
	}
	if !r.Has("admin/edit") || !r.Has("article") {
		t.Error("built-in pages missing beside the theme")
	}

	// The theme's own page runs with the one function map; the newsroom
	// binds storySuggest; admin pages keep /media/ paths (the editor's
	// fields hold them), only reader pages point at --media-url.
	if err := r.Bind(template.FuncMap{"storySuggest": func(a string) string { return "box for " + a }}); err != nil {
		t.Fatal(err)
	}
	doc, _ = renderDoc(t, r, "admin/probe", adminView{Data: struct {
		A string
		T time.Time
	}{"budget", time.Date(2026, 12, 6, 3, 4, 0, 0, time.UTC)}})
	if got := doc.Find("#suggest").Text(); got != "box for budget" {
		t.Errorf("bound storySuggest gave %q", got)
	}
	if got := doc.Find("#when").Text(); got != "2026-12-06 03:04 UTC" {
		t.Errorf("deskTime gave %q", got)
	}
	if src, _ := doc.Find("main img").Attr("src"); src != "/media/a.jpg" {
		t.Errorf("admin page image %q, want /media/a.jpg kept", src)
	}
	if err := r.Bind(template.FuncMap{"noSuchFunc": func() string { return "" }}); err == nil {
		t.Error("Bind of an undeclared function: no error")
	}
}

// TestThemeDirMustExist: a mistyped --theme is refused at start-up.
func TestThemeDirMustExist(t *testing.T) {
	if _, err := render.New(render.Options{ThemeDir: filepath.Join(t.TempDir(), "nope")}); err == nil {
		t.Error("missing theme directory: no error")
	}
}
