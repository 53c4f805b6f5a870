package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

// reader is a browser-like client: a cookie jar, following redirects.
type reader struct {
	t   testing.TB
	app *testutil.App
	c   *http.Client
}

func newReader(t testing.TB, app *testutil.App) *reader {
	jar, _ := cookiejar.New(nil)
	return &reader{t: t, app: app, c: &http.Client{Jar: jar}}
}

// devLogin walks the dev provider's OAuth redirects to the name form and
// posts it; it returns the final response.
func (rd *reader) devLogin(name, ret string) *http.Response {
	rd.t.Helper()
	res, err := rd.c.Get(rd.app.URL + "/auth/dev/start?return=" + url.QueryEscape(ret))
	if err != nil {
		rd.t.Fatalf("dev start: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		rd.t.Fatalf("dev start: status %d, want 200 (name form)", res.StatusCode)
	}
	token, ok := doc.Find(`form[action="/auth/dev/finish"] input[name=token]`).Attr("value")
	if !ok {
		rd.t.Fatalf("dev start: no name form in %q", doc.Text())
	}
	return rd.postForm("/auth/dev/finish", url.Values{"token": {token}, "name": {name}})
}

func (rd *reader) postForm(path string, v url.Values) *http.Response {
	rd.t.Helper()
	req, _ := http.NewRequest("POST", rd.app.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", rd.app.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := rd.c.Do(req)
	if err != nil {
		rd.t.Fatalf("POST %s: %v", path, err)
	}
	return res
}

// do sends a same-origin JSON request and decodes the answer into out.
func (rd *reader) do(method, path string, body any, out any) int {
	rd.t.Helper()
	var r io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			r = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
	}
	req, _ := http.NewRequest(method, rd.app.URL+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := rd.c.Do(req)
	if err != nil {
		rd.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			rd.t.Fatalf("%s %s: status %d, body %q is not JSON: %v", method, path, res.StatusCode, b, err)
		}
	}
	return res.StatusCode
}

type apiError struct {
	Error struct {
		Code, Message, Field string
	} `json:"error"`
}

type commentJSON struct {
	ID         int64  `json:"id"`
	ParentID   *int64 `json:"parent_id"`
	Author     string `json:"author"`
	ReplyTo    string `json:"reply_to"`
	Body       string `json:"body"`
	HTML       string `json:"html"`
	Status     string `json:"status"`
	Clause     string `json:"clause"`
	Edited     bool   `json:"edited"`
	Recommends int    `json:"recommends"`
	Mine       bool   `json:"mine"`
	Replies    []commentJSON
	Share      *struct{ X, Facebook, Email string }
}

type listJSON struct {
	Comments   []commentJSON `json:"comments"`
	Total      int           `json:"total"`
	Count      int           `json:"count"`
	NextOffset *int          `json:"next_offset"`
}

func (rd *reader) post(articleID int64, body string, parent *int64) (commentJSON, apiError, int) {
	rd.t.Helper()
	var raw json.RawMessage
	status := rd.do("POST", "/api/v1/articles/"+itoa(articleID)+"/comments", map[string]any{"body": body, "parent_id": parent}, &raw)
	var c commentJSON
	var e apiError
	if status == 201 {
		json.Unmarshal(raw, &c)
	} else {
		json.Unmarshal(raw, &e)
	}
	return c, e, status
}

func itoa(n int64) string { return strings.TrimSpace(strings.Replace(jsonNum(n), "\n", "", -1)) }

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

// anyArticle is a visible demo article.
func anyArticle(t testing.TB, app *testutil.App) news.Article {
	t.Helper()
	p, err := app.Store.ListArticles(t.Context(), news.ArticleQuery{Limit: 2})
	if err != nil || len(p.Articles) == 0 {
		t.Fatalf("no demo article: %v", err)
	}
	a, err := app.Store.ArticleByID(t.Context(), p.Articles[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// postThread posts a Korean comment by 민지 on a and an English reply by
// Joon, and returns the comment.
func postThread(t testing.TB, app *testutil.App, a news.Article) commentJSON {
	t.Helper()
	rd := newReader(t, app)
	rd.devLogin("민지", a.URL()).Body.Close()
	top, e, status := rd.post(a.ID, "첫 댓글입니다", nil)
	if status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	other := newReader(t, app)
	other.devLogin("Joon", a.URL()).Body.Close()
	if _, e, status := other.post(a.ID, "A reply", &top.ID); status != 201 {
		t.Fatalf("reply: %d %+v", status, e)
	}
	return top
}

// get fetches a page with the reader's cookies.
func (rd *reader) get(path string) []byte {
	rd.t.Helper()
	res, err := rd.c.Get(rd.app.URL + path)
	if err != nil {
		rd.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
