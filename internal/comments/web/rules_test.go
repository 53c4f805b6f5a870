package web_test

// Moderation rules as editors write them in /admin and as readers meet
// them: a rule written in the form holds the next comment on a matching
// article, editors see why (article page, queue), versions are kept,
// and bad forms are refused with nothing stored.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
)

func TestRulesAdminAndReader(t *testing.T) {
	app := newApp(t, nil)
	ctx := context.Background()
	a := anyArticle(t, app)
	ed := signInStaff(t, app, "rules@example.com", news.RoleEditor)
	rd := newReader(t, app)
	rd.devLogin("Writer", a.URL())

	// The demo paper has its own rule (court cases, first in priority):
	// retired here, so that this test's rule decides.
	demoRules, _ := app.Store.ModRules(ctx)
	for _, r := range demoRules {
		if res, _ := ed.send("POST", "/admin/comments/rules/"+itoa(r.ID)+"/retire", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire demo rule: %d", res.StatusCode)
		}
	}
	// Refusals: nothing stored.
	for name, form := range map[string]url.Values{
		"no clause":      {"name": {"Courts"}, "action": {"premoderate"}, "message": {"Read first."}, "flag": {news.FlagCourtCase}},
		"no message":     {"name": {"Courts"}, "action": {"closed"}, "clause": {"4"}},
		"unknown clause": {"name": {"Courts"}, "action": {"closed"}, "clause": {"99"}, "message": {"x"}},
		"bad section":    {"name": {"Courts"}, "action": {"open"}, "section": {"abc"}},
		"bad window":     {"name": {"Courts"}, "action": {"open"}, "from": {"22:00"}},
		"bad flag":       {"name": {"Courts"}, "action": {"open"}, "flag": {"celebrity"}},
		"bad count":      {"name": {"Courts"}, "action": {"open"}, "comments_over": {"-3"}},
	} {
		res, doc := ed.send("POST", "/admin/comments/rules", form)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, res.StatusCode)
		}
		// The form comes back with why, and what was typed.
		if msg := strings.TrimSpace(doc.Find(".form-error").Text()); msg == "" {
			t.Errorf("%s: no error shown over the form", name)
		}
		if got := doc.Find("#rule-name").AttrOr("value", ""); got != "Courts" {
			t.Errorf("%s: name field = %q, want what was typed (Courts)", name, got)
		}
		if want := form.Get("message"); want != "" && doc.Find("#rule-message").AttrOr("value", "") != want {
			t.Errorf("%s: message field = %q, want %q", name, doc.Find("#rule-message").AttrOr("value", ""), want)
		}
	}
	if list, _ := app.Store.ModRules(ctx); len(list) != 0 {
		t.Fatalf("refused forms stored %d rules", len(list))
	}

	res, _ := ed.send("POST", "/admin/comments/rules", url.Values{"name": {"Courts"}, "action": {"premoderate"}, "clause": {"4"},
		"message": {"Comments on active court cases are read before they appear."}, "flag": {news.FlagCourtCase}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create rule: %d", res.StatusCode)
	}
	list, _ := app.Store.ModRules(ctx)
	if len(list) != 1 {
		t.Fatalf("%d rules, want 1", len(list))
	}
	rule := list[0]
	_, doc := ed.send("GET", "/admin/comments/rules", nil)
	if row := doc.Find("#rule-" + itoa(rule.ID)); !strings.Contains(row.Text(), "court case active") || !strings.Contains(row.Text(), "pre-moderate") {
		t.Errorf("rules list row = %q", row.Text())
	}

	// Not flagged yet: published at once, and the article page says no rule.
	c, _, code := rd.post(a.ID, "Before the flag", nil)
	if code != 201 || c.Status != "approved" {
		t.Fatalf("before flagging: %d %s", code, c.Status)
	}
	_, doc = ed.send("GET", "/admin/comments/articles/"+itoa(a.ID), nil)
	if !strings.Contains(doc.Find(".why-rule").Text(), "No rule matches") {
		t.Errorf("why (no flag) = %q", doc.Find(".why-rule").Text())
	}
	// The editor flags the article; the next comment is held.
	if res, _ := ed.send("POST", "/admin/comments/articles/"+itoa(a.ID)+"/flags", url.Values{"flag": {news.FlagCourtCase}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("flag: %d", res.StatusCode)
	}
	if res, _ := ed.send("POST", "/admin/comments/articles/"+itoa(a.ID)+"/flags", url.Values{"flag": {"celebrity"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown flag: %d, want 400", res.StatusCode)
	}
	c, _, code = rd.post(a.ID, "Right after the flag", nil)
	if code != 201 || c.Status != "pending" || c.Clause != "4" {
		t.Fatalf("after flagging: %d %s clause %q, want held under clause 4", code, c.Status, c.Clause)
	}
	_, doc = ed.send("GET", "/admin/comments/articles/"+itoa(a.ID), nil)
	if why := doc.Find(".why-rule").Text(); !strings.Contains(why, "Courts") || !strings.Contains(why, "version 1") {
		t.Errorf("why (flagged) = %q, want the rule and its version", why)
	}
	if doc.Find("#flag-"+news.FlagCourtCase+"[checked]").Length() != 1 {
		t.Error("the flag is not shown checked")
	}
	_, doc = ed.send("GET", "/admin/comments", nil)
	if why := doc.Find("#q-" + itoa(c.ID) + " .queue-why").Text(); !strings.Contains(why, "Courts") || !strings.Contains(why, "version 1") {
		t.Errorf("queue why = %q", why)
	}
	if held := doc.Find("#q-" + itoa(c.ID) + " .queue-held").Text(); !strings.Contains(held, "Held automatically by rule "+itoa(rule.ID)+" version 1") || !strings.Contains(held, "clause 4") {
		t.Errorf("queue held = %q, want the rule and version that held it", held)
	}
	// The reader's box says why.
	var me struct {
		Mode        string `json:"mode"`
		RuleMessage string `json:"rule_message"`
	}
	rd.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &me)
	if me.Mode != "open" || !strings.Contains(me.RuleMessage, "read before they appear") {
		t.Errorf("me = %+v", me)
	}

	// A new version: closed. The old version stays in the history.
	form := url.Values{"name": {"Courts"}, "action": {"closed"}, "clause": {"4"}, "message": {"Closed while the case is heard."},
		"flag": {news.FlagCourtCase}, "version": {"1"}, "note": {"close instead"}}
	if res, _ := ed.send("POST", "/admin/comments/rules/"+itoa(rule.ID)+"/save", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new version: %d", res.StatusCode)
	}
	if res, doc := ed.send("POST", "/admin/comments/rules/"+itoa(rule.ID)+"/save", form); res.StatusCode != http.StatusConflict {
		t.Errorf("saving over version 1 again: %d, want 409", res.StatusCode)
	} else if msg := doc.Find(".form-error").Text(); !strings.Contains(msg, "version 2") || doc.Find("#rule-note").AttrOr("value", "") != "close instead" ||
		doc.Find("input[name=version]").AttrOr("value", "") != "1" {
		t.Errorf("saving over version 1 again: error %q, note %q, version %q; want the conflict over the form as typed", msg,
			doc.Find("#rule-note").AttrOr("value", ""), doc.Find("input[name=version]").AttrOr("value", ""))
	}
	_, doc = ed.send("GET", "/admin/comments/rules/"+itoa(rule.ID), nil)
	if n := doc.Find(".rule-versions li").Length(); n != 2 {
		t.Errorf("%d versions listed, want 2", n)
	}
	if _, _, code := rd.post(a.ID, "Now closed", nil); code != http.StatusForbidden {
		t.Errorf("post under the closed version: %d, want 403", code)
	}
	rd.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &me)
	if me.Mode != "closed" {
		t.Errorf("me.mode = %q, want closed", me.Mode)
	}

	// Ordering and retiring; unknown rules are 404.
	if res, _ := ed.send("POST", "/admin/comments/rules/99999/move", url.Values{"dir": {"up"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("move unknown: %d, want 404", res.StatusCode)
	}
	if res, _ := ed.send("POST", "/admin/comments/rules/"+itoa(rule.ID)+"/move", url.Values{"dir": {"sideways"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("move sideways: %d, want 400", res.StatusCode)
	}
	if res, _ := ed.send("POST", "/admin/comments/rules/"+itoa(rule.ID)+"/retire", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("retire: %d", res.StatusCode)
	}
	if _, _, code := rd.post(a.ID, "Open again", nil); code != 201 {
		t.Errorf("post after retiring the rule: %d, want 201", code)
	}

	// Contributors may not write rules.
	contrib := signInStaff(t, app, "intern@example.com", news.RoleContributor)
	if res, _ := contrib.send("POST", "/admin/comments/rules", url.Values{"name": {"x"}, "action": {"open"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor creates a rule: %d, want 403", res.StatusCode)
	}
}

func TestQueueSavedFilters(t *testing.T) {
	app := newApp(t, nil)
	ctx := context.Background()
	page, err := app.Store.ListArticles(ctx, news.ArticleQuery{Limit: 2})
	if err != nil || len(page.Articles) < 2 {
		t.Fatalf("need two demo articles: %v", err)
	}
	courts, other := page.Articles[0], page.Articles[1]
	art, _ := app.Store.ArticleByID(ctx, courts.ID)
	art.Tags = append(art.Tags, "courtwatch")
	if err := app.Store.UpdateArticle(ctx, &art); err != nil {
		t.Fatal(err)
	}
	rd := newReader(t, app)
	rd.devLogin("Writer", courts.URL())
	onCourts, _, _ := rd.post(courts.ID, "On the trial", nil)
	onOther, _, _ := rd.post(other.ID, "On something else", nil)
	hold(t, app, onCourts.ID)
	hold(t, app, onOther.ID)
	ed := signInStaff(t, app, "filters@example.com", news.RoleEditor)
	for name, form := range map[string]url.Values{
		"no name":     {"tags": {"courtwatch"}},
		"nothing":     {"name": {"Empty"}},
		"bad section": {"name": {"Bad"}, "section": {"x"}},
		"long name":   {"name": {strings.Repeat("n", 61)}, "tags": {"a"}},
	} {
		if res, _ := ed.send("POST", "/admin/comments/filters", form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("filter with %s: %d, want 400", name, res.StatusCode)
		}
	}
	res, _ := ed.send("POST", "/admin/comments/filters", url.Values{"name": {"Court watch"}, "tags": {"CourtWatch"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/comments?filter=0" {
		t.Fatalf("save filter: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, doc := ed.send("GET", "/admin/comments?filter=0", nil)
	if doc.Find("#q-"+itoa(onCourts.ID)).Length() != 1 || doc.Find("#q-"+itoa(onOther.ID)).Length() != 0 {
		t.Errorf("filtered queue: courts item %d, other item %d; want 1 and 0", doc.Find("#q-"+itoa(onCourts.ID)).Length(), doc.Find("#q-"+itoa(onOther.ID)).Length())
	}
	_, doc = ed.send("GET", "/admin/comments", nil)
	if doc.Find("#q-"+itoa(onOther.ID)).Length() != 1 || !strings.Contains(doc.Find(".queue-filters").Text(), "Court watch") {
		t.Error("the unfiltered queue lacks the other item or the saved filter's link")
	}
	if res, _ := ed.send("GET", "/admin/comments?filter=7", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown filter: %d, want 404", res.StatusCode)
	}
	if res, _ := ed.send("POST", "/admin/comments/filters/delete", url.Values{"filter": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("delete filter: %d", res.StatusCode)
	}
	if res, _ := ed.send("GET", "/admin/comments?filter=0", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted filter still answers %d", res.StatusCode)
	}
}

// TestDemoCourtStoryPremoderated: the demo paper's court story carries
// the "court case active" flag, and its rule holds every comment with the
// reader told why.
func TestDemoCourtStoryPremoderated(t *testing.T) {
	app := newApp(t, nil)
	a := app.DemoArticle(t, "ferry-operator-trial-opens")
	rd := newReader(t, app)
	rd.devLogin("Reader", a.URL())
	c, _, code := rd.post(a.ID, "I hope the court looks at the radar logs.", nil)
	if code != 201 || c.Status != "pending" || c.Clause != "4" {
		t.Fatalf("comment on the court story: %d %s clause %q, want held under clause 4", code, c.Status, c.Clause)
	}
	var me struct {
		RuleMessage string `json:"rule_message"`
	}
	rd.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &me)
	if !strings.Contains(me.RuleMessage, "before the courts") {
		t.Errorf("rule message = %q", me.RuleMessage)
	}
	other := anyArticle(t, app)
	if c, _, _ := rd.post(other.ID, "Elsewhere comments publish at once.", nil); c.Status != "approved" {
		t.Errorf("comment on %s: %s, want approved (the rule matches the flag only)", other.Slug, c.Status)
	}
}

// TestPublicCommenterHistory: off by default (404, no links); switched
// on in the settings, names link to a page with the counts.
func TestPublicCommenterHistory(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Counted", a.URL())
	c1, _, _ := rd.post(a.ID, "One published", nil)
	c2, _, _ := rd.post(a.ID, "One to be removed", nil)
	rd.post(a.ID, "Another published", nil)
	ed := signInStaff(t, app, "history@example.com", news.RoleEditor)
	if res, _ := ed.send("POST", "/admin/comments/"+itoa(c2.ID)+"/moderate", url.Values{"action": {"delete"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	rc, err := app.Store.CommentByID(context.Background(), c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	profile := "/comments/readers/" + itoa(rc.ReaderID)
	if res, _ := page(t, app, profile); res.StatusCode != http.StatusNotFound {
		t.Errorf("history while off: %d, want 404", res.StatusCode)
	}
	if _, doc := page(t, app, a.URL()); doc.Find(`.comment-author a[href="`+profile+`"]`).Length() != 0 {
		t.Error("names link to histories while the setting is off")
	}
	_, doc := ed.send("GET", "/admin/comments/settings", nil)
	form := url.Values{}
	doc.Find("form[action='/admin/comments/settings'] input, form[action='/admin/comments/settings'] select, form[action='/admin/comments/settings'] textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		switch {
		case name == "" || name == "csrf":
		case typ == "radio" || typ == "checkbox":
			if _, on := s.Attr("checked"); on {
				form.Set(name, "on")
				if v, ok := s.Attr("value"); ok && typ == "radio" {
					form.Set(name, v)
				}
			}
		case goquery.NodeName(s) == "select":
			form.Set(name, s.Find("option[selected]").AttrOr("value", ""))
		case goquery.NodeName(s) == "textarea":
			form.Set(name, s.Text())
		default:
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	form.Set("public_history", "on")
	if res, _ := ed.send("POST", "/admin/comments/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d", res.StatusCode)
	}
	res, doc := page(t, app, profile)
	if res.StatusCode != 200 || doc.Find("#history-published").Text() != "2" || doc.Find("#history-removed").Text() != "1" || !strings.Contains(doc.Find("h1").Text(), "Counted") {
		t.Errorf("history: %d, published %q removed %q", res.StatusCode, doc.Find("#history-published").Text(), doc.Find("#history-removed").Text())
	}
	if _, doc := page(t, app, a.URL()); doc.Find(`.comment-author a[href="`+profile+`"]`).Length() == 0 {
		t.Error("names do not link to histories once the setting is on")
	}
	for _, p := range []string{"/comments/readers/999999", "/comments/readers/abc"} {
		if res, _ := page(t, app, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}
