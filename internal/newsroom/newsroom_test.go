package newsroom_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"byline/internal/auth"
	"byline/internal/news"
)

func TestLoginAndLogout(t *testing.T) {
	h := newHarness(t)
	h.user(t, "ed@example.com", news.RoleEditor)
	b := h.client()
	res, _ := b.get(t, "/admin/articles")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login?next=") {
		t.Fatalf("signed-out GET: %d %q, want a redirect to the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	res, doc := b.post(t, "/admin/login", url.Values{"email": {"ed@example.com"}, "password": {"wrong password"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(doc.Find(".form-error").Text(), "wrong e-mail address or password") {
		t.Fatalf("wrong password: status %d, error %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	res, _ = b.post(t, "/admin/login", url.Values{"email": {"nobody@example.com"}, "password": {password}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown account: status %d, want 401", res.StatusCode)
	}
	// A cookie planted before sign-in is replaced (session fixation).
	u, _ := url.Parse(h.URL + "/admin/")
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: "planted", Path: "/admin"}})
	res, _ = b.post(t, "/admin/login", url.Values{"email": {"ED@example.com"}, "password": {password}, "next": {"/admin/articles"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/articles" {
		t.Fatalf("login: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == auth.CookieName {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin" || c.Value == "planted" || len(c.Value) < 40 {
		t.Fatalf("session cookie %+v, want a new HttpOnly SameSite=Lax cookie on /admin", c)
	}
	// An open redirect through next= is refused.
	b2 := h.client()
	res, _ = b2.post(t, "/admin/login", url.Values{"email": {"ed@example.com"}, "password": {password}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/admin/" {
		t.Errorf("next=//evil.example: redirected to %q, want /admin/", loc)
	}
	res, doc = b.get(t, "/admin/")
	if res.StatusCode != http.StatusOK || doc.Find("h1").Text() != "Dashboard" {
		t.Fatalf("dashboard: %d %q", res.StatusCode, doc.Find("h1").Text())
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("admin page Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
	}
	res, _ = b.post(t, "/admin/logout", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res, _ = b.get(t, "/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d, want a redirect to sign in", res.StatusCode)
	}
}

func TestLoginThrottling(t *testing.T) {
	h := newHarness(t)
	h.user(t, "ed@example.com", news.RoleEditor)
	b := h.client()
	for i := 0; i < 5; i++ {
		if res, _ := b.post(t, "/admin/login", url.Values{"email": {"ed@example.com"}, "password": {"guess " + itoa(int64(i))}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i, res.StatusCode)
		}
	}
	res, doc := b.post(t, "/admin/login", url.Values{"email": {"ed@example.com"}, "password": {password}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(doc.Find(".form-error").Text(), "too many") {
		t.Fatalf("after 5 failures the right password got %d %q, want 429", res.StatusCode, doc.Find(".form-error").Text())
	}
	h.clk.Add(16 * time.Minute)
	if res := b.login(t, "ed@example.com", password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the window: %d, want a successful sign-in", res.StatusCode)
	}
	// Per address: many accounts guessed from one address.
	h.user(t, "other@example.com", news.RoleEditor)
	for i := 0; i < 30; i++ {
		b.post(t, "/admin/login", url.Values{"email": {"guess" + itoa(int64(i)) + "@example.com"}, "password": {"x"}})
	}
	if res, _ := b.post(t, "/admin/login", url.Values{"email": {"other@example.com"}, "password": {password}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after 30 failures from one address: %d, want 429", res.StatusCode)
	}
}

func TestSessionExpiryAndLogoutEverywhere(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ed@example.com", news.RoleEditor)
	h.clk.Add(11 * time.Hour)
	if res, _ := b.get(t, "/admin/"); res.StatusCode != http.StatusOK {
		t.Fatalf("after 11 h: %d, want still signed in", res.StatusCode)
	}
	h.clk.Add(12*time.Hour + time.Minute)
	if res, _ := b.get(t, "/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 12 h idle: %d, want the session expired", res.StatusCode)
	}
	// Absolute expiry: active every 10 h, still out after 7 days.
	b.login(t, "ed@example.com", password)
	for i := 0; i < 16; i++ {
		h.clk.Add(10 * time.Hour)
		if res, _ := b.get(t, "/admin/"); res.StatusCode != http.StatusOK {
			t.Fatalf("active session refused after %d h", (i+1)*10)
		}
	}
	h.clk.Add(10 * time.Hour) // 170 h > 7 days
	if res, _ := b.get(t, "/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Fatal("session older than 7 days still accepted")
	}
	// An expired session cannot post either.
	if res, _ := b.post(t, "/admin/articles", h.articleForm("Late", "x")); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST with expired session: %d, want 401", res.StatusCode)
	}
	// Log out everywhere ends the other browser's session too.
	b.login(t, "ed@example.com", password)
	other := h.client()
	other.login(t, "ed@example.com", password)
	if res, _ := other.get(t, "/admin/"); res.StatusCode != http.StatusOK {
		t.Fatal("second browser not signed in")
	}
	if res, _ := b.post(t, "/admin/logout-everywhere", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatal("logout everywhere failed")
	}
	if res, _ := other.get(t, "/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Error("the other browser is still signed in after log out everywhere")
	}
}

func TestCSRFRefusedAndNothingChanged(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ed@example.com", news.RoleEditor)
	send := func(origin, fetchSite, token string) int {
		form := h.articleForm("Forged story", "x")
		form.Set("csrf", token)
		req, _ := http.NewRequest("POST", h.URL+"/admin/articles", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if fetchSite != "" {
			req.Header.Set("Sec-Fetch-Site", fetchSite)
		}
		res, _ := b.do(t, req)
		return res.StatusCode
	}
	good := b.csrf
	for _, tc := range []struct{ name, origin, site, token string }{
		{"forged origin", "https://evil.example", "", good},
		{"cross-site fetch", "", "cross-site", good},
		{"missing token", h.URL, "same-origin", "-"},
		{"wrong token", h.URL, "same-origin", "not-the-token"},
	} {
		tok := tc.token
		if tok == "-" {
			tok = ""
		}
		if got := send(tc.origin, tc.site, tok); got != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, got)
		}
	}
	if n, _ := h.st.CountArticles(ctx); n != 0 {
		t.Fatalf("%d articles exist after refused requests, want 0", n)
	}
	if got := send(h.URL, "same-origin", good); got != http.StatusSeeOther {
		t.Errorf("genuine request: %d, want 303", got)
	}
}

func TestContributorCannotPublish(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "con@example.com", news.RoleContributor)
	if res, _ := b.post(t, "/admin/articles", h.articleForm("My first story", "Body.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contributor create: %d", res.StatusCode)
	}
	a := h.lastArticle(t)
	form := h.articleForm("My first story, published?", "Body.")
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "publish")
	res, doc := b.post(t, "/admin/articles/"+itoa(a.ID), form)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("contributor publish: %d %q, want 403", res.StatusCode, doc.Find(".error-message").Text())
	}
	got, _ := h.st.ArticleByID(ctx, a.ID)
	if got.Status != news.StatusDraft || got.Headline != "My first story" {
		t.Errorf("after refused publish: %s %q, want unchanged draft", got.Status, got.Headline)
	}
	if res, _ := b.get(t, "/admin/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor on /admin/users: %d, want 403", res.StatusCode)
	}
	form.Set("action", "submit")
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contributor submit: %d", res.StatusCode)
	}
	if got, _ := h.st.ArticleByID(ctx, a.ID); got.Status != news.StatusReview {
		t.Errorf("status %s, want review", got.Status)
	}
}

