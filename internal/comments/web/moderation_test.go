package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/testutil"
)

const staffPassword = "correct horse battery staple"

type staff struct {
	t    testing.TB
	app  *testutil.App
	c    *http.Client
	csrf string
}

func signInStaff(t testing.TB, app *testutil.App, email string, role news.Role) *staff {
	t.Helper()
	if _, err := auth.CreateUser(context.Background(), app.Store, email, "Staff "+string(role), role, staffPassword); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	s := &staff{t: t, app: app, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, _ := s.send("POST", "/admin/login", url.Values{"email": {email}, "password": {staffPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff login: %d", res.StatusCode)
	}
	s.send("GET", "/admin/comments", nil)
	return s
}

func (s *staff) send(method, path string, form url.Values) (*http.Response, *goquery.Document) {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		if form.Get("csrf") == "" && s.csrf != "" {
			form.Set("csrf", s.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, s.app.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Origin", s.app.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	if v, ok := doc.Find(`input[name=csrf]`).First().Attr("value"); ok && v != "" {
		s.csrf = v
	}
	return res, doc
}

func TestModeration(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd, other := newReader(t, app), newReader(t, app)
	rd.devLogin("Writer", a.URL())
	other.devLogin("Other", a.URL())
	c, _, _ := rd.post(a.ID, "A comment to hide", nil)

	// Readers and contributors have no access.
	if res, _ := newReaderStaffless(t, app).send("GET", "/admin/comments", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous /admin/comments: %d, want a redirect to sign in", res.StatusCode)
	}
	contrib := signInStaff(t, app, "writer@example.com", news.RoleContributor)
	if res, _ := contrib.send("GET", "/admin/comments", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor: %d, want 403", res.StatusCode)
	}

	ed := signInStaff(t, app, "ed@example.com", news.RoleEditor)
	other.do("POST", "/api/v1/comments/"+itoa(c.ID)+"/report", map[string]any{"clause": "2", "note": "insulting"}, nil)
	res, doc := ed.send("GET", "/admin/comments", nil)
	item := doc.Find("#q-" + itoa(c.ID))
	if res.StatusCode != 200 || item.Length() != 1 || !strings.Contains(item.Text(), "insulting") {
		t.Fatalf("queue: %d, item %q", res.StatusCode, item.Text())
	}
	// Hiding needs a clause of the policy.
	if res, _ := ed.send("POST", "/admin/comments/"+itoa(c.ID)+"/moderate", url.Values{"action": {"delete"}, "clause": {"42"}}); res.StatusCode != 400 {
		t.Errorf("remove without a real clause: %d, want 400", res.StatusCode)
	}
	if res, _ := ed.send("POST", "/admin/comments/"+itoa(c.ID)+"/moderate", url.Values{"action": {"delete"}, "clause": {"2"}, "note": {"insult"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	_, page1 := page(t, app, a.URL())
	if page1.Find("#comment-"+itoa(c.ID)).Length() != 0 || strings.TrimSpace(page1.Find("[data-count]").Text()) != "0" {
		t.Error("removed comment still on the cached article page")
	}
	var me struct{ Own []commentJSON }
	rd.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &me)
	if len(me.Own) != 1 || me.Own[0].Status != "removed" || me.Own[0].Clause != "2" {
		t.Errorf("writer sees %+v, want their comment removed under clause 2", me.Own)
	}
	// Audit log cites the clause.
	_, doc = ed.send("GET", "/admin/comments/log", nil)
	if row := doc.Find("tbody tr").First().Text(); !strings.Contains(row, "ed@example.com") || !strings.Contains(row, "delete") || !strings.Contains(row, "2") {
		t.Errorf("audit log first row = %q", row)
	}

	// Hold mode: new comments wait; approve publishes.
	if _, doc = ed.send("GET", "/admin/comments/settings", nil); doc.Find(`input[name=mode][value=publish][checked]`).Length() != 1 {
		t.Error("settings page does not show the publish mode as chosen")
	}
	form := url.Values{"mode": {"hold"}, "banned_words": {"idiot"}, "banned_substrings": {"바보"}, "banned_clause": {"2"}, "spam_clause": {"5"},
		"auto_hold_reports": {"3"}, "max_links": {"2"}, "repeat_window_minutes": {"10"}, "new_account_minutes": {"10"}, "new_account_per_hour": {"5"},
		"per_reader_per_minute": {"6"}, "per_reader_burst": {"5"}, "per_ip_per_minute": {"30"}, "per_ip_burst": {"20"}}
	if res, _ := ed.send("POST", "/admin/comments/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d", res.StatusCode)
	}
	held, _, _ := other.post(a.ID, "Waiting for approval", nil)
	if held.Status != "pending" {
		t.Errorf("hold mode: status %q, want pending", held.Status)
	}
	ed.send("POST", "/admin/comments/"+itoa(held.ID)+"/moderate", url.Values{"action": {"approve"}})
	if got, _ := app.Store.CommentByID(t.Context(), held.ID); got.Status != news.CommentApproved {
		t.Errorf("after approve: %q", got.Status)
	}
	// Banned words (English whole word, Korean substring) hold a comment.
	form.Set("mode", "publish")
	ed.send("POST", "/admin/comments/settings", form)
	for _, body := range []string{"what an idiot", "너 바보야"} {
		got, _, _ := other.post(a.ID, body, nil)
		if got.Status != "pending" {
			t.Errorf("%q: status %q, want pending (banned word)", body, got.Status)
		}
	}
	if got, _, _ := other.post(a.ID, "an idiotic idea, but fine", nil); got.Status != "approved" {
		t.Errorf("whole-word rule held 'idiotic': %q", got.Status)
	}
	if got, _, _ := rd.post(a.ID, "links http://a.example http://b.example http://c.example", nil); got.Status != "pending" {
		t.Errorf("three links: status %q, want pending (spam rule)", got.Status)
	}

	// Ban with expiry.
	var who struct{ Reader struct{ ID int64 } }
	rd.do("GET", "/api/v1/me", nil, &who)
	if res, _ := ed.send("POST", "/admin/comments/readers/"+itoa(who.Reader.ID)+"/ban", url.Values{"kind": {"ban"}, "days": {"2"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ban: %d", res.StatusCode)
	}
	if _, e, st := rd.post(a.ID, "banned now", nil); st != 403 || !strings.Contains(e.Error.Message, "clause 2") {
		t.Errorf("after ban: %d %+v", st, e)
	}
	got, _ := app.Store.ReaderByID(t.Context(), who.Reader.ID)
	if d := time.Until(got.BannedUntil); d < 47*time.Hour || d > 49*time.Hour {
		t.Errorf("ban ends in %v, want 2 days", d)
	}
	ed.send("POST", "/admin/comments/readers/"+itoa(who.Reader.ID)+"/ban", url.Values{"kind": {"lift"}})
	if _, _, st := rd.post(a.ID, "free again", nil); st != 201 {
		t.Errorf("after lifting the ban: %d", st)
	}

	// Per-article switch.
	ed.send("POST", "/admin/comments/article-mode", url.Values{"article_id": {itoa(a.ID)}, "mode": {"closed"}})
	if _, _, st := other.post(a.ID, "closed now?", nil); st != 403 {
		t.Errorf("after closing: %d, want 403", st)
	}

	// Export: site and one article.
	res, _ = ed.send("GET", "/admin/comments/export.json?article_id="+itoa(a.ID), nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	req, _ := http.NewRequest("GET", app.URL+"/admin/comments/export.json", nil)
	res, err := ed.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Count    int
		Comments []struct {
			ID     int64
			Body   string
			Status string
			Clause string
		}
	}
	json.NewDecoder(res.Body).Decode(&exp)
	res.Body.Close()
	if exp.Count < 6 || exp.Comments[0].ID != c.ID || exp.Comments[0].Status != "removed" || exp.Comments[0].Clause != "2" {
		t.Errorf("export = %d comments, first %+v", exp.Count, exp.Comments[0])
	}

	// Only admins publish a new policy version; readers see the history.
	if res, _ := ed.send("POST", "/admin/comments/policy", url.Values{"body": {"## 1. Only\nx"}, "note": {"n"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor edits policy: %d, want 403", res.StatusCode)
	}
	adm := signInStaff(t, app, "admin@example.com", news.RoleAdmin)
	_, doc = adm.send("GET", "/admin/comments/policy", nil)
	body := doc.Find("textarea#p-body").Text() + "\n\n## 8. Use your own words\nDo not paste whole articles."
	if res, _ := adm.send("POST", "/admin/comments/policy", url.Values{"body": {body}, "note": {"Added clause 8"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("policy edit: %d", res.StatusCode)
	}
	_, doc = page(t, app, "/comments/policy")
	if doc.Find("#clause-8 h2").Text() != "Clause 8. Use your own words" || doc.Find(".policy-history li").Length() != 2 || !strings.Contains(doc.Find(".policy-history").Text(), "Added clause 8") {
		t.Errorf("policy page after edit: %q / %q", doc.Find("#clause-8 h2").Text(), doc.Find(".policy-history").Text())
	}
	_, doc = page(t, app, "/comments/policy?version=1")
	if doc.Find("#clause-8").Length() != 0 {
		t.Error("version 1 shows the new clause")
	}
}

// newReaderStaffless is a staff client that never signed in.
func newReaderStaffless(t testing.TB, app *testutil.App) *staff {
	jar, _ := cookiejar.New(nil)
	return &staff{t: t, app: app, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}
