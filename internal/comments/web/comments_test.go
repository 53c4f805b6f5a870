package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/config"
	"byline/internal/news"
	"byline/internal/testutil"
)

func TestArticlePageBoxAndCache(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	res, doc := page(t, app, a.URL())
	if res.StatusCode != 200 {
		t.Fatalf("article: %d", res.StatusCode)
	}
	box := doc.Find("#comments")
	checks := map[string]string{
		".comment-lock":                "To write comments, please log in to one of the accounts",
		".comment-connect":             "Log in with Dev login (local) to connect",
		`a[href="/comments/help"]`:     "Social comment?",
		`a[href="/comments/policy"]`:   "Standards Board Policy",
		"[data-counter]":               "0/250",
		".comment-providers .provider": "Dev login (local)",
	}
	for sel, want := range checks {
		if got := strings.TrimSpace(box.Find(sel).First().Text()); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if href, _ := box.Find(".provider-dev").Attr("href"); !strings.HasPrefix(href, "/auth/dev/start?return=") {
		t.Errorf("dev provider link = %q", href)
	}
	if _, ok := box.Find("textarea").Attr("disabled"); !ok {
		t.Error("textarea enabled for an anonymous page")
	}
	// comments.js is not loaded with the page but when the comments come
	// near the screen (site.js reads data-js); it must be a real asset.
	if doc.Find(`script[src*="comments"]`).Length() != 0 {
		t.Error("comments.js is loaded with the page (it belongs off the critical path)")
	}
	if js := doc.Find("#comments").AttrOr("data-js", ""); !strings.HasPrefix(js, "/assets/comments.") {
		t.Errorf("#comments data-js = %q, want the comments.js asset", js)
	} else if req, err := http.NewRequest("GET", js, nil); err != nil {
		t.Fatal(err)
	} else if res, _ := app.Do(t, req); res.StatusCode != 200 {
		t.Errorf("GET %s: status %d", js, res.StatusCode)
	}
	// Identical for every anonymous reader, and kept in the page cache.
	body1 := fetch(t, app, a.URL(), nil)
	body2 := fetch(t, app, a.URL(), map[string]string{"Accept-Language": "ko-KR,ko;q=0.9"})
	if !bytes.Equal(body1, body2) {
		t.Error("article page differs between anonymous readers")
	}
	if n := app.Server.Cache().Len(); n == 0 {
		t.Error("article page not in the page cache")
	}

	// Posting refreshes just that article's page and its count.
	rd := newReader(t, app)
	rd.devLogin("Min-ji", a.URL())
	c, e, st := rd.post(a.ID, "First comment\nsecond line", nil)
	if st != 201 {
		t.Fatalf("post: %d %+v", st, e)
	}
	_, doc = page(t, app, a.URL())
	li := doc.Find("#comment-" + itoa(c.ID))
	if li.Length() != 1 || li.Find(".comment-author").Text() != "Min-ji" || li.Find(".comment-text br").Length() != 1 {
		t.Errorf("posted comment not on the page as expected: %q", li.Text())
	}
	if got := strings.TrimSpace(doc.Find("[data-count]").Text()); got != "1" {
		t.Errorf("count on page = %q, want 1", got)
	}
	// Still identical for anonymous readers even though one is signed in.
	signedIn := rd.get(a.URL())
	if anon := fetch(t, app, a.URL(), nil); !bytes.Equal(anon, signedIn) {
		t.Error("page differs for a signed-in reader: per-reader state leaked into the cached page")
	}
}

// fetch gets a page anonymously with extra headers and returns its body.
func fetch(t testing.TB, app *testutil.App, path string, h map[string]string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", app.URL+path, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := app.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

func TestPostRefusals(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)

	// Not signed in.
	_, e, st := rd.post(a.ID, "hello", nil)
	if st != 401 || !strings.Contains(e.Error.Message, "log in") {
		t.Errorf("anonymous post: %d %q, want 401 asking to log in", st, e.Error.Message)
	}
	rd.devLogin("Reader", a.URL())

	// 250 graphemes pass; 251 are refused with a clear message.
	if _, e, st := rd.post(a.ID, strings.Repeat("가", 249)+"👍🏽", nil); st != 201 {
		t.Errorf("250 characters: %d %+v, want 201", st, e)
	}
	_, e, st = rd.post(a.ID, strings.Repeat("나", 251), nil)
	if st != 400 || e.Error.Field != "body" || !strings.Contains(e.Error.Message, "at most 250 characters") {
		t.Errorf("251 characters: %d %+v, want 400 'at most 250 characters'", st, e)
	}
	for _, body := range []string{"", "   \n\t ", "\u200b"} {
		if _, e, st := rd.post(a.ID, body, nil); st != 400 || !strings.Contains(e.Error.Message, "empty") {
			t.Errorf("post %q: %d %+v, want 400 'empty'", body, st, e)
		}
	}
	// Invalid UTF-8 is refused, not stored altered.
	var ae apiError
	st = rd.do("POST", "/api/v1/articles/"+itoa(a.ID)+"/comments", "{\"body\": \"bad \xff\xfe bytes\"}", &ae)
	if st != 400 || !strings.Contains(ae.Error.Message, "UTF-8") {
		t.Errorf("invalid UTF-8: %d %+v", st, ae)
	}
	// Junk JSON, wrong content type, unknown article, bad parent.
	if st := rd.do("POST", "/api/v1/articles/"+itoa(a.ID)+"/comments", "{body:", &ae); st != 400 {
		t.Errorf("junk JSON: %d", st)
	}
	if st := rd.do("POST", "/api/v1/articles/999999/comments", map[string]any{"body": "x1"}, &ae); st != 404 {
		t.Errorf("unknown article: %d", st)
	}
	if st := rd.do("POST", "/api/v1/articles/abc/comments", map[string]any{"body": "x2"}, &ae); st != 404 {
		t.Errorf("bad article id: %d", st)
	}
	bad := int64(987654)
	if _, e, st := rd.post(a.ID, "reply to nothing", &bad); st != 400 {
		t.Errorf("unknown parent: %d %+v", st, e)
	}

	// A 10 MB body: refused by size before anything is read or stored.
	big := bytes.Repeat([]byte("a"), 10<<20)
	req, _ := http.NewRequest("POST", app.URL+"/api/v1/articles/"+itoa(a.ID)+"/comments", bytes.NewReader(append(append([]byte(`{"body":"`), big...), '"', '}')))
	req.Header.Set("Content-Type", "application/json")
	res, err := rd.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("10 MB body: %d, want 413", res.StatusCode)
	}
	// The same without a length (chunked): the JSON error says so.
	req, _ = http.NewRequest("POST", app.URL+"/api/v1/articles/"+itoa(a.ID)+"/comments", io.MultiReader(strings.NewReader(`{"body":"`), bytes.NewReader(big), strings.NewReader(`"}`)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	res, err = rd.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(b, []byte("too large")) {
		t.Errorf("10 MB chunked body: %d %s, want 413 JSON", res.StatusCode, b)
	}

	// Nothing but the one good comment was stored.
	all, _ := app.Store.ExportComments(t.Context(), a.ID)
	if len(all) != 1 {
		t.Errorf("stored %d comments, want 1", len(all))
	}
}

func TestScriptInjection(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	name := `<img src=x onerror=alert(1)>"Kim`
	rd.devLogin(name, a.URL())
	body := `<script>alert(1)</script> <a href="javascript:alert(2)">x</a> javascript:alert(3) https://ok.example/"onmouseover="alert(4)`
	c, e, st := rd.post(a.ID, body, nil)
	if st != 201 {
		t.Fatalf("post: %d %+v", st, e)
	}
	if c.Body != body {
		t.Errorf("stored body = %q, want the text as typed", c.Body)
	}
	_, doc := page(t, app, a.URL())
	li := doc.Find("#comment-" + itoa(c.ID))
	if li.Find("script, img, [onerror], [onmouseover]").Length() != 0 {
		h, _ := li.Html()
		t.Errorf("markup from a comment or name became HTML: %s", h)
	}
	if got := li.Find(".comment-author").Text(); got != name {
		t.Errorf("author = %q, want the name as text %q", got, name)
	}
	li.Find(".comment-text a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		rel, _ := s.Attr("rel")
		if !strings.HasPrefix(href, "https://") || !strings.Contains(rel, "nofollow") || !strings.Contains(rel, "ugc") {
			t.Errorf("link href=%q rel=%q", href, rel)
		}
	})
	if !strings.Contains(li.Find(".comment-text").Text(), "<script>alert(1)</script>") {
		t.Error("the text of the comment was not shown as typed")
	}
	// The JSON API escapes too.
	raw := rd.get("/api/v1/articles/" + itoa(a.ID) + "/comments")
	if bytes.Contains(raw, []byte("<script>")) || bytes.Contains(raw, []byte("<img")) {
		t.Errorf("JSON carries raw markup: %s", raw)
	}
	// My account page too.
	acct := string(rd.get("/account"))
	if strings.Contains(acct, "<img src=x") || strings.Contains(acct, "<script>alert") {
		t.Error("account page shows raw markup")
	}
}

func TestCrossSiteRequestsRefused(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Victim", a.URL())
	path := app.URL + "/api/v1/articles/" + itoa(a.ID) + "/comments"
	try := func(h map[string]string) int {
		req, _ := http.NewRequest("POST", path, strings.NewReader(`{"body":"forged `+fmt.Sprint(len(h))+`","parent_id":null}`))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := rd.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := try(map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); st != 403 {
		t.Errorf("cross-site post (Sec-Fetch-Site): %d, want 403", st)
	}
	if st := try(map[string]string{"Origin": "https://evil.example"}); st != 403 {
		t.Errorf("cross-site post (Origin only): %d, want 403", st)
	}
	// Deleting or recommending across sites is refused too.
	req, _ := http.NewRequest("DELETE", app.URL+"/api/v1/comments/1", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := rd.c.Do(req); res.StatusCode != 403 {
		t.Errorf("cross-site delete: %d", res.StatusCode)
	}
	// The account cannot be deleted from another site.
	req, _ = http.NewRequest("POST", app.URL+"/account/delete", strings.NewReader("confirm=yes"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := rd.c.Do(req); res.StatusCode != 403 {
		t.Errorf("cross-site account delete: %d", res.StatusCode)
	}
	// Same-site scripts and plain HTTP clients are served.
	if st := try(map[string]string{"Sec-Fetch-Site": "same-origin"}); st != 201 {
		t.Errorf("same-origin post: %d, want 201", st)
	}
	if st := try(nil); st != 201 {
		t.Errorf("plain client post: %d, want 201", st)
	}
	all, _ := app.Store.ExportComments(t.Context(), a.ID)
	if len(all) != 2 {
		t.Errorf("stored %d comments, want 2 (no forged ones)", len(all))
	}
}

func TestBannedAndShadowBanned(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	banned := newReader(t, app)
	banned.devLogin("Banned", a.URL())
	shadow := newReader(t, app)
	shadow.devLogin("Shadow", a.URL())
	var me struct{ Reader struct{ ID int64 } }
	banned.do("GET", "/api/v1/me", nil, &me)
	if err := app.Store.BanReader(t.Context(), me.Reader.ID, time.Now().Add(48*time.Hour), false, time.Time{}, "2"); err != nil {
		t.Fatal(err)
	}
	_, e, st := banned.post(a.ID, "let me in", nil)
	if st != 403 || !strings.Contains(e.Error.Message, "clause 2") {
		t.Errorf("banned reader: %d %+v, want 403 citing clause 2", st, e)
	}
	shadow.do("GET", "/api/v1/me", nil, &me)
	if err := app.Store.BanReader(t.Context(), me.Reader.ID, time.Time{}, true, time.Now().Add(time.Hour), "5"); err != nil {
		t.Fatal(err)
	}
	c, e, st := shadow.post(a.ID, "only I see this", nil)
	if st != 201 || c.Status != "approved" {
		t.Fatalf("shadow-banned post: %d %+v %+v, want 201 shown to its writer as approved", st, c, e)
	}
	_, doc := page(t, app, a.URL())
	if doc.Find("#comment-"+itoa(c.ID)).Length() != 0 || strings.TrimSpace(doc.Find("[data-count]").Text()) != "0" {
		t.Error("shadow-banned comment visible to others or counted")
	}
	var list listJSON
	newReader(t, app).do("GET", "/api/v1/articles/"+itoa(a.ID)+"/comments", nil, &list)
	if len(list.Comments) != 0 {
		t.Errorf("anonymous API lists %d comments, want 0", len(list.Comments))
	}
	var mine struct{ Own []commentJSON }
	shadow.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &mine)
	if len(mine.Own) != 1 || mine.Own[0].Status != "approved" {
		t.Errorf("writer's own view = %+v, want their comment as published", mine.Own)
	}
}

func TestClosedAndHiddenArticles(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Reader", a.URL())
	first, _, _ := rd.post(a.ID, "before closing", nil)
	if err := app.Store.SetArticleCommentMode(t.Context(), a.ID, news.CommentsClosed); err != nil {
		t.Fatal(err)
	}
	app.Server.Notify(t.Context(), news.Change{Kind: news.ChangeComments, ArticleID: a.ID})
	_, e, st := rd.post(a.ID, "after closing", nil)
	if st != 403 || !strings.Contains(e.Error.Message, "closed") {
		t.Errorf("closed article: %d %+v, want 403 'closed'", st, e)
	}
	_, doc := page(t, app, a.URL())
	if doc.Find(".comments-closed").Length() != 1 || doc.Find("#comment-"+itoa(first.ID)).Length() != 1 || doc.Find("textarea").Length() != 0 {
		t.Error("closed article page: want the old comments, a closed note and no box")
	}
	if err := app.Store.SetArticleCommentMode(t.Context(), a.ID, news.CommentsHidden); err != nil {
		t.Fatal(err)
	}
	app.Server.Notify(t.Context(), news.Change{Kind: news.ChangeComments, ArticleID: a.ID})
	if _, _, st := rd.post(a.ID, "hidden", nil); st != 403 {
		t.Errorf("hidden article: %d, want 403", st)
	}
	_, doc = page(t, app, a.URL())
	if doc.Find("#comments").Length() != 0 {
		t.Error("hidden article still shows comments")
	}
}

func TestBurstOfOneHundred(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Fast", a.URL())
	var mu sync.Mutex
	codes := map[int]int{}
	var ids []int64
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, e, st := rd.post(a.ID, fmt.Sprintf("burst comment %d", i), nil)
			mu.Lock()
			defer mu.Unlock()
			codes[st]++
			if st == 201 {
				ids = append(ids, c.ID)
			} else if st == 429 && !strings.Contains(e.Error.Message, "too fast") {
				t.Errorf("429 message = %q", e.Error.Message)
			}
		}(i)
	}
	wg.Wait()
	if codes[201]+codes[429] != 100 || codes[201] == 0 || codes[429] == 0 {
		t.Fatalf("answers = %v, want only 201s and 429s", codes)
	}
	stored, _ := app.Store.ExportComments(t.Context(), a.ID)
	if len(stored) != codes[201] {
		t.Errorf("stored %d comments, answered 201 %d times", len(stored), codes[201])
	}
	got, _ := app.Store.ArticleByID(t.Context(), a.ID)
	if got.CommentCount != codes[201] {
		t.Errorf("comment_count = %d, want %d", got.CommentCount, codes[201])
	}
	for _, id := range ids {
		c, err := app.Store.CommentByID(t.Context(), id)
		if err != nil || !strings.HasPrefix(c.Body, "burst comment ") {
			t.Errorf("accepted comment %d: %+v %v", id, c, err)
		}
	}
}

func TestConversation(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	kim, lee, park := newReader(t, app), newReader(t, app), newReader(t, app)
	kim.devLogin("Kim", a.URL())
	lee.devLogin("Lee", a.URL())
	park.devLogin("Park", a.URL())
	top, _, _ := kim.post(a.ID, "Top comment", nil)
	r1, e, st := lee.post(a.ID, "Answer to Kim", &top.ID)
	if st != 201 || r1.ReplyTo != "Kim" || r1.ParentID == nil || *r1.ParentID != top.ID {
		t.Fatalf("reply: %d %+v %+v", st, r1, e)
	}
	// Replying to a reply stays one level deep and names the person.
	r2, _, st := park.post(a.ID, "Answer to Lee", &r1.ID)
	if st != 201 || r2.ReplyTo != "Lee" || *r2.ParentID != top.ID {
		t.Errorf("reply to reply: %d parent %v to %q; want parent %d, replying to Lee", st, r2.ParentID, r2.ReplyTo, top.ID)
	}
	_, doc := page(t, app, a.URL())
	if got := doc.Find("#comment-" + itoa(top.ID) + " .comment-replies .comment-reply-to").First().Text(); got != "replying to @Kim" {
		t.Errorf("reply label = %q", got)
	}
	// Recommend once; not one's own.
	var rec struct{ Recommends int }
	if st := lee.do("POST", "/api/v1/comments/"+itoa(top.ID)+"/recommend", nil, &rec); st != 200 || rec.Recommends != 1 {
		t.Errorf("recommend: %d %+v", st, rec)
	}
	var ae apiError
	if st := lee.do("POST", "/api/v1/comments/"+itoa(top.ID)+"/recommend", nil, &ae); st != 409 {
		t.Errorf("second recommend: %d, want 409", st)
	}
	if st := kim.do("POST", "/api/v1/comments/"+itoa(top.ID)+"/recommend", nil, &ae); st != 403 {
		t.Errorf("own recommend: %d, want 403", st)
	}
	// Sorting.
	second, _, _ := lee.post(a.ID, "Second top", nil)
	var list listJSON
	park.do("GET", "/api/v1/articles/"+itoa(a.ID)+"/comments?sort=newest", nil, &list)
	if len(list.Comments) != 2 || list.Comments[0].ID != second.ID || len(list.Comments[1].Replies) != 2 {
		t.Errorf("newest: %+v", list.Comments)
	}
	park.do("GET", "/api/v1/articles/"+itoa(a.ID)+"/comments?sort=top", nil, &list)
	if list.Comments[0].ID != top.ID {
		t.Errorf("top: first %d, want %d", list.Comments[0].ID, top.ID)
	}
	if st := park.do("GET", "/api/v1/articles/"+itoa(a.ID)+"/comments?sort=random", nil, &ae); st != 400 {
		t.Errorf("bad sort: %d", st)
	}
	park.do("GET", "/api/v1/articles/"+itoa(a.ID)+"/comments?sort=oldest&limit=1", nil, &list)
	if list.Total != 2 || list.NextOffset == nil || *list.NextOffset != 1 {
		t.Errorf("paging: total %d next %v", list.Total, list.NextOffset)
	}
	// Edit within the window is marked edited.
	var ed commentJSON
	if st := kim.do("PATCH", "/api/v1/comments/"+itoa(top.ID), map[string]any{"body": "Top comment, fixed"}, &ed); st != 200 || !ed.Edited || ed.Body != "Top comment, fixed" {
		t.Errorf("edit: %d %+v", st, ed)
	}
	if st := lee.do("PATCH", "/api/v1/comments/"+itoa(top.ID), map[string]any{"body": "hijack"}, &ae); st != 403 {
		t.Errorf("edit of another's comment: %d, want 403", st)
	}
	// Reports name a clause; three reports hold the comment.
	if st := lee.do("POST", "/api/v1/comments/"+itoa(second.ID)+"/report", map[string]any{"clause": "2"}, &ae); st != 403 {
		t.Errorf("own report: %d, want 403", st)
	}
	if st := park.do("POST", "/api/v1/comments/"+itoa(second.ID)+"/report", map[string]any{"clause": "99"}, &ae); st != 400 {
		t.Errorf("report with unknown clause: %d, want 400", st)
	}
	for _, r := range []*reader{park, kim} {
		if st := r.do("POST", "/api/v1/comments/"+itoa(second.ID)+"/report", map[string]any{"clause": "2", "note": "rude"}, nil); st != 202 {
			t.Errorf("report: %d", st)
		}
	}
	if st := park.do("POST", "/api/v1/comments/"+itoa(second.ID)+"/report", map[string]any{"clause": "2"}, &ae); st != 409 {
		t.Errorf("second report by the same reader: %d, want 409", st)
	}
	third := newReader(t, app)
	third.devLogin("Choi", a.URL())
	third.do("POST", "/api/v1/comments/"+itoa(second.ID)+"/report", map[string]any{"clause": "3"}, nil)
	c, _ := app.Store.CommentByID(t.Context(), second.ID)
	if c.Status != news.CommentPending {
		t.Errorf("after 3 reports: status %q, want pending", c.Status)
	}
	var me struct{ Own []commentJSON }
	lee.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &me)
	found := false
	for _, o := range me.Own {
		if o.ID == second.ID && o.Status == "pending" && o.Body == "Second top" {
			found = true
		}
	}
	if !found {
		t.Errorf("writer does not see their held comment as pending: %+v", me.Own)
	}
	// Deleting a comment with replies leaves a "deleted" stub.
	if st := kim.do("DELETE", "/api/v1/comments/"+itoa(top.ID), nil, nil); st != 204 {
		t.Errorf("delete own: %d", st)
	}
	_, doc = page(t, app, a.URL())
	stub := doc.Find("#comment-" + itoa(top.ID))
	if stub.Find(".comment-stub").Text() != "This comment was deleted." || stub.Find(".comment-replies .comment").Length() != 2 || strings.Contains(stub.Text(), "Top comment") {
		t.Errorf("deleted stub: %q", stub.Text())
	}
}

func TestLanguageAndPages(t *testing.T) {
	app := newApp(t, nil)
	rd := newReader(t, app)
	var me struct{ Lang string }
	req := func(h map[string]string) string {
		r, _ := http.NewRequest("GET", app.URL+"/api/v1/me", nil)
		for k, v := range h {
			r.Header.Set(k, v)
		}
		res, err := rd.c.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		_ = jsonUnmarshal(b, &me)
		return me.Lang
	}
	if got := req(map[string]string{"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}); got != "ko" {
		t.Errorf("Korean browser: lang %q", got)
	}
	if got := req(map[string]string{"Accept-Language": "fr-FR"}); got != "en" {
		t.Errorf("French browser: lang %q", got)
	}
	if got := req(map[string]string{"Accept-Language": "ko", "Cookie": "byline_lang=en"}); got != "en" {
		t.Errorf("switch cookie: lang %q, want en", got)
	}
	res, doc := page(t, app, "/comments/policy")
	if res.StatusCode != 200 || doc.Find("#clause-2 h2").Text() != "Clause 2. Be civil" || doc.Find(".policy-history li").Length() != 1 {
		t.Errorf("policy page: %d clause 2 %q", res.StatusCode, doc.Find("#clause-2 h2").Text())
	}
	if res, _ := page(t, app, "/comments/policy?version=9"); res.StatusCode != 404 {
		t.Errorf("unknown policy version: %d", res.StatusCode)
	}
	res, doc = page(t, app, "/comments/help")
	if res.StatusCode != 200 || doc.Find("h1").Text() != "Social comment?" {
		t.Errorf("help page: %d %q", res.StatusCode, doc.Find("h1").Text())
	}
	res, _ = page(t, app, "/comments/lang?set=ko&return=//evil.example")
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("lang switch redirect = %q, want /", loc)
	}
}

func TestDeleteAccount(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	kim, lee := newReader(t, app), newReader(t, app)
	kim.devLogin("Kim", a.URL())
	lee.devLogin("Lee", a.URL())
	answered, _, _ := kim.post(a.ID, "Answered words", nil)
	alone, _, _ := kim.post(a.ID, "Lonely words", nil)
	lee.post(a.ID, "Answer", &answered.ID)
	if !strings.Contains(string(kim.get("/account")), "Lonely words") {
		t.Error("account page does not list the reader's comments")
	}
	res := kim.postForm("/account/delete", url.Values{"confirm": {"yes"}})
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("delete account: %d", res.StatusCode)
	}
	if _, err := app.Store.CommentByID(t.Context(), alone.ID); !news.IsNotFound(err) {
		t.Errorf("lonely comment still there: %v", err)
	}
	_, doc := page(t, app, a.URL())
	html, _ := doc.Find("#comments").Html()
	if strings.Contains(html, "Answered words") || strings.Contains(html, "Kim") || !strings.Contains(html, "This comment was deleted.") || !strings.Contains(html, "Answer") {
		t.Errorf("after account deletion the page shows: %s", html)
	}
	var me struct{ Reader *struct{ ID int64 } }
	kim.do("GET", "/api/v1/me", nil, &me)
	if me.Reader != nil {
		t.Error("still signed in after deleting the account")
	}
}

