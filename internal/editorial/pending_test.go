package editorial_test

import (
	"errors"
	"testing"
	"time"

	"byline/internal/editorial"
	"byline/internal/news"
)

func (e *env) published(t *testing.T, headline string) news.Article {
	t.Helper()
	a := e.draft(t, editor, headline)
	p, err := e.svc.Publish(ctx, editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func liveHeadline(t *testing.T, e *env, id int64) string {
	t.Helper()
	page, err := e.st.ListArticles(ctx, news.ArticleQuery{Now: e.clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range page.Articles {
		if a.ID == id {
			return a.Headline
		}
	}
	t.Fatalf("article %d not visible", id)
	return ""
}

// A draft of changes leaves the live article alone until published; then
// it goes live with a revision and an update event, and the draft is gone.
func TestPendingDraftSaveAndPublish(t *testing.T) {
	e := setup(t)
	p := e.published(t, "Live headline")
	events, revs := e.rec.types(), 1

	edit := p
	edit.Headline = "Prepared headline"
	edit.Body = "A rewritten first paragraph.\n\nSecond paragraph."
	d, err := e.svc.SavePending(ctx, editor, &edit, 0, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Seq != 1 || d.BaseVersion != p.Version || d.UserName != "Ed" {
		t.Errorf("draft = seq %d base %d by %q; want 1, %d, Ed", d.Seq, d.BaseVersion, d.UserName, p.Version)
	}
	if got := liveHeadline(t, e, p.ID); got != "Live headline" {
		t.Errorf("readers see %q after a draft of changes, want the live headline", got)
	}
	if cur, _ := e.svc.Get(ctx, p.ID); cur.Version != p.Version || cur.Headline != "Live headline" {
		t.Errorf("live article v%d %q, want v%d untouched", cur.Version, cur.Headline, p.Version)
	}
	if got := e.rec.types(); got != events {
		t.Errorf("events after a draft of changes = %q, want none new (%q)", got, events)
	}
	if rs, _ := e.svc.Revisions(ctx, p.ID); len(rs) != revs {
		t.Errorf("revisions = %d, want %d (a draft is no revision)", len(rs), revs)
	}
	var sawDel, sawIns bool
	for _, l := range editorial.DiffPending(p, d) {
		sawDel = sawDel || (l.Op == editorial.Delete && l.Text == "Headline: Live headline")
		sawIns = sawIns || (l.Op == editorial.Insert && l.Text == "Headline: Prepared headline")
	}
	if !sawDel || !sawIns {
		t.Errorf("diff against live lacks the headline change: %+v", editorial.DiffPending(p, d))
	}

	// Contributors may neither prepare nor publish changes to live articles.
	if _, err := e.svc.SavePending(ctx, contributor, &edit, 1, time.Time{}); news.KindOf(err) != news.KindForbidden {
		t.Errorf("contributor draft of changes: %v, want forbidden", err)
	}
	if _, err := e.svc.PublishPending(ctx, contributor, p.ID, 1); news.KindOf(err) != news.KindForbidden {
		t.Errorf("contributor publish of changes: %v, want forbidden", err)
	}
	// Publishing from a stale draft is refused.
	if _, err := e.svc.PublishPending(ctx, editor, p.ID, 7); news.KindOf(err) != news.KindConflict {
		t.Errorf("publish of seq 7: %v, want conflict", err)
	}

	e.clk.Add(time.Minute)
	live, err := e.svc.PublishPending(ctx, editor, p.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if live.Headline != "Prepared headline" || liveHeadline(t, e, p.ID) != "Prepared headline" || !live.UpdatedAt.Equal(e.clk.Now()) {
		t.Errorf("after publish of changes: %q updated %v; want the draft live, updated now", live.Headline, live.UpdatedAt)
	}
	if rs, _ := e.svc.Revisions(ctx, p.ID); len(rs) != revs+1 || rs[0].Note != "publish of changes" || rs[0].Snapshot.Headline != "Prepared headline" {
		t.Errorf("revisions after publish of changes: %d, newest %+v", len(rs), rs[0].Note)
	}
	if got, want := e.rec.types(), events+",update"; got != want {
		t.Errorf("events = %q, want %q", got, want)
	}
	if _, err := e.svc.Pending(ctx, p.ID); !news.IsNotFound(err) {
		t.Errorf("draft after publish: %v, want gone", err)
	}
}

// A draft of changes is refused from a stale live version (with the diff)
// and for an article that is not published; a second editor's draft is
// not overwritten; discard removes it and a direct save drops the one
// the form held.
func TestPendingDraftRefusals(t *testing.T) {
	e := setup(t)
	dr := e.draft(t, editor, "Not yet live")
	if _, err := e.svc.SavePending(ctx, editor, &dr, 0, time.Time{}); news.KindOf(err) != news.KindConflict {
		t.Errorf("draft of changes of a draft: %v, want conflict", err)
	}
	p := e.published(t, "Live")
	stale := p
	stale.Version--
	stale.Headline = "From an old tab"
	_, err := e.svc.SavePending(ctx, editor, &stale, 0, time.Time{})
	var ce *editorial.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("stale version: %v, want a *ConflictError", err)
	}
	bad := p
	bad.Headline = "  "
	if _, err := e.svc.SavePending(ctx, editor, &bad, 0, time.Time{}); news.KindOf(err) != news.KindInvalid {
		t.Errorf("empty headline: %v, want invalid", err)
	}
	if _, err := e.svc.Pending(ctx, p.ID); !news.IsNotFound(err) {
		t.Fatalf("refused saves stored a draft: %v", err)
	}

	mine, theirs := p, p
	mine.Headline, theirs.Headline = "Mine", "Theirs"
	if _, err := e.svc.SavePending(ctx, editor, &mine, 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SavePending(ctx, admin, &theirs, 0, time.Time{}); news.KindOf(err) != news.KindConflict {
		t.Errorf("second editor's first draft: %v, want conflict", err)
	}
	if d, _ := e.svc.Pending(ctx, p.ID); d.Snapshot.Headline != "Mine" {
		t.Errorf("draft headline %q, want Mine kept", d.Snapshot.Headline)
	}
	if err := e.svc.DiscardPending(ctx, contributor, p.ID, 1); news.KindOf(err) != news.KindForbidden {
		t.Errorf("contributor discard: %v, want forbidden", err)
	}
	if err := e.svc.DiscardPending(ctx, editor, p.ID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Pending(ctx, p.ID); !news.IsNotFound(err) {
		t.Errorf("after discard: %v, want none", err)
	}

	// "Update live article" from a form that held the draft drops it.
	held := p
	held.Headline = "Held"
	d, err := e.svc.SavePending(ctx, editor, &held, 0, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	held.Headline = "Held, then live"
	if err := e.svc.SaveLive(ctx, editor, &held, d.Seq); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Pending(ctx, p.ID); !news.IsNotFound(err) {
		t.Errorf("after saving live: %v, want the draft gone", err)
	}
	if got := liveHeadline(t, e, p.ID); got != "Held, then live" {
		t.Errorf("live headline %q", got)
	}
}

// A scheduled draft of changes goes live once at its time (the article's
// corrections kept); one for an article unpublished since is kept.
func TestPendingDraftScheduled(t *testing.T) {
	e := setup(t)
	p := e.published(t, "Before")
	edit := p
	edit.Headline = "After"
	at := e.clk.Now().Add(time.Hour)
	d, err := e.svc.SavePending(ctx, editor, &edit, 0, at)
	if err != nil {
		t.Fatal(err)
	}
	if !d.PublishAt.Equal(at) {
		t.Errorf("publish at %v, want %v", d.PublishAt, at)
	}
	if _, err := e.svc.Correct(ctx, editor, p.ID, news.KindCorrection, "An earlier version misnamed the ministry."); err != nil {
		t.Fatal(err)
	}
	if ids, err := e.svc.PublishDuePending(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("before its time: %v, %v", ids, err)
	}
	e.clk.Add(time.Hour)
	ids, err := e.svc.PublishDuePending(ctx)
	if err != nil || len(ids) != 1 || ids[0] != p.ID {
		t.Fatalf("at its time: %v, %v; want [%d]", ids, err, p.ID)
	}
	if again, _ := e.svc.PublishDuePending(ctx); len(again) != 0 {
		t.Errorf("published twice: %v", again)
	}
	got, _ := e.svc.Get(ctx, p.ID)
	if got.Headline != "After" || len(got.Corrections) != 1 {
		t.Errorf("live: %q with %d corrections; want After and the correction kept", got.Headline, len(got.Corrections))
	}
	if rs, _ := e.svc.Revisions(ctx, p.ID); rs[0].Note != "scheduled publish of changes" {
		t.Errorf("newest revision %q", rs[0].Note)
	}

	// Unpublished before its time: the draft stays, unscheduled.
	q := e.published(t, "Second")
	edit = q
	edit.Headline = "Second, changed"
	if _, err := e.svc.SavePending(ctx, editor, &edit, 0, e.clk.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Unpublish(ctx, editor, q.ID); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(time.Minute)
	if ids, _ := e.svc.PublishDuePending(ctx); len(ids) != 0 {
		t.Errorf("published changes of an unpublished article: %v", ids)
	}
	kept, err := e.svc.Pending(ctx, q.ID)
	if err != nil || kept.Snapshot.Headline != "Second, changed" || !kept.PublishAt.IsZero() {
		t.Errorf("kept draft = %+v, %v; want it unscheduled", kept.PublishAt, err)
	}
	if got, _ := e.svc.Get(ctx, q.ID); got.Headline != "Second" || got.Status != news.StatusDraft {
		t.Errorf("unpublished article became %q (%s)", got.Headline, got.Status)
	}
}
