package newsroom_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/news"
)

// TestAdminThroughThemeAndOneAssetHandler: the newsroom's pages and
// assets come from the one template engine, so a theme directory
// (--theme) overrides an admin template and an admin asset as it does
// the reader's, and /assets/ serves them (there is no /admin/assets/).
func TestAdminThroughThemeAndOneAssetHandler(t *testing.T) {
	theme := t.TempDir()
	for name, body := range map[string]string{
		"templates/admin/login.html": `{{define "title"}}Sign in{{end}}{{define "main"}}<h1 id="themed">Staff door</h1>` +
			`<form method="post" action="/admin/login"><input name="email" aria-label="E-mail"><input name="password" type="password" aria-label="Password"><button>Go</button></form>{{end}}`,
		"assets/admin/admin.css": `.admin-head{background:#012345}`,
	} {
		p := filepath.Join(theme, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, "--theme", theme)
	b := h.client()
	res, doc := b.get(t, "/admin/login")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	if got := doc.Find("#themed").Text(); got != "Staff door" {
		t.Errorf("themed login page heading %q, want the theme's", got)
	}
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	js, _ := doc.Find(`script[src]`).Attr("src")
	for _, c := range []struct{ url, prefix, want string }{
		{css, "/assets/admin/admin.", ".admin-head{background:#012345}"},
		{js, "/assets/admin/admin.", ""},
	} {
		if !strings.HasPrefix(c.url, c.prefix) {
			t.Errorf("admin asset URL %q, want %s<hash>", c.url, c.prefix)
			continue
		}
		r, err := http.Get(h.URL + c.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s: %d, Cache-Control %q", c.url, r.StatusCode, r.Header.Get("Cache-Control"))
		}
		if c.want != "" && string(body) != c.want {
			t.Errorf("GET %s: %q, want the theme's file", c.url, body)
		}
	}
	// The editor (not overridden) still comes from the binary.
	_ = h.user(t, "ed@example.com", news.RoleEditor)
	if res := b.login(t, "ed@example.com", password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login through the themed form: %d", res.StatusCode)
	}
	if res, doc := b.get(t, "/admin/articles/new"); res.StatusCode != http.StatusOK || doc.Find("#edit-form").Length() != 1 {
		t.Errorf("editor: %d, %d forms", res.StatusCode, doc.Find("#edit-form").Length())
	}
	if r, err := http.Get(h.URL + "/admin/assets/admin.css"); err != nil {
		t.Fatal(err)
	} else if r.Body.Close(); r.StatusCode != http.StatusNotFound {
		t.Errorf("/admin/assets/admin.css: %d, want 404 (one asset handler, /assets/)", r.StatusCode)
	}
}
