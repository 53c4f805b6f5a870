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
	if got := strings.Join(strings.Fields(d.Find(".comments-page > p").First().Text()), " "); !strings.Contains(got, "로그인 서비스: Dev login (local),") {
		t.Errorf("account page names the sign-in %q, want its label (Dev login (local))", got)
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

// TestErrorPagesInKorean: a refusal on the comment pages (a broken link,
// a missing commenter, an appeal with nothing to appeal) is answered in
// Korean for a Korean reader: headings, message, search box, marked
// lang="ko"; in English the domain's message reads as a sentence.
// (Before: these pages were English, their message in lower case.)
func TestErrorPagesInKorean(t *testing.T) {
	app := newApp(t, func(s *news.CommentSettings) { s.PublicHistory = true })
	a := anyArticle(t, app)
	check := func(what string, res *http.Response, status int, h1, msg, msgLang string) {
		t.Helper()
		d := docOf(t, res)
		if res.StatusCode != status {
			t.Errorf("%s: status %d, want %d", what, res.StatusCode, status)
		}
		p := d.Find(".error-page > p").First()
		if got := strings.TrimSpace(d.Find("h1").Text()); got != h1 {
			t.Errorf("%s: h1 %q, want %q", what, got, h1)
		}
		if got := strings.TrimSpace(p.Text()); got != msg {
			t.Errorf("%s: message %q, want %q", what, got, msg)
		}
		if got := p.AttrOr("lang", ""); got != msgLang {
			t.Errorf("%s: message lang=%q, want %q", what, got, msgLang)
		}
		want := "en"
		if strings.ContainsFunc(h1, func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }) {
			want = "ko"
		}
		if got := d.Find("html").AttrOr("lang", ""); got != want {
			t.Errorf("%s: html lang=%q, want %q", what, got, want)
		}
		if want == "ko" && strings.TrimSpace(d.Find(`label[for=err-q]`).Text()) != "신문 검색" {
			t.Errorf("%s: search label %q", what, d.Find(`label[for=err-q]`).Text())
		}
	}
	ko := newReader(t, app)
	get := func(rd *reader, path string) *http.Response {
		t.Helper()
		res, err := rd.c.Get(app.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	check("missing commenter", get(ko, "/comments/readers/9999?lang=ko"), 404, "페이지를 찾을 수 없습니다", "페이지를 찾지 못했습니다. 옮겨졌거나 주소가 잘못되었을 수 있습니다.", "")
	check("broken confirmation link", get(ko, "/account/email/confirm?t=broken"), 400, "요청을 처리할 수 없습니다",
		"올바른 링크가 아닙니다. 링크의 일부가 빠졌거나 오래된 링크일 수 있습니다.", "")
	check("missing policy version", get(ko, "/comments/policy?version=99"), 404, "페이지를 찾을 수 없습니다", "페이지를 찾지 못했습니다. 옮겨졌거나 주소가 잘못되었을 수 있습니다.", "")

	// A signed-in Korean reader appeals a comment no one decided on.
	ko.devLogin("서연", a.URL()).Body.Close()
	c, e, status := ko.post(a.ID, "결정이 없는 댓글", nil)
	if status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	res := ko.postForm("/account/appeal", url.Values{"comment_id": {itoa(c.ID)}, "reason": {"왜 안 되나요"}})
	d := docOf(t, res)
	if res.StatusCode != http.StatusConflict || strings.TrimSpace(d.Find(".error-page > p").First().Text()) != "이 댓글에는 이의를 신청할 결정이 없습니다." || d.Find("html").AttrOr("lang", "") != "ko" {
		t.Errorf("appeal without a decision: %d %q (html lang %q)", res.StatusCode, d.Find(".error-page > p").First().Text(), d.Find("html").AttrOr("lang", ""))
	}

	// English: the same refusal as a sentence.
	en := newReader(t, app)
	check("broken link in English", get(en, "/account/email/confirm?t=broken"), 400, "That request did not make sense to us",
		"This link is not valid; it may be incomplete or out of date.", "")
}

// TestAccountDecisionWords: on My account, a removed comment, its
// statement of reasons and a ban name the clause as a reader reads it in
// each language ("Removed under clause 2", "삭제됨, 적용 조항: 제2조",
// "(제2조, 규정 판 1; …"), and the moderator's facts, written in the
// site's language, are marked so on the Korean page.
// (Before: "Removed under clause2", "제2" without 조, "under clause2of".)
func TestAccountDecisionWords(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("민지", a.URL()).Body.Close()
	c, e, status := rd.post(a.ID, "판결이 너무 가혹하다고 생각합니다", nil)
	if status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	var me struct {
		Reader struct{ ID int64 } `json:"reader"`
	}
	if st := rd.do("GET", "/api/v1/me", nil, &me); st != 200 || me.Reader.ID == 0 {
		t.Fatalf("me: %d %+v", st, me)
	}
	mod := signInStaff(t, app, "desk@example.com", news.RoleEditor)
	if res, _ := mod.send("POST", "/admin/comments/bulk", url.Values{"id": {itoa(c.ID)}, "action": {"remove"}, "clause": {"2"}}); res.StatusCode >= 400 {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if res, _ := mod.send("POST", "/admin/comments/readers/"+itoa(me.Reader.ID)+"/ban", url.Values{"kind": {"ban"}, "days": {"3"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ban: %d", res.StatusCode)
	}
	text := func(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
	for _, c := range []struct{ lang, state, reason, ban string }{
		{"en", "Removed under clause 2", "(clause 2, policy version 1;", "(under clause 2 of the Standards Board Policy)."},
		{"ko", "삭제됨, 적용 조항: 제2조", "(제2조, 규정 판 1;", "(적용 조항: 제2조 (기사윤리위원회 규정))."},
	} {
		d := docOf(t, func() *http.Response {
			res, err := rd.c.Get(app.URL + "/account?lang=" + c.lang)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}())
		if got := text(d.Find(".account-comment .comment-state")); got != c.state {
			t.Errorf("%s: state %q, want %q", c.lang, got, c.state)
		}
		reason := d.Find(".account-comment .comment-reason p").First()
		if got := text(reason); !strings.Contains(got, c.reason) {
			t.Errorf("%s: reasons %q, want them to contain %q", c.lang, got, c.reason)
		}
		if got := reason.Find("span[lang]").AttrOr("lang", ""); got != "en" || text(reason.Find("span[lang]")) == "" {
			t.Errorf("%s: the moderator's facts are marked lang=%q, want en", c.lang, got)
		}
		if got := text(d.Find("#ban .comment-warning")); !strings.HasSuffix(got, c.ban) {
			t.Errorf("%s: ban %q, want it to end %q", c.lang, got, c.ban)
		}
	}
}
