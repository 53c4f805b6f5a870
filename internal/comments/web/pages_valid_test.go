package web_test

// The comment pages and the sign-in pages are valid HTML (the Nu HTML
// Checker), in English and Korean.
//
// Run: go test ./internal/comments/web -run CommentPagesValid (needs java
// and tools/node_modules for vnu.jar).

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/e2e/browser"
	"byline/internal/news"
)

func TestCommentPagesValid(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Nu HTML Checker")
	}
	app := newApp(t, func(s *news.CommentSettings) { s.PublicHistory = true })
	a := anyArticle(t, app)
	w := newReader(t, app)
	w.devLogin("Writer", a.URL()).Body.Close()
	if _, e, status := w.post(a.ID, "A comment to list", nil); status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	var me struct {
		Reader struct{ ID int64 } `json:"reader"`
	}
	if st := w.do("GET", "/api/v1/me", nil, &me); st != 200 || me.Reader.ID == 0 {
		t.Fatalf("me: %d %+v", st, me)
	}
	dir := t.TempDir()
	var files []string
	save := func(name string, res *http.Response, status int) {
		t.Helper()
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != status {
			t.Errorf("%s: status %d, want %d", name, res.StatusCode, status)
		}
		f := filepath.Join(dir, name+".html")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	for _, lang := range []string{"en", "ko"} {
		anon := newReader(t, app)
		get := func(path string) *http.Response {
			t.Helper()
			res, err := anon.c.Get(app.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		q := "?lang=" + lang
		save("article-box-"+lang, get(a.URL()+q), 200)
		save("help-"+lang, get("/comments/help"+q), 200)
		save("policy-"+lang, get("/comments/policy"+q), 200)
		save("account-signed-out-"+lang, get("/account"+q), 200)
		save("history-"+lang, get("/comments/readers/"+itoa(me.Reader.ID)+q), 200)
		save("signin-error-"+lang, get("/auth/nowhere/start"+q), 404)
		save("not-found-"+lang, get("/comments/readers/9999"+q), 404)
		save("broken-link-"+lang, get("/account/email/confirm"+q+"&t=broken"), 400)
		res := get("/auth/dev/start" + q + "&return=/")
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		save("dev-name-form-"+lang, &http.Response{StatusCode: res.StatusCode, Body: io.NopCloser(strings.NewReader(string(b)))}, 200)
		token := tokenOf(string(b))
		save("dev-name-refused-"+lang, anon.postForm("/auth/dev/finish", url.Values{"token": {token}, "name": {" "}}), 400)
		anon.postForm("/auth/dev/finish", url.Values{"token": {token}, "name": {"Reader " + lang}}).Body.Close()
		save("account-"+lang, get("/account"), 200)
		save("delete-unconfirmed-"+lang, anon.postForm("/account/delete", nil), 400)
	}
	browser.NuCheck(t, files)
}

// tokenOf is the dev name form's token in page.
func tokenOf(page string) string {
	const mark = `name="token" value="`
	i := strings.Index(page, mark)
	if i < 0 {
		return ""
	}
	rest := page[i+len(mark):]
	return rest[:strings.IndexByte(rest, '"')]
}
