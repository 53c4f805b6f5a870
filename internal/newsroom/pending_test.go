package newsroom_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
)

// readerHeadline is the headline a reader gets on the article's page.
func (h *harness) readerHeadline(t *testing.T, a news.Article) string {
	t.Helper()
	_, doc := h.client().get(t, a.URL())
	return strings.TrimSpace(doc.Find("h1").First().Text())
}

func (h *harness) publishedArticle(t *testing.T, ed *staffClient, headline string) news.Article {
	t.Helper()
	ed.post(t, "/admin/articles", h.articleForm(headline, "Live body."))
	a := h.lastArticle(t)
	f := h.articleForm(headline, "Live body.")
	f.Set("version", itoa(int64(a.Version)))
	f.Set("action", "publish")
	if res, _ := ed.post(t, "/admin/articles/"+itoa(a.ID), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	if a.Status != news.StatusPublished {
		t.Fatalf("status %s after publish", a.Status)
	}
	return a
}

// A draft of changes to a live article: readers keep the live version;
// the editor shows the draft, its diff and "Publish changes"; publishing
// makes it live with a revision; refusals keep what was stored.
func TestPendingChangesInEditor(t *testing.T) {
	h := newHarness(t)
	ed, _ := h.signedIn(t, "desk@example.com", news.RoleEditor)
	con, _ := h.signedIn(t, "con@example.com", news.RoleContributor)
	a := h.publishedArticle(t, ed, "Harbour bridge opens")
	path := "/admin/articles/" + itoa(a.ID)

	_, doc := ed.get(t, path)
	if got := strings.TrimSpace(doc.Find("#save").Text()); got != "Update live article" {
		t.Errorf("#save = %q", got)
	}
	if doc.Find("#more-actions #save-pending").Length() != 1 || doc.Find("#pending").Length() != 0 {
		t.Errorf("a live article without a draft: save-pending in the menu %d, pending panel %d; want 1, 0",
			doc.Find("#more-actions #save-pending").Length(), doc.Find("#pending").Length())
	}

	draft := func(headline string, seq int) url.Values {
		f := h.articleForm(headline, "Live body, with a new paragraph.")
		f.Set("version", itoa(int64(a.Version)))
		f.Set("pending_seq", itoa(int64(seq)))
		f.Set("slug", a.Slug)
		f.Set("action", "save_pending")
		return f
	}
	res, _ := ed.post(t, path, draft("Harbour bridge opens to traffic", 0))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft of changes: %d", res.StatusCode)
	}
	if got := h.readerHeadline(t, a); got != "Harbour bridge opens" {
		t.Errorf("readers see %q after a draft of changes, want the live headline", got)
	}
	if live, _ := h.st.ArticleByID(ctx, a.ID); live.Version != a.Version || live.Headline != a.Headline {
		t.Errorf("live article v%d %q, want it untouched", live.Version, live.Headline)
	}

	_, doc = ed.get(t, path)
	if v, _ := doc.Find("#headline").Attr("value"); v != "Harbour bridge opens to traffic" {
		t.Errorf("editor headline %q, want the draft's", v)
	}
	if got := strings.TrimSpace(doc.Find("#save").Text()); got != "Publish changes" {
		t.Errorf("#save with a draft = %q, want Publish changes", got)
	}
	if v, _ := doc.Find("#pending-seq").Attr("value"); v != "1" {
		t.Errorf("pending_seq = %q, want 1", v)
	}
	if doc.Find("#pending .diff-del").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "Headline: Harbour bridge opens")
	}).Length() != 1 ||
		doc.Find("#pending .diff-ins").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Headline: Harbour bridge opens to traffic")
		}).Length() != 1 {
		t.Errorf("the pending panel's diff lacks the headline change: %q", doc.Find("#pending .diff").Text())
	}
	if doc.Find("#discard-pending").Length() != 1 || doc.Find("#schedule-pending").Length() != 1 {
		t.Error("no discard or schedule of the changes")
	}

	// Refusals: each leaves the stored draft and the live article as they were.
	for _, c := range []struct {
		name   string
		who    *staffClient
		form   url.Values
		status int
	}{
		{"stale draft", ed, draft("Overwritten", 0), http.StatusConflict},
		{"contributor", con, draft("By a contributor", 1), http.StatusForbidden},
		{"empty headline", ed, draft(" ", 1), http.StatusBadRequest},
		{"schedule without a time", ed, func() url.Values { f := draft("Timed", 1); f.Set("action", "schedule_pending"); return f }(), http.StatusBadRequest},
		{"stale live version", ed, func() url.Values { f := draft("Old tab", 1); f.Set("version", itoa(int64(a.Version-1))); return f }(), http.StatusConflict},
		{"bad seq", ed, func() url.Values { f := draft("x", 1); f.Set("pending_seq", "-2"); return f }(), http.StatusBadRequest},
	} {
		res, _ := c.who.post(t, path, c.form)
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
		}
		d, err := h.st.PendingDraft(ctx, a.ID)
		if err != nil || d.Seq != 1 || d.Snapshot.Headline != "Harbour bridge opens to traffic" {
			t.Errorf("%s: stored draft seq %d %q (%v), want seq 1 kept", c.name, d.Seq, d.Snapshot.Headline, err)
		}
	}
	if got := h.readerHeadline(t, a); got != "Harbour bridge opens" {
		t.Errorf("readers see %q after refused saves", got)
	}

	// Scheduling the changes keeps the live article until then.
	f := draft("Harbour bridge opens to traffic", 1)
	f.Set("action", "schedule_pending")
	at := h.clk.Now().Add(2 * time.Hour).UTC()
	f.Set("changes_at", at.Format("2006-01-02T15:04"))
	if res, _ := ed.post(t, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule changes: %d", res.StatusCode)
	}
	d, _ := h.st.PendingDraft(ctx, a.ID)
	if d.Seq != 2 || !d.PublishAt.Equal(at.Truncate(time.Minute)) {
		t.Errorf("scheduled draft: seq %d at %v, want 2 at %v", d.Seq, d.PublishAt, at.Truncate(time.Minute))
	}
	if _, doc = ed.get(t, path); doc.Find("#pending-schedule").Length() != 1 {
		t.Error("the editor does not say the changes are scheduled")
	}

	// Publish changes: the form (holding the draft) goes live; the draft is gone.
	pub := draft("Harbour bridge opens to traffic", 2)
	pub.Set("action", "save")
	if res, _ := ed.post(t, path, pub); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish changes: %d", res.StatusCode)
	}
	if got := h.readerHeadline(t, a); got != "Harbour bridge opens to traffic" {
		t.Errorf("readers see %q after publishing the changes", got)
	}
	if _, err := h.st.PendingDraft(ctx, a.ID); !news.IsNotFound(err) {
		t.Errorf("draft after publishing the changes: %v, want gone", err)
	}
	if revs, _ := h.st.ListRevisions(ctx, a.ID); len(revs) != 2 || revs[0].Snapshot.Headline != "Harbour bridge opens to traffic" {
		t.Errorf("revisions: %d, want publish and the update", len(revs))
	}
}

