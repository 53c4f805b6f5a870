package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"byline/internal/api"
	"byline/internal/news"
)

// A draft of changes through the Admin API: saved beside the live article
// (the Content API keeps answering the live one), saved again only from
// its pending_seq, scheduled, published with a revision, or discarded;
// refusals store nothing.
func TestAdminAPIDraftOfChanges(t *testing.T) {
	app, c := newAdmin(t, news.RoleEditor)
	con := tokenFor(t, app, "con@example.com", news.RoleContributor)
	live := app.DemoArticle(t, "housing-supply-bill-stalls")
	base := "/api/v1/admin/articles/" + strconv.FormatInt(live.ID, 10)
	contentHeadline := func() string {
		t.Helper()
		var out struct{ Headline string }
		if code, _ := c.call(t, "GET", "/api/v1/articles/"+strconv.FormatInt(live.ID, 10), nil, &out); code != 200 {
			t.Fatalf("content API: %d", code)
		}
		return out.Headline
	}

	if code, _ := c.call(t, "GET", base+"/changes", nil, nil); code != http.StatusNotFound {
		t.Errorf("GET changes with none: %d, want 404", code)
	}
	var ch api.AdminChanges
	code, e := c.call(t, "PUT", base+"/changes", map[string]any{"headline": "A prepared headline", "version": live.Version}, &ch)
	if code != 200 || ch.PendingSeq != 1 || ch.Article.Headline != "A prepared headline" || ch.Article.Body != live.Body || ch.LiveVersion != live.Version {
		t.Fatalf("PUT changes: %d %+v %+v", code, e, ch)
	}
	if got := contentHeadline(); got != live.Headline {
		t.Errorf("the Content API answers %q after a draft of changes, want the live headline", got)
	}

	for _, r := range []struct {
		name   string
		who    *adminClient
		method string
		path   string
		body   any
		status int
	}{
		{"stale pending_seq", c, "PUT", base + "/changes", map[string]any{"headline": "Overwrite", "pending_seq": 0}, http.StatusConflict},
		{"stale live version", c, "PUT", base + "/changes", map[string]any{"headline": "Old", "pending_seq": 1, "version": live.Version - 1}, http.StatusConflict},
		{"empty headline", c, "PUT", base + "/changes", map[string]any{"headline": " ", "pending_seq": 1}, http.StatusBadRequest},
		{"unknown field", c, "PUT", base + "/changes", map[string]any{"headlin": "x", "pending_seq": 1}, http.StatusBadRequest},
		{"contributor", con, "PUT", base + "/changes", map[string]any{"headline": "By a contributor", "pending_seq": 1}, http.StatusForbidden},
		{"publish without seq", c, "POST", base + "/changes/publish", map[string]any{}, http.StatusBadRequest},
		{"publish stale seq", c, "POST", base + "/changes/publish", map[string]any{"pending_seq": 9}, http.StatusConflict},
		{"discard without seq", c, "DELETE", base + "/changes", nil, http.StatusBadRequest},
		{"discard stale seq", c, "DELETE", base + "/changes?pending_seq=9", nil, http.StatusConflict},
		{"no such article", c, "GET", "/api/v1/admin/articles/999999/changes", nil, http.StatusNotFound},
	} {
		if code, _ := r.who.call(t, r.method, r.path, r.body, nil); code != r.status {
			t.Errorf("%s: %d, want %d", r.name, code, r.status)
		}
	}
	var again api.AdminChanges
	if code, _ := c.call(t, "GET", base+"/changes", nil, &again); code != 200 || again.PendingSeq != 1 || again.Article.Headline != "A prepared headline" {
		t.Errorf("after refusals: %d %+v", code, again)
	}

	// Scheduled; a later save without publish_at keeps the time.
	at := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	if code, e := c.call(t, "PUT", base+"/changes", map[string]any{"pending_seq": 1, "publish_at": at}, &ch); code != 200 || ch.PublishAt == nil || !ch.PublishAt.Equal(at) {
		t.Fatalf("schedule: %d %+v %+v", code, e, ch.PublishAt)
	}
	if code, _ := c.call(t, "PUT", base+"/changes", map[string]any{"dek": "A new dek", "pending_seq": 2}, &ch); code != 200 || ch.PublishAt == nil || ch.Article.Headline != "A prepared headline" || ch.Article.Dek != "A new dek" {
		t.Errorf("save again: %d publish_at %v %q %q; want the time and the headline kept", code, ch.PublishAt, ch.Article.Headline, ch.Article.Dek)
	}
	if code, _ := c.call(t, "PUT", base+"/changes", map[string]any{"pending_seq": 3, "publish_at": nil}, &ch); code != 200 || ch.PublishAt != nil {
		t.Errorf("unschedule: %d %v", code, ch.PublishAt)
	}

	var pub api.AdminArticle
	if code, e := c.call(t, "POST", base+"/changes/publish", map[string]any{"pending_seq": 4}, &pub); code != 200 || pub.Headline != "A prepared headline" || pub.Dek != "A new dek" {
		t.Fatalf("publish: %d %+v %q", code, e, pub.Headline)
	}
	app.Notify(news.Change{Kind: news.ChangeContent, ArticleID: live.ID})
	if got := contentHeadline(); got != "A prepared headline" {
		t.Errorf("after publishing the changes the Content API answers %q", got)
	}
	if code, _ := c.call(t, "GET", base+"/changes", nil, nil); code != http.StatusNotFound {
		t.Errorf("changes after publish: %d, want 404", code)
	}

	// Discard.
	if code, _ := c.call(t, "PUT", base+"/changes", map[string]any{"headline": "To be thrown away", "version": pub.Version}, &ch); code != 200 {
		t.Fatalf("PUT: %d", code)
	}
	if code, _ := c.call(t, "DELETE", base+"/changes?pending_seq="+strconv.Itoa(ch.PendingSeq), nil, nil); code != http.StatusNoContent {
		t.Errorf("discard: %d, want 204", code)
	}
	if code, _ := c.call(t, "GET", base+"/changes", nil, nil); code != http.StatusNotFound {
		t.Errorf("changes after discard: %d, want 404", code)
	}
}