func TestDevLoginRefusedWithPublicHTTPS(t *testing.T) {
	_, err := config.Parse("serve", []string{"--dev-login", "--base-url", "https://news.example.com"}, func(string) string { return "" }, nil)
	if err == nil || !strings.Contains(err.Error(), "--dev-login") {
		t.Errorf("--dev-login with a public https base URL: %v, want a refusal", err)
	}
	if _, err := config.Parse("serve", []string{"--dev-login", "--base-url", "https://localhost:8443"}, func(string) string { return "" }, nil); err != nil {
		t.Errorf("--dev-login on https://localhost: %v", err)
	}
}

// TestConnectSentenceNamesProviders: the paper's sentence names Twitter
// and Facebook, so it is kept only when one of them is set up; otherwise
// the box names the providers it offers (the page script says it in
// Korean too, from data-names).
func TestConnectSentenceNamesProviders(t *testing.T) {
	for _, tc := range []struct {
		name      string
		args      []string
		want      string
		wantNames string
	}{
		{"facebook", []string{"--facebook-client-id", "1", "--facebook-client-secret", "s"}, "Log in to Twitter or Facebook account to connect", ""},
		{"x", []string{"--x-client-id", "1", "--x-client-secret", "s"}, "Log in to Twitter or Facebook account to connect", ""},
		{"google and github", []string{"--google-client-id", "1", "--google-client-secret", "s", "--github-client-id", "1", "--github-client-secret", "s"},
			"Log in with Google, GitHub or Dev login (local) to connect", "Google|GitHub|Dev login (local)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newApp(t, nil, tc.args...)
			_, doc := page(t, app, anyArticle(t, app).URL())
			el := doc.Find("#comments .comment-connect")
			if got := strings.TrimSpace(el.Text()); got != tc.want {
				t.Errorf("connect sentence = %q, want %q", got, tc.want)
			}
			if got, _ := el.Attr("data-names"); got != tc.wantNames {
				t.Errorf("data-names = %q, want %q", got, tc.wantNames)
			}
		})
	}
}