// Discarding a draft of changes asks first (a page without script).
func TestPendingDiscardAsks(t *testing.T) {
	h := newHarness(t)
	ed, _ := h.signedIn(t, "desk@example.com", news.RoleEditor)
	con, _ := h.signedIn(t, "con@example.com", news.RoleContributor)
	a := h.publishedArticle(t, ed, "Night market returns")
	path := "/admin/articles/" + itoa(a.ID)
	f := h.articleForm("Night market returns for winter", "Live body.")
	f.Set("version", itoa(int64(a.Version)))
	f.Set("action", "save_pending")
	if res, _ := ed.post(t, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft of changes: %d", res.StatusCode)
	}
	discard := url.Values{"action": {"discard_pending"}, "pending_seq": {"1"}}
	if res, _ := con.post(t, path, url.Values{"action": {"discard_pending"}, "pending_seq": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor discard: %d, want 403", res.StatusCode)
	}
	res, doc := ed.post(t, path, discard)
	if res.StatusCode != http.StatusOK || doc.Find("#confirm-discard").Length() != 1 {
		t.Fatalf("discard without confirm: %d, confirmation %d: %s", res.StatusCode, doc.Find("#confirm-discard").Length(), doc.Find("main").Text())
	}
	if _, err := h.st.PendingDraft(ctx, a.ID); err != nil {
		t.Fatalf("the draft went without confirmation: %v", err)
	}
	discard.Set("confirm", "yes")
	discard.Set("pending_seq", "5")
	if res, _ := ed.post(t, path, discard); res.StatusCode != http.StatusConflict {
		t.Errorf("discard of a later save: %d, want 409", res.StatusCode)
	}
	discard.Set("pending_seq", "1")
	if res, _ := ed.post(t, path, discard); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed discard: %d", res.StatusCode)
	}
	if _, err := h.st.PendingDraft(ctx, a.ID); !news.IsNotFound(err) {
		t.Errorf("after discard: %v", err)
	}
	if live, _ := h.st.ArticleByID(ctx, a.ID); live.Headline != "Night market returns" || live.Version != a.Version {
		t.Errorf("discard changed the live article: %q v%d", live.Headline, live.Version)
	}
}