func TestInjectionEscapedOnReaderPage(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ed@example.com", news.RoleEditor)
	evil := `<script>alert(1)</script>"><img src=x onerror=alert(2)>`
	form := h.articleForm("Headline "+evil, "Body "+evil+"\n\n[link](javascript:alert(3)) <iframe src=//evil></iframe>")
	for _, f := range []string{"dek", "dateline", "image_alt", "image_caption", "image_credit", "seo_title", "seo_description"} {
		form.Set(f, f+" "+evil)
	}
	form.Set("dateline", "SEOUL "+`<b onmouseover=x>`)
	form.Set("tags", "tag <script>x</script>, other\" onclick=\"y")
	form.Set("image_url", "/media/x.jpg")
	if res, _ := b.post(t, "/admin/articles", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	a := h.lastArticle(t)
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "publish")
	if res, doc := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, doc.Find(".form-error,.error-message").Text())
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	for _, path := range []string{a.URL(), "/", "/admin/articles/" + itoa(a.ID)} {
		br := b
		res, doc := br.get(t, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			src, _ := s.Attr("src")
			typ, _ := s.Attr("type")
			if src == "" && typ != "application/ld+json" {
				t.Errorf("%s: inline script %q", path, s.Text())
			}
			if typ == "application/ld+json" && strings.Contains(s.Text(), "</script") {
				t.Errorf("%s: JSON-LD breaks out: %q", path, s.Text())
			}
		})
		doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, at := range s.Nodes[0].Attr {
				if strings.HasPrefix(at.Key, "on") {
					t.Errorf("%s: <%s %s=%q> event handler from input", path, goquery.NodeName(s), at.Key, at.Val)
				}
				if (at.Key == "href" || at.Key == "src") && strings.HasPrefix(strings.ToLower(at.Val), "javascript:") {
					t.Errorf("%s: javascript: URL in %s", path, at.Key)
				}
			}
			if n := goquery.NodeName(s); n == "iframe" && path != "/admin/articles/"+itoa(a.ID) {
				t.Errorf("%s: iframe from input", path)
			}
		})
		if path == a.URL() && !strings.Contains(doc.Find("h1").Text(), "<script>alert(1)</script>") {
			t.Errorf("headline %q, want the text shown literally", doc.Find("h1").Text())
		}
	}
	// A javascript: image URL is refused outright.
	form.Set("image_url", "javascript:alert(1)")
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "save")
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusBadRequest {
		t.Errorf("javascript: image URL: %d, want 400", res.StatusCode)
	}
}

