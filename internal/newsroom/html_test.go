package newsroom_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/e2e/browser"
	"byline/internal/news"
)

// The editor (with its upload box) and the media library pages are valid
// HTML by the Nu HTML Checker. Run: go test ./internal/newsroom -run
// HTMLValid (needs java and vnu.jar: npm ci --prefix tools, or
// BYLINE_VNU_JAR; skipped without them unless CI=true).
func TestAdminMediaHTMLValid(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		browser.SkipOrFail(t, "java not found: the Nu HTML Checker needs it")
	}
	jar := os.Getenv("BYLINE_VNU_JAR")
	if jar == "" {
		jar = filepath.Join(browser.ModuleRoot(), "tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	}
	if _, err := os.Stat(jar); err != nil {
		browser.SkipOrFail(t, fmt.Sprintf("vnu.jar not found at %s (run: npm ci --prefix tools, or set BYLINE_VNU_JAR)", jar))
	}
	h := newHarness(t)
	b, u := h.signedIn(t, "ed@example.com", news.RoleEditor)
	m := news.Media{Path: "2026/12/abc.jpg", MIME: "image/jpeg", Width: 1600, Height: 900, Bytes: 10, Alt: "Boats in the harbour",
		Caption: "At dawn", Credit: "Photo: Byline", UploadedBy: u.ID, Renditions: []news.Rendition{{Path: "2026/12/abc-480.jpg", Width: 480, Height: 270}}}
	if err := h.st.CreateMedia(ctx, &m); err != nil {
		t.Fatal(err)
	}
	form := h.articleForm("Harbour story", "Text.")
	form.Set("image_url", m.URL())
	form.Set("image_alt", m.Alt)
	if res, _ := b.post(t, "/admin/articles", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	a := h.lastArticle(t)
	pages := []struct {
		name, path string
		status     int
	}{
		{"editor-new", "/admin/articles/new", 200},
		{"editor", "/admin/articles/" + itoa(a.ID), 200},
		{"media", "/admin/media", 200},
		{"media-search", "/admin/media?q=boats&credit=byline&uploader=" + itoa(u.ID) + "&from=2026-01-01&until=2030-01-01", 200},
		{"media-bad-date", "/admin/media?from=nonsense", 400},
	}
	dir := t.TempDir()
	var files []string
	for _, p := range pages {
		req, _ := http.NewRequest("GET", h.URL+p.path, nil)
		res, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != p.status {
			t.Errorf("%s: status %d, want %d", p.path, res.StatusCode, p.status)
		}
		f := filepath.Join(dir, p.name+".html")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// The editor's preview (of a stored article: banner, story page
	// parts) is a whole page too.
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest("POST", h.URL+"/admin/preview?id="+itoa(a.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.URL)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("preview: status %d, want 200", res.StatusCode)
	}
	f := filepath.Join(dir, "preview.html")
	if err := os.WriteFile(f, body, 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, f)
	cmd := exec.Command(java, append([]string{"-Xss8m", "-jar", jar, "--format", "json", "--stdout"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output() // exits 1 when it finds errors
	var report struct {
		Messages []struct {
			Type, URL, Message, Extract string
			LastLine                    int `json:"lastLine"`
		} `json:"messages"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("vnu: %v (%v)\nstdout: %s\nstderr: %s", jerr, err, out, stderr.String())
	}
	for _, m := range report.Messages {
		line := fmt.Sprintf("%s:%d: %s\n    %s", strings.TrimSuffix(filepath.Base(m.URL), ".html"), m.LastLine, m.Message, strings.Join(strings.Fields(m.Extract), " "))
		if m.Type == "info" {
			t.Logf("warning: %s", line)
			continue
		}
		t.Errorf("%s: %s", m.Type, line)
	}
}
