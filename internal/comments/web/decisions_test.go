package web_test

// Statements of reasons and appeals as people meet them: the clause is
// required on the Admin API and bulk paths too, the writer sees the
// reasons in the box and on My account and appeals there, the deciding
// moderator cannot review the appeal, another reverses it, and the DSA
// export carries no personal data.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/auth"
	"byline/internal/news"
)

func TestDecisionsAndAppealsEndToEnd(t *testing.T) {
	app := newApp(t, nil)
	ctx := context.Background()
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Appellant", a.URL())
	first := signInStaff(t, app, "first@example.com", news.RoleEditor)
	second := signInStaff(t, app, "second@example.com", news.RoleEditor)
	c, _, code := rd.post(a.ID, "The verdict reads as harsh to me", nil)
	if code != 201 {
		t.Fatalf("post: %d", code)
	}
	c2, _, _ := rd.post(a.ID, "A second comment for the bulk form", nil)

	// Admin API: refused without a clause, then a removal with one.
	u, err := app.Store.StaffByEmail(ctx, "first@example.com")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := auth.NewTokens(app.Store).Create(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	apiModerate := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", app.URL+"/api/v1/admin/comments/"+itoa(c.ID)+"/moderate", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := app.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := apiModerate(`{"action":"remove","clause":""}`); code != http.StatusBadRequest || !strings.Contains(body, "clause") {
		t.Errorf("API remove without a clause: %d %s, want 400 naming the clause", code, body)
	}
	if code, body := apiModerate(`{"action":"remove","clause":"2"`); code != http.StatusBadRequest {
		t.Errorf("API with broken JSON: %d %s", code, body)
	}
	if got, _ := app.Store.CommentByID(ctx, c.ID); got.Status != news.CommentApproved {
		t.Fatalf("after refused API calls: %s, want approved", got.Status)
	}
	if code, body := apiModerate(`{"action":"remove","clause":"2","note":"The comment mocks the defendant's family."}`); code != 200 {
		t.Fatalf("API remove: %d %s", code, body)
	}
	// Bulk: refused without a clause, nothing changes.
	if res, _ := first.send("POST", "/admin/comments/bulk", url.Values{"id": {itoa(c2.ID)}, "action": {"reject"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bulk reject without a clause: %d, want 400", res.StatusCode)
	}
	if res, _ := first.send("POST", "/admin/comments/bulk", url.Values{"id": {"abc"}, "action": {"reject"}, "clause": {"1"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bulk with a bad id: %d, want 400", res.StatusCode)
	}
	if got, _ := app.Store.CommentByID(ctx, c2.ID); got.Status != news.CommentApproved {
		t.Errorf("after the refused bulk decision: %s", got.Status)
	}

	// The writer sees the reasons in the box's data and on My account.
	var me struct {
		Own []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
			Reason *struct {
				DecisionID  string  `json:"decision_id"`
				Clause      string  `json:"clause"`
				Facts       string  `json:"facts"`
				AppealUntil *string `json:"appeal_until"`
			} `json:"reason"`
		} `json:"own"`
	}
	rd.do("GET", "/api/v1/me?article_id="+itoa(a.ID), nil, &me)
	var decisionID string
	for _, o := range me.Own {
		if o.ID == c.ID {
			if o.Status != "removed" || o.Reason == nil || o.Reason.Clause != "2" || !strings.Contains(o.Reason.Facts, "defendant") || o.Reason.AppealUntil == nil {
				t.Errorf("own comment in /me = %+v (reason %+v)", o, o.Reason)
			} else {
				decisionID = o.Reason.DecisionID
			}
		} else if o.Reason != nil {
			t.Errorf("published comment %d carries a reason %+v", o.ID, o.Reason)
		}
	}
	acct := rd.get("/account")
	if !strings.Contains(string(acct), "defendant") || !strings.Contains(string(acct), decisionID) || !strings.Contains(string(acct), `action="/account/appeal"`) {
		t.Errorf("account page lacks the reason, decision id or appeal form")
	}

	// Appeal (API), once.
	if code := rd.do("POST", "/api/v1/comments/"+itoa(c.ID)+"/appeal", map[string]string{"reason": ""}, nil); code != http.StatusBadRequest {
		t.Errorf("appeal without a reason: %d, want 400", code)
	}
	if code := rd.do("POST", "/api/v1/comments/"+itoa(c.ID)+"/appeal", map[string]string{"reason": "I wrote about the sentence, not the family."}, nil); code != http.StatusCreated {
		t.Fatalf("appeal: %d", code)
	}
	if code := rd.do("POST", "/api/v1/comments/"+itoa(c.ID)+"/appeal", map[string]string{"reason": "again"}, nil); code != http.StatusConflict {
		t.Errorf("second appeal: %d, want 409", code)
	}
	if code := rd.do("POST", "/api/v1/comments/"+itoa(c2.ID)+"/appeal", map[string]string{"reason": "nothing decided"}, nil); code != http.StatusConflict {
		t.Errorf("appeal of a published comment: %d, want 409", code)
	}
	open, _ := app.Store.Appeals(ctx, news.AppealOpen, 10, 0)
	if len(open) != 1 {
		t.Fatalf("%d open appeals, want 1", len(open))
	}
	ap := open[0]

	// The deciding moderator is told a colleague reviews it, and refused.
	_, doc := first.send("GET", "/admin/comments/appeals", nil)
	if doc.Find("#appeal-"+itoa(ap.ID)+" .appeal-own").Length() != 1 || doc.Find("#appeal-"+itoa(ap.ID)+" form").Length() != 0 {
		t.Error("the deciding moderator is offered the review form")
	}
	if res, _ := first.send("POST", "/admin/comments/appeals/"+itoa(ap.ID)+"/decide", url.Values{"outcome": {"reversed"}, "reply": {"Fine."}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("review by the deciding moderator: %d, want 403", res.StatusCode)
	}
	if res, _ := second.send("POST", "/admin/comments/appeals/"+itoa(ap.ID)+"/decide", url.Values{"outcome": {"reversed"}, "reply": {""}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("review without reasons: %d, want 400", res.StatusCode)
	}
	if res, _ := second.send("POST", "/admin/comments/appeals/99999/decide", url.Values{"outcome": {"reversed"}, "reply": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown appeal: %d, want 404", res.StatusCode)
	}
	if got, _ := app.Store.CommentByID(ctx, c.ID); got.Status != news.CommentRemoved {
		t.Fatalf("after refused reviews: %s, want removed", got.Status)
	}
	_, doc = second.send("GET", "/admin/comments/appeals", nil)
	if doc.Find("#appeal-"+itoa(ap.ID)+" form").Length() != 1 {
		t.Error("another moderator is not offered the review form")
	}
	if res, _ := second.send("POST", "/admin/comments/appeals/"+itoa(ap.ID)+"/decide", url.Values{"outcome": {"reversed"},
		"reply": {"The comment is about the sentence; it names no one in the family."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reversal: %d", res.StatusCode)
	}
	if got, _ := app.Store.CommentByID(ctx, c.ID); got.Status != news.CommentApproved {
		t.Errorf("after reversal: %s, want approved", got.Status)
	}
	// The public thread shows it again (the cached page was purged).
	var list listJSON
	rd.do("GET", "/api/v1/articles/"+itoa(a.ID)+"/comments", nil, &list)
	found := false
	for _, x := range list.Comments {
		found = found || x.ID == c.ID
	}
	if !found {
		t.Error("the restored comment is not in the public thread")
	}
	// The writer reads the outcome; the log keeps both decisions.
	if acct := string(rd.get("/account")); !strings.Contains(acct, "names no one in the family") {
		t.Error("the account page does not give the reviewer's reply")
	}
	// The moderator whose decision was reversed is told on their
	// dashboard, with the reviewer's reasons; the reviewer is not.
	_, dash := first.send("GET", "/admin/", nil)
	told := false
	dash.Find(".dash-panel").Each(func(_ int, p *goquery.Selection) {
		txt := strings.Join(strings.Fields(p.Text()), " ")
		if strings.Contains(txt, "Your decisions reviewed on appeal") {
			told = strings.Contains(txt, "Reversed by second@example.com") && strings.Contains(txt, decisionID) && strings.Contains(txt, "names no one in the family")
			if !told {
				t.Errorf("first moderator's appeal panel = %q", txt)
			}
		}
	})
	if !told {
		t.Error("the moderator whose decision was reversed is not told on the dashboard")
	}
	if _, d := second.send("GET", "/admin/", nil); strings.Contains(d.Text(), "Your decisions reviewed on appeal") {
		t.Error("the reviewer sees the panel meant for the deciding moderator")
	}
	_, doc = first.send("GET", "/admin/comments/log", nil)
	if !strings.Contains(doc.Text(), decisionID) || !strings.Contains(doc.Text(), "reverse") {
		t.Error("the audit log does not keep the original decision and its reversal")
	}

	// DSA export: field names of the Transparency Database, no personal data.
	res, err := second.c.Get(app.URL + "/admin/comments/decisions.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var out struct {
		Count      int              `json:"count"`
		Statements []map[string]any `json:"statements"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("export: %d %v %s", res.StatusCode, err, raw)
	}
	if out.Count < 2 {
		t.Errorf("export has %d statements, want the removal and the reversal", out.Count)
	}
	var removal map[string]any
	for _, st := range out.Statements {
		if st["puid"] == decisionID {
			removal = st
		}
	}
	for _, k := range []string{"decision_visibility", "decision_ground", "incompatible_content_ground", "decision_facts", "automated_detection", "automated_decision", "application_date", "content_type", "category", "source_type"} {
		if _, ok := removal[k]; !ok {
			t.Errorf("statement lacks %s: %v", k, removal)
		}
	}
	for _, personal := range []string{"Appellant", "first@example.com", "second@example.com", "The verdict reads as harsh"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the export contains personal data %q", personal)
		}
	}
	if res, _ := second.send("GET", "/admin/comments/decisions.json?from=yesterday", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("export with a bad date: %d, want 400", res.StatusCode)
	}
}
