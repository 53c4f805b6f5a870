package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/render"
)

// TestCommentBoxKoreanWithoutScript: with plain HTTP (no script), the
// comment box has a real language switch: the 한국어 link sets the
// language cookie and comes back to the article with ?lang=ko, where the
// server draws the box in Korean, marked lang="ko", its help and policy
// links in Korean too; English comes back the same way. Other values
// of ?lang change nothing. (Before: only comments.js switched.)
func TestCommentBoxKoreanWithoutScript(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("민지", a.URL()).Body.Close()
	if _, e, status := rd.post(a.ID, "첫 댓글입니다", nil); status != 201 {
		t.Fatalf("post: %d %+v", status, e)
	}
	anon := newReader(t, app) // no script, no cookie yet
	doc := func(path string) *goquery.Document {
		t.Helper()
		d, err := goquery.NewDocumentFromReader(strings.NewReader(string(anon.get(path))))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	text := func(d *goquery.Document, sel string) string {
		return strings.Join(strings.Fields(d.Find(sel).First().Text()), " ")
	}

	d := doc(a.URL())
	if lang, ok := d.Find("#comments").Attr("lang"); ok {
		t.Errorf("English box: lang=%q, want none (the page's own)", lang)
	}
	if got := text(d, "#comments h2 [data-i18n=title]"); got != "Comments" {
		t.Errorf("English box title %q", got)
	}
	ko, ok := d.Find(`#comments [data-langlinks] a[hreflang=ko]`).Attr("href")
	if !ok {
		t.Fatal("no 한국어 link in the box (the switch is script-only)")
	}
	if _, hidden := d.Find(`#comments [data-langlinks]`).Attr("hidden"); hidden {
		t.Error("the box's language links are hidden without script")
	}

	// Follow it as a browser without script would.
	d = doc(ko)
	box := d.Find("#comments")
	if lang, _ := box.Attr("lang"); lang != "ko" {
		t.Errorf("after 한국어: box lang=%q, want ko", lang)
	}
	for sel, want := range map[string]string{
		"h2 [data-i18n=title]":             "댓글",
		"[data-i18n=lock]":                 "댓글을 쓰려면 계정 중 하나로 로그인해 주세요",
		"label[for=comment-body]":          "댓글 입력",
		"[data-i18n=help]":                 "소셜 댓글이란?",
		"[data-i18n=policy]":               "기사윤리위원회 규정",
		"[data-submit]":                    "등록",
		".comment [data-i18n=recommended]": "추천",
		"[data-langlinks] [aria-current]":  "한국어",
		"[data-langlinks] a[hreflang=en]":  "English",
	} {
		if got := text(d, "#comments "+sel); got != want {
			t.Errorf("Korean box %s = %q, want %q", sel, got, want)
		}
	}
	if got := d.Find(`#comments [data-langlinks] a[hreflang=en]`).AttrOr("lang", ""); got != "en" {
		t.Errorf("English link lang=%q, want en", got)
	}
	if got := text(d, "#comments [data-i18n=connectWith], #comments [data-i18n=connect]"); !strings.Contains(got, "계정으로 로그인해 연결하세요") {
		t.Errorf("Korean box connect line %q", got)
	}
	help := d.Find("#comments [data-i18n=help]").AttrOr("href", "")
	if hd := doc(help); text(hd, "h1") != "소셜 댓글이란?" {
		t.Errorf("help from the Korean box (%s): h1 %q, want Korean", help, text(hd, "h1"))
	}
	// The cookie is set too: the help page is Korean without ?lang.
	if hd := doc("/comments/help"); text(hd, "h1") != "소셜 댓글이란?" {
		t.Errorf("help after choosing 한국어: h1 %q, want Korean (the cookie)", text(hd, "h1"))
	}
	// ?lang=ko alone works on the comment pages (a link shared with no cookie).
	fresh, err := goquery.NewDocumentFromReader(strings.NewReader(string(newReader(t, app).get("/comments/policy?lang=ko"))))
	if err != nil {
		t.Fatal(err)
	}
	if hd := fresh; text(hd, "h1") != "기사윤리위원회 규정" {
		t.Errorf("/comments/policy?lang=ko without a cookie: h1 %q", text(hd, "h1"))
	}

	// Back to English: the link sets the cookie and returns without ?lang.
	en := d.Find(`#comments [data-langlinks] a[hreflang=en]`).AttrOr("href", "")
	d = doc(en)
	if lang, ok := d.Find("#comments").Attr("lang"); ok || text(d, "#comments h2 [data-i18n=title]") != "Comments" {
		t.Errorf("after English: box lang=%q (%v), title %q", lang, ok, text(d, "#comments h2 [data-i18n=title]"))
	}
	if hd := doc("/comments/help"); text(hd, "h1") == "소셜 댓글이란?" {
		t.Error("help after choosing English is still Korean")
	}
	// Anything else is the page as it is.
	if d := doc(a.URL() + "?lang=xx"); text(d, "#comments h2 [data-i18n=title]") != "Comments" {
		t.Errorf("?lang=xx: title %q", text(d, "#comments h2 [data-i18n=title]"))
	}
}

// TestBoxDrawnInItsLanguage: without script, the server draws the Korean
// box (?lang=ko) the way comments.js does once it runs: times in the
// Korean format in the paper's zone, the counter as "(0/250자)", the
// placeholder, "replying to" and the parts script shows (signed in,
// cancel, sort) in Korean; the English box in English.
// (Before: the Korean box had English times and "0/250".)
func TestBoxDrawnInItsLanguage(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	postThread(t, app, a)
	for _, c := range []struct {
		lang, path string
		want       map[string]string
	}{
		{"en", a.URL(), map[string]string{
			"[data-counter]": "0/250", "[data-i18n=loggedAs]": "Logged in as", "[data-i18n=logout]": "Log out",
			"[data-i18n=cancel]": "Cancel", "[data-i18n=newest]": "Newest", "[data-i18n=top]": "Most recommended",
			".comment-reply-to": "replying to @민지",
		}},
		{"ko", a.URL() + "?lang=ko", map[string]string{
			"[data-counter]": "(0/250자)", "[data-i18n=loggedAs]": "로그인:", "[data-i18n=account]": "내 계정", "[data-i18n=logout]": "로그아웃",
			"[data-i18n=cancel]": "취소", "[data-i18n=newest]": "최신순", "[data-i18n=oldest]": "오래된순", "[data-i18n=top]": "추천순",
			".comment-reply-to": "@민지님에게 답글",
		}},
	} {
		res, d := page(t, app, c.path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", c.path, res.StatusCode)
		}
		box := d.Find("#comments")
		for sel, want := range c.want {
			if got := strings.TrimSpace(box.Find(sel).First().Text()); got != want {
				t.Errorf("%s box %s = %q, want %q", c.lang, sel, got, want)
			}
		}
		if got := box.Find(".comment-reply-to").AttrOr("data-name", ""); got != "민지" {
			t.Errorf("%s box: replying-to data-name %q, want 민지", c.lang, got)
		}
		wantPH := map[string]string{"en": "Share your view (at most 250 characters)", "ko": "의견을 남겨 주세요 (최대 250자)"}[c.lang]
		if got := box.Find("#comment-body").AttrOr("placeholder", ""); got != wantPH {
			t.Errorf("%s box placeholder %q, want %q", c.lang, got, wantPH)
		}
		wantSort := map[string]string{"en": "Sort comments", "ko": "댓글 정렬"}[c.lang]
		if got := box.Find("[data-sort]").AttrOr("aria-label", ""); got != wantSort {
			t.Errorf("%s box sort label %q, want %q", c.lang, got, wantSort)
		}
		times := box.Find(".comment-meta time")
		if times.Length() != 2 {
			t.Fatalf("%s box: %d comment times, want 2", c.lang, times.Length())
		}
		times.Each(func(_ int, s *goquery.Selection) {
			at, err := time.Parse(time.RFC3339, s.AttrOr("datetime", ""))
			if err != nil {
				t.Fatalf("%s box: time %q: %v", c.lang, s.AttrOr("datetime", ""), err)
			}
			if want := render.DateTime(at, app.Config.Location, c.lang); s.Text() != want {
				t.Errorf("%s box: time %q, want %q (the script's format, the paper's zone)", c.lang, s.Text(), want)
			}
		})
	}
}
