package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/render"
)

// The policy, help, account and sign-in pages follow the comment box's
// language switch (the byline_lang cookie, else Accept-Language).
func TestCommentPagesInKorean(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("민지", a.URL()).Body.Close()
	if _, e, status := rd.post(a.ID, "첫 댓글입니다", nil); status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	doc := func(path string) *goquery.Document {
		t.Helper()
		d, err := goquery.NewDocumentFromReader(strings.NewReader(string(rd.get(path))))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	text := func(d *goquery.Document, sel string) string { return strings.TrimSpace(d.Find(sel).First().Text()) }

	// The switch: the same cookie as the box's buttons, back to the page.
	d := doc("/comments/lang?set=ko&return=/comments/help")
	if got, want := text(d, "h1"), "소셜 댓글이란?"; got != want {
		t.Errorf("help h1 = %q, want %q", got, want)
	}
	if got, _ := d.Find(".comments-page").Attr("lang"); got != "ko" {
		t.Errorf("help page lang = %q, want ko", got)
	}
	main := d.Find(".comments-page").Text()
	for _, english := range []string{"What we receive and keep", "What you can do", "A comment holds at most"} {
		if strings.Contains(main, english) {
			t.Errorf("Korean help page still says %q", english)
		}
	}
	if got := text(d, "title"); !strings.HasPrefix(got, "소셜 댓글이란?") {
		t.Errorf("help title = %q", got)
	}
	back, ok := d.Find(`.lang-links a[hreflang=en]`).Attr("href")
	if !ok || !strings.Contains(back, "set=en") || !strings.Contains(back, "return=%2Fcomments%2Fhelp") {
		t.Errorf("switch back to English: %q", back)
	}
	if got := text(d, `.lang-links [aria-current=true]`); got != "한국어" {
		t.Errorf("current language shown as %q", got)
	}

	// Policy: headings, clause numbers and dates in Korean.
	d = doc("/comments/policy")
	if got, want := text(d, "h1"), "기사윤리위원회 규정"; got != want {
		t.Errorf("policy h1 = %q, want %q", got, want)
	}
	if got := text(d, "#clause-2 h2"); !strings.HasPrefix(got, "제2조 ") {
		t.Errorf("clause 2 heading = %q, want it to start with 제2조", got)
	}
	if got, want := text(d, "#history-h"), "규정 변경 이력"; got != want {
		t.Errorf("history heading = %q, want %q", got, want)
	}
	versions, err := app.Store.PolicyVersions(t.Context())
	if err != nil || len(versions) != 1 {
		t.Fatalf("policy versions: %d, %v", len(versions), err)
	}
	if got, want := text(d, ".policy-version time"), render.DateTime(versions[0].CreatedAt, app.Config.Location, "ko"); got != want {
		t.Errorf("policy date = %q, want %q", got, want)
	}

	// Account: the reader's page and the state of their comment.
	d = doc("/account")
	if got, want := text(d, "h1"), "내 계정"; got != want {
		t.Errorf("account h1 = %q, want %q", got, want)
	}
	if got, want := text(d, ".account-comment .comment-state"), "게시됨"; got != want {
		t.Errorf("comment state = %q, want %q", got, want)
	}
	if got, want := text(d, `form[action="/auth/logout"] button`), "로그아웃"; got != want {
		t.Errorf("log out button = %q, want %q", got, want)
	}
	if strings.Contains(d.Find(".comments-page").Text(), "Delete my account") {
		t.Error("Korean account page still says \"Delete my account\"")
	}

	// Messages: deleting without the tick, in Korean.
	res := rd.postForm("/account/delete", nil)
	md, _ := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest || text(md, "h1") != "확인해 주세요" {
		t.Errorf("unconfirmed delete: %d %q", res.StatusCode, text(md, "h1"))
	}
	if href, _ := md.Find(`.lang-links a[hreflang=en]`).Attr("href"); !strings.Contains(href, "return=%2Faccount") {
		t.Errorf("switch on a form's answer returns to %q, want /account", href)
	}

	// Sign-in pages for a Korean browser without the cookie.
	jar, _ := cookiejar.New(nil)
	koClient := &http.Client{Jar: jar, Transport: acceptKorean{}}
	ko := func(path string) (*http.Response, *goquery.Document) {
		t.Helper()
		req, _ := http.NewRequest("GET", app.URL+path, nil)
		req.Header.Set("Accept-Language", "ko-KR,ko;q=0.9")
		res, err := koClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		d, _ := goquery.NewDocumentFromReader(res.Body)
		return res, d
	}
	res, d = ko("/auth/dev/start?return=/")
	if res.StatusCode != 200 || !strings.HasPrefix(text(d, "h1"), "개발용 로그인") || text(d, `label[for=dev-name]`) != "표시 이름" || text(d, `.dev-login-form button`) != "로그인" {
		t.Errorf("Korean dev sign-in: %d h1 %q label %q", res.StatusCode, text(d, "h1"), text(d, `label[for=dev-name]`))
	}
	res, d = ko("/auth/nowhere/start")
	if res.StatusCode != http.StatusNotFound || text(d, "h1") != "로그인하지 못했습니다" || !strings.Contains(d.Find(".comments-page p").First().Text(), "이 로그인 방식") {
		t.Errorf("Korean sign-in error: %d %q %q", res.StatusCode, text(d, "h1"), d.Find(".comments-page p").First().Text())
	}

	// English stays English.
	res, d = app.Get(t, "/comments/help")
	if res.StatusCode != 200 || text(d, "h1") != "Social comment?" || !strings.Contains(d.Find(".comments-page").Text(), "What we receive and keep") {
		t.Errorf("English help: %d %q", res.StatusCode, text(d, "h1"))
	}
}

// acceptKorean sends every request, redirects too, as a Korean browser.
type acceptKorean struct{}

func (acceptKorean) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept-Language", "ko-KR,ko;q=0.9")
	return http.DefaultTransport.RoundTrip(r)
}