func TestConcurrentSaveConflict(t *testing.T) {
	h := newHarness(t)
	ann, _ := h.signedIn(t, "ann@example.com", news.RoleEditor)
	bob, _ := h.signedIn(t, "bob@example.com", news.RoleEditor)
	ann.post(t, "/admin/articles", h.articleForm("Shared story", "Line one.\nLine two."))
	a := h.lastArticle(t)
	// Both open version 1.
	annForm := h.articleForm("Shared story", "Line one.\nAnn's line two.")
	annForm.Set("version", itoa(int64(a.Version)))
	bobForm := h.articleForm("Shared story", "Line one.\nBob's line two.")
	bobForm.Set("version", itoa(int64(a.Version)))
	if res, _ := ann.post(t, "/admin/articles/"+itoa(a.ID), annForm); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.StatusCode)
	}
	res, doc := bob.post(t, "/admin/articles/"+itoa(a.ID), bobForm)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save: %d, want 409", res.StatusCode)
	}
	if doc.Find("section.conflict").Length() != 1 || !strings.Contains(doc.Find(".diff-del").Text(), "Ann's line two.") ||
		!strings.Contains(doc.Find(".diff-ins").Text(), "Bob's line two.") {
		t.Errorf("conflict page lacks the diff: %q", doc.Find("section.conflict").Text())
	}
	if doc.Find(`section.conflict a[href="/admin/articles/`+itoa(a.ID)+`"]`).Length() != 1 {
		t.Error("conflict page has no way to reload the saved version")
	}
	if got := doc.Find("textarea#body").Text(); got != "Line one.\nBob's line two." {
		t.Errorf("Bob's text was not kept in the form: %q", got)
	}
	stored, _ := h.st.ArticleByID(ctx, a.ID)
	if stored.Body != "Line one.\nAnn's line two." {
		t.Errorf("stored %q, want Ann's version kept", stored.Body)
	}
	// Autosave of a stale version is a JSON 409 too.
	req, _ := http.NewRequest("POST", h.URL+"/admin/articles/"+itoa(a.ID)+"/autosave", strings.NewReader(bobForm.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", bob.csrf)
	r2, err := bob.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusConflict || !strings.HasPrefix(r2.Header.Get("Content-Type"), "application/json") {
		t.Errorf("stale autosave: %d %s, want a JSON 409", r2.StatusCode, r2.Header.Get("Content-Type"))
	}
}

func TestPreviewRevisionsCorrectionsSectionsTOTP(t *testing.T) {
	h := newHarness(t)
	b, u := h.signedIn(t, "ada@example.com", news.RoleAdmin)
	form := h.articleForm("Preview me", "Some **bold** text.")
	form.Set("dateline", "SEOUL")
	res, doc := b.post(t, "/admin/preview", form)
	if res.StatusCode != http.StatusOK || doc.Find("article.story h1").Text() != "Preview me" || doc.Find(".story-body strong").Text() != "bold" {
		t.Fatalf("preview: %d %q", res.StatusCode, doc.Find("article.story").Text())
	}
	if doc.Find(`link[rel=stylesheet][href^="/assets/site."]`).Length() == 0 {
		t.Error("preview does not use the site's stylesheet")
	}

	b.post(t, "/admin/articles", form)
	a := h.lastArticle(t)
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "publish")
	b.post(t, "/admin/articles/"+itoa(a.ID), form)
	a, _ = h.st.ArticleByID(ctx, a.ID)
	form.Set("version", itoa(int64(a.Version)))
	form.Set("headline", "Preview me again")
	form.Set("action", "save")
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save published: %d", res.StatusCode)
	}
	res, doc = b.get(t, "/admin/articles/"+itoa(a.ID)+"/revisions")
	if res.StatusCode != http.StatusOK || doc.Find("tbody tr").Length() < 2 || !strings.Contains(doc.Find(".diff-ins").Text(), "Headline: Preview me again") {
		t.Fatalf("revisions page: %d, rows %d, diff %q", res.StatusCode, doc.Find("tbody tr").Length(), doc.Find(".diff").Text())
	}
	revs, _ := h.st.ListRevisions(ctx, a.ID)
	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID)+"/revisions/"+itoa(revs[len(revs)-1].ID)+"/restore", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.StatusCode)
	}
	if got, _ := h.st.ArticleByID(ctx, a.ID); got.Headline != "Preview me" {
		t.Errorf("after restore headline %q", got.Headline)
	}

	if res, _ := b.post(t, "/admin/articles/"+itoa(a.ID)+"/corrections", url.Values{"kind": {"correction"}, "body": {"An earlier version misspelled Seoul."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d", res.StatusCode)
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	res, doc = b.get(t, a.URL())
	if !strings.Contains(doc.Find("aside.corrections").Text(), "misspelled Seoul") {
		t.Errorf("reader page lacks the correction: %d %q", res.StatusCode, doc.Find("aside.corrections").Text())
	}

	// Moving a section redirects its old URL.
	res, _ = b.post(t, "/admin/sections/"+itoa(h.fix.Politics.ID), url.Values{"name": {"Politics"}, "slug": {"politics"}, "parent_id": {"0"}, "position": {"3"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move section: %d", res.StatusCode)
	}
	res, _ = b.get(t, "/section/national/politics")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/section/politics" {
		t.Errorf("old section URL: %d %q, want 301 to /section/politics", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.get(t, "/section/politics"); res.StatusCode != http.StatusOK {
		t.Errorf("new section URL: %d", res.StatusCode)
	}

	// TOTP enrolment, then sign-in needs the code.
	_, doc = b.get(t, "/admin/account")
	secret := doc.Find("#totp-secret").Text()
	code, _ := totp.GenerateCode(secret, h.clk.Now())
	if res, _ := b.post(t, "/admin/account/totp", url.Values{"action": {"on"}, "secret": {secret}, "code": {"000000"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("wrong enrolment code: %d, want 400", res.StatusCode)
	}
	if res, _ := b.post(t, "/admin/account/totp", url.Values{"action": {"on"}, "secret": {secret}, "code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol: %d", res.StatusCode)
	}
	nb := h.client()
	res, doc = nb.post(t, "/admin/login", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusUnauthorized || doc.Find("#code[required]").Length() != 1 {
		t.Errorf("sign-in without code: %d, want 401 asking for the code", res.StatusCode)
	}
	code, _ = totp.GenerateCode(secret, h.clk.Now())
	if res, _ := nb.post(t, "/admin/login", url.Values{"email": {u.Email}, "password": {password}, "code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with code: %d, want 303", res.StatusCode)
	}
}

func TestAutosaveScheduleUsersAuthors(t *testing.T) {
	h := newHarness(t)
	b, me := h.signedIn(t, "ada@example.com", news.RoleAdmin)
	b.post(t, "/admin/articles", h.articleForm("Autosaved", "v1"))
	a := h.lastArticle(t)
	form := h.articleForm("Autosaved", "v2 typed on")
	form.Set("version", itoa(int64(a.Version)))
	req, _ := http.NewRequest("POST", h.URL+"/admin/articles/"+itoa(a.ID)+"/autosave", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var saved struct{ Version int }
	json.NewDecoder(res.Body).Decode(&saved)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || saved.Version != a.Version+1 {
		t.Fatalf("autosave: %d, version %d, want 200 and %d", res.StatusCode, saved.Version, a.Version+1)
	}
	if got, _ := h.st.ArticleByID(ctx, a.ID); got.Body != "v2 typed on" || got.Status != news.StatusDraft {
		t.Errorf("after autosave %q %s", got.Body, got.Status)
	}

	// Schedule from the form, in the paper's time zone (UTC here).
	at := h.clk.Now().Add(3 * time.Hour).Truncate(time.Minute)
	form.Set("version", itoa(int64(saved.Version)))
	form.Set("action", "schedule")
	form.Set("publish_at", at.Format("2006-01-02T15:04"))
	if res, doc := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d %s", res.StatusCode, doc.Find(".form-error").Text())
	}
	got, _ := h.st.ArticleByID(ctx, a.ID)
	if got.Status != news.StatusScheduled || !got.PublishedAt.Equal(at) {
		t.Errorf("scheduled %s at %v, want %v", got.Status, got.PublishedAt, at)
	}
	_, doc := b.get(t, "/admin/")
	if !strings.Contains(doc.Find(".dash-group").Eq(2).Text(), "Autosaved") {
		t.Errorf("dashboard's scheduled box: %q", doc.Find(".dash-group").Eq(2).Text())
	}

	// Users: create (password shown once), change role, disable.
	res, doc = b.post(t, "/admin/users", url.Values{"email": {"new@example.com"}, "name": {"New Person"}, "role": {"contributor"}})
	pw := doc.Find("#new-password").Text()
	if res.StatusCode != http.StatusOK || len(pw) < 16 {
		t.Fatalf("create user: %d, password %q", res.StatusCode, pw)
	}
	if res := h.client().login(t, "new@example.com", pw); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the shown password does not sign in: %d", res.StatusCode)
	}
	nu, _ := h.st.StaffByEmail(ctx, "new@example.com")
	b.post(t, "/admin/users/"+itoa(nu.ID), url.Values{"action": {"role"}, "role": {"editor"}})
	b.post(t, "/admin/users/"+itoa(nu.ID), url.Values{"action": {"disable"}})
	nu, _ = h.st.StaffByEmail(ctx, "new@example.com")
	if nu.Role != news.RoleEditor || !nu.Disabled {
		t.Errorf("after role change and disable: %+v", nu)
	}
	if res, _ := b.post(t, "/admin/users/"+itoa(me.ID), url.Values{"action": {"disable"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("disabling yourself: %d, want 400", res.StatusCode)
	}
	if res, _ := b.post(t, "/admin/users", url.Values{"email": {"ada@example.com"}, "name": {"Dup"}, "role": {"editor"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("duplicate user: %d, want 409", res.StatusCode)
	}

	// Authors.
	res, _ = b.post(t, "/admin/authors/new", url.Values{"name": {"Park Min-jun"}, "title": {"Reporter"}, "bio": {"Covers ports."}, "photo_url": {"/media/park.jpg"}, "photo_alt": {"Park"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create author: %d", res.StatusCode)
	}
	au, err := h.st.AuthorBySlug(ctx, "park-min-jun")
	if err != nil || au.Bio != "Covers ports." || au.Photo == nil {
		t.Errorf("author %+v (%v)", au, err)
	}
	if res, _ := b.post(t, "/admin/authors/new", url.Values{"name": {"X"}, "photo_url": {"javascript:alert(1)"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("javascript: photo URL: %d, want 400", res.StatusCode)
	}
}
