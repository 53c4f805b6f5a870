package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
)

// koPage checks that d is a page in Korean: <html lang="ko"> with the
// masthead and footer in the site's language, its h1 want.
func koPage(t *testing.T, what string, d *goquery.Document, wantH1 string) {
	t.Helper()
	if got := d.Find("html").AttrOr("lang", ""); got != "ko" {
		t.Errorf("%s: <html lang=%q>, want ko", what, got)
	}
	for _, sel := range []string{"header.masthead", "footer.site-footer"} {
		if got := d.Find(sel).AttrOr("lang", ""); got != "en" {
			t.Errorf("%s: %s lang=%q, want en (the site's own words)", what, sel, got)
		}
	}
	if got := strings.TrimSpace(d.Find("h1").First().Text()); got != wantH1 {
		t.Errorf("%s: h1 %q, want %q", what, got, wantH1)
	}
}

func docOf(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	d, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSignInStaysKorean: a reader with no language cookie (and an
// English browser) opens an article by a ?lang=ko link, without script,
// and signs in from the Korean box: every page of the round trip on our
// side (the dev provider's name form, its refusal of an empty name) is
// Korean, marked lang="ko", and the reader comes back to the Korean box;
// the language is kept (the cookie), so My account, help and policy are
// Korean afterwards without ?lang. English readers see none of it.
// (Before: the name form and the pages after were English.)
func TestSignInStaysKorean(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	get := func(path string) (*http.Response, *goquery.Document) {
		t.Helper()
		req, _ := http.NewRequest("GET", path, nil)
		if !strings.HasPrefix(path, "http") {
			req, _ = http.NewRequest("GET", app.URL+path, nil)
		}
		req.Header.Set("Accept-Language", "en-US,en;q=0.9")
		res, err := rd.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res, docOf(t, res)
	}

	_, d := get(a.URL() + "?lang=ko")
	link, ok := d.Find(`#comments .comment-providers a[data-provider=dev]`).Attr("href")
	if !ok {
		t.Fatal("no dev sign-in link in the Korean box")
	}
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("lang") != "ko" || u.Query().Get("return") != a.URL()+"?lang=ko#comments" {
		t.Errorf("Korean box's sign-in link %q: want lang=ko and the return to the Korean box", link)
	}

	// The provider's round trip ends on our name form: Korean.
	res, d := get(link)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-in from the Korean box: status %d", res.StatusCode)
	}
	koPage(t, "dev name form", d, "개발용 로그인: 표시 이름을 정하세요")
	if got := d.Find("title").Text(); !strings.HasPrefix(got, "개발용 로그인 |") {
		t.Errorf("dev name form title %q, want it Korean", got)
	}
	if got := strings.TrimSpace(d.Find(".dev-login-form button").Text()); got != "로그인" {
		t.Errorf("dev name form button %q, want 로그인", got)
	}
	token := d.Find(`.dev-login-form input[name=token]`).AttrOr("value", "")

	// A name of spaces only is refused, in Korean, and the form stays.
	res = rd.postForm("/auth/dev/finish", url.Values{"token": {token}, "name": {"   "}})
	d = docOf(t, res)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("blank name: status %d, want 400", res.StatusCode)
	}
	koPage(t, "blank name", d, "개발용 로그인: 표시 이름을 정하세요")
	if got := strings.TrimSpace(d.Find("#dev-name-err").Text()); got != "표시 이름을 정해 주세요." {
		t.Errorf("blank name error %q, want it in Korean", got)
	}

	// The name: back to the article, in Korean.
	res = rd.postForm("/auth/dev/finish", url.Values{"token": {token}, "name": {"서연"}})
	d = docOf(t, res)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != a.URL() || res.Request.URL.Query().Get("lang") != "ko" {
		t.Errorf("after signing in: %d at %s, want the article with ?lang=ko", res.StatusCode, res.Request.URL)
	}
	if got := d.Find("#comments").AttrOr("lang", ""); got != "ko" {
		t.Errorf("box after signing in: lang=%q, want ko", got)
	}

	// The language stays without ?lang: the account page, then pages it links.
	_, d = get("/account")
	koPage(t, "account", d, "내 계정")
	if !strings.Contains(d.Find(".comments-page").Text(), "서연") {
		t.Error("account page: not signed in as 서연")
	}
	if got := strings.TrimSpace(d.Find(`form[action="/auth/logout"] button`).Text()); got != "로그아웃" {
		t.Errorf("account page log out %q", got)
	}
	_, d = get("/comments/help")
	koPage(t, "help", d, "소셜 댓글이란?")
	_, d = get("/comments/policy")
	koPage(t, "policy", d, "기사윤리위원회 규정")

	// An English reader of the same article is not touched.
	en := newReader(t, app)
	res, err = en.c.Get(app.URL + a.URL())
	if err != nil {
		t.Fatal(err)
	}
	d = docOf(t, res)
	if link := d.Find(`#comments .comment-providers a[data-provider=dev]`).AttrOr("href", ""); strings.Contains(link, "lang") {
		t.Errorf("English box's sign-in link %q names a language", link)
	}
	res, err = en.c.Get(app.URL + "/auth/dev/start?return=/")
	if err != nil {
		t.Fatal(err)
	}
	d = docOf(t, res)
	if got := d.Find("html").AttrOr("lang", ""); got != "en" || d.Find("header.masthead[lang]").Length() != 0 || strings.TrimSpace(d.Find("h1").Text()) != "Dev login: choose a display name" {
		t.Errorf("English name form: html lang=%q, h1 %q", got, d.Find("h1").Text())
	}
	for _, c := range res.Cookies() {
		if c.Name == "byline_lang" {
			t.Errorf("an English sign-in without ?lang set the language cookie to %q", c.Value)
		}
	}
}

