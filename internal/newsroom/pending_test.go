package newsroom_test

import (
	"encoding/json"
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
	// The dashboard lists the draft of changes, linking to the editor.
	_, doc := ed.get(t, "/admin/")
	if l := doc.Find(`#dash-pending a[href="` + path + `"]`); l.Length() != 1 || l.Text() != "Night market returns for winter" {
		t.Errorf("dashboard drafts of changes: %d links %q", l.Length(), l.Text())
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

// autosave posts the form as admin.js does and decodes the JSON answer.
func (b *staffClient) autosave(t *testing.T, id int64, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", b.h.URL+"/admin/articles/"+itoa(id)+"/autosave", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// Autosave on a live article keeps the edits as its draft of changes
// (never live); saving the draft again keeps its schedule, and emptying
// the time takes it off the schedule.
func TestPendingAutosaveAndSchedule(t *testing.T) {
	h := newHarness(t)
	ed, _ := h.signedIn(t, "desk@example.com", news.RoleEditor)
	con, _ := h.signedIn(t, "con@example.com", news.RoleContributor)
	a := h.publishedArticle(t, ed, "Tram line extended")
	path := "/admin/articles/" + itoa(a.ID)
	if _, doc := ed.get(t, path); doc.Find("#edit-form").AttrOr("data-autosave", "") == "" {
		t.Error("a live article's editor does not autosave")
	}
	form := func(headline string, seq int) url.Values {
		f := h.articleForm(headline, "Live body.")
		f.Set("version", itoa(int64(a.Version)))
		f.Set("pending_seq", itoa(int64(seq)))
		f.Del("action")
		return f
	}
	st, out := ed.autosave(t, a.ID, form("Tram line extended to the airport", 0))
	if st != http.StatusOK || out["pending_seq"] != float64(1) {
		t.Fatalf("autosave of a live article: %d %v, want 200 and pending_seq 1", st, out)
	}
	if got := h.readerHeadline(t, a); got != "Tram line extended" {
		t.Errorf("readers see %q after an autosave, want the live headline", got)
	}
	if st, _ := ed.autosave(t, a.ID, form("Again", 0)); st != http.StatusConflict {
		t.Errorf("autosave from a stale draft: %d, want 409", st)
	}
	if st, _ := con.autosave(t, a.ID, form("By a contributor", 1)); st != http.StatusForbidden {
		t.Errorf("contributor autosave of a live article: %d, want 403", st)
	}
	if d, _ := h.st.PendingDraft(ctx, a.ID); d.Seq != 1 || d.Snapshot.Headline != "Tram line extended to the airport" {
		t.Errorf("draft after refusals: seq %d %q", d.Seq, d.Snapshot.Headline)
	}

	at := h.clk.Now().Add(3 * time.Hour).UTC().Truncate(time.Minute)
	f := form("Tram line extended to the airport", 1)
	f.Set("action", "schedule_pending")
	f.Set("changes_at", at.Format("2006-01-02T15:04"))
	if res, _ := ed.post(t, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule changes: %d", res.StatusCode)
	}
	f = form("Tram line extended to the airport, at last", 2)
	f.Set("action", "save_pending")
	if res, _ := ed.post(t, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft again: %d", res.StatusCode)
	}
	if st, _ := ed.autosave(t, a.ID, form("Tram line extended to the airport, at last!", 3)); st != http.StatusOK {
		t.Fatalf("autosave: %d", st)
	}
	d, _ := h.st.PendingDraft(ctx, a.ID)
	if d.Seq != 4 || !d.PublishAt.Equal(at) {
		t.Errorf("after saving again: seq %d scheduled %v, want 4 and the schedule kept (%v)", d.Seq, d.PublishAt, at)
	}
	f = form("Tram line extended to the airport, at last!", 4)
	f.Set("action", "schedule_pending")
	f.Set("changes_at", "")
	if res, _ := ed.post(t, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unschedule: %d", res.StatusCode)
	}
	if d, _ := h.st.PendingDraft(ctx, a.ID); !d.PublishAt.IsZero() || d.Snapshot.Headline != "Tram line extended to the airport, at last!" {
		t.Errorf("after emptying the time: scheduled %v, %q; want unscheduled, draft kept", d.PublishAt, d.Snapshot.Headline)
	}
	if live, _ := h.st.ArticleByID(ctx, a.ID); live.Headline != "Tram line extended" || live.Version != a.Version {
		t.Errorf("the live article changed: %q v%d", live.Headline, live.Version)
	}
}