// TestPagesHonourLangKo: each reader page that has a Korean version,
// opened by a ?lang=ko link with no cookie, is Korean and marked so, and
// the next page (without ?lang) is too; an unknown sign-in provider's
// error page as well.
func TestPagesHonourLangKo(t *testing.T) {
	app := newApp(t, func(s *news.CommentSettings) { s.PublicHistory = true })
	a := anyArticle(t, app)
	w := newReader(t, app)
	w.devLogin("Writer", a.URL()).Body.Close()
	if _, e, status := w.post(a.ID, "A first comment", nil); status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	v := struct {
		Reader struct{ ID int64 } `json:"reader"`
	}{}
	if st := w.do("GET", "/api/v1/me", nil, &v); st != 200 || v.Reader.ID == 0 {
		t.Fatalf("me: %d %+v", st, v)
	}
	for _, p := range []struct {
		path   string
		status int
		h1     string
	}{
		{"/comments/help?lang=ko", 200, "소셜 댓글이란?"},
		{"/comments/policy?lang=ko", 200, "기사윤리위원회 규정"},
		{"/account?lang=ko", 200, "내 계정"},
		{"/comments/readers/" + itoa(v.Reader.ID) + "?lang=ko", 200, "Writer"},
		{"/auth/nowhere/start?lang=ko", 404, "로그인하지 못했습니다"},
		{"/auth/dev/start?lang=ko&return=/", 200, "개발용 로그인: 표시 이름을 정하세요"},
	} {
		rd := newReader(t, app)
		res, err := rd.c.Get(app.URL + p.path)
		if err != nil {
			t.Fatal(err)
		}
		d := docOf(t, res)
		if res.StatusCode != p.status {
			t.Errorf("%s: status %d, want %d", p.path, res.StatusCode, p.status)
		}
		koPage(t, p.path, d, p.h1)
		// The next page, without ?lang.
		res, err = rd.c.Get(app.URL + "/comments/help")
		if err != nil {
			t.Fatal(err)
		}
		koPage(t, p.path+", then /comments/help", docOf(t, res), "소셜 댓글이란?")
	}
}
