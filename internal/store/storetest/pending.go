package storetest

import (
	"sync"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("PendingDrafts", testPendingDrafts)
	register("PendingDraftsDueOnce", testPendingDue)
}

// testPendingDrafts: a draft of changes is kept beside the live article
// (which it never touches), saved again only from the Seq it was read
// at, and deleted only at that Seq.
func testPendingDrafts(t *testing.T, s news.Store) {
	f := Seed(t, s)
	live := Publish(t, s, f.Politics, "Live headline", "live body", time.Hour, []string{"Seoul"}, f.Kim)
	_, err := s.PendingDraft(ctx, live.ID)
	wantKind(t, err, news.KindNotFound)

	changed := live
	changed.Headline, changed.Body, changed.Authors = "Changed headline", "changed body", []news.Author{f.Kim, f.Lee}
	d := news.PendingDraft{ArticleID: live.ID, BaseVersion: live.Version, UserID: 3, UserName: "Ed", Snapshot: changed}
	must(t, s.PutPendingDraft(ctx, &d))
	if d.Seq != 1 || d.SavedAt.IsZero() {
		t.Fatalf("after first put: seq %d saved %v; want 1 and a time", d.Seq, d.SavedAt)
	}
	got, err := s.PendingDraft(ctx, live.ID)
	must(t, err)
	if got.Seq != 1 || got.BaseVersion != live.Version || got.UserName != "Ed" || got.Snapshot.Headline != "Changed headline" ||
		len(got.Snapshot.Authors) != 2 || !got.PublishAt.IsZero() || !got.SavedAt.Equal(d.SavedAt.Truncate(time.Millisecond)) {
		t.Errorf("draft read back = %+v", got)
	}
	still, err := s.ArticleByID(ctx, live.ID)
	must(t, err)
	if still.Headline != "Live headline" || still.Version != live.Version {
		t.Errorf("live article = %q v%d after a draft of changes; want it untouched (%q v%d)", still.Headline, still.Version, live.Headline, live.Version)
	}

	// A second "first" draft, or a save from an older Seq, is refused.
	other := news.PendingDraft{ArticleID: live.ID, BaseVersion: live.Version, Snapshot: live}
	wantKind(t, s.PutPendingDraft(ctx, &other), news.KindConflict)
	again := got
	again.Snapshot.Headline = "Second try"
	again.PublishAt = time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC)
	must(t, s.PutPendingDraft(ctx, &again))
	if again.Seq != 2 {
		t.Errorf("seq after second put = %d, want 2", again.Seq)
	}
	stale := got
	stale.Snapshot.Headline = "Stale"
	wantKind(t, s.PutPendingDraft(ctx, &stale), news.KindConflict)
	now, err := s.PendingDraft(ctx, live.ID)
	must(t, err)
	if now.Snapshot.Headline != "Second try" || !now.PublishAt.Equal(again.PublishAt) {
		t.Errorf("after refused save: %q at %v; want %q at %v", now.Snapshot.Headline, now.PublishAt, "Second try", again.PublishAt)
	}
	next, err := s.NextPendingDue(ctx)
	must(t, err)
	if !next.Equal(again.PublishAt) {
		t.Errorf("NextPendingDue = %v, want %v", next, again.PublishAt)
	}

	other2 := Publish(t, s, f.Business, "Second live", "x", time.Hour, nil)
	later := news.PendingDraft{ArticleID: other2.ID, BaseVersion: other2.Version, SavedAt: d.SavedAt.Add(time.Minute), Snapshot: other2}
	must(t, s.PutPendingDraft(ctx, &later))
	list, total, err := s.ListPendingDrafts(ctx, 1)
	must(t, err)
	if total != 2 || len(list) != 1 || list[0].ArticleID != other2.ID || list[0].Snapshot.Headline != "Second live" {
		t.Errorf("ListPendingDrafts(1) = %d of %d, first %+v; want the later one of 2", len(list), total, list)
	}
	must(t, s.DeletePendingDraft(ctx, other2.ID, 1))

	missing := news.PendingDraft{ArticleID: live.ID + 1000, Snapshot: live}
	wantKind(t, s.PutPendingDraft(ctx, &missing), news.KindNotFound)

	wantKind(t, s.DeletePendingDraft(ctx, live.ID, 1), news.KindConflict)
	must(t, s.DeletePendingDraft(ctx, live.ID, 2))
	_, err = s.PendingDraft(ctx, live.ID)
	wantKind(t, err, news.KindNotFound)
	wantKind(t, s.DeletePendingDraft(ctx, live.ID, 2), news.KindNotFound)
	// The draft of a deleted seq cannot be saved again from it.
	wantKind(t, s.PutPendingDraft(ctx, &again), news.KindConflict)
	if next, err := s.NextPendingDue(ctx); err != nil || !next.IsZero() {
		t.Errorf("NextPendingDue with none = %v, %v; want zero", next, err)
	}
}

// testPendingDue: due drafts of changes are handed out once, however
// many callers race; drafts not yet due stay scheduled.
func testPendingDue(t *testing.T, s news.Store) {
	f := Seed(t, s)
	now := time.Now().UTC().Truncate(time.Millisecond)
	var due []int64
	for i := range 6 {
		a := Publish(t, s, f.Politics, "Story", "b", time.Hour, nil)
		at := now.Add(-time.Minute)
		if i == 5 {
			at = now.Add(time.Hour)
		} else {
			due = append(due, a.ID)
		}
		d := news.PendingDraft{ArticleID: a.ID, BaseVersion: a.Version, PublishAt: at, Snapshot: a}
		must(t, s.PutPendingDraft(ctx, &d))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.ClaimDuePendingDrafts(ctx, now)
			if err != nil {
				t.Errorf("claim: %v", err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, d := range got {
				seen[d.ArticleID]++
				if d.Seq != 1 || d.Snapshot.ID != d.ArticleID || !d.PublishAt.IsZero() {
					t.Errorf("claimed draft = seq %d snapshot %d publish_at %v", d.Seq, d.Snapshot.ID, d.PublishAt)
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != len(due) {
		t.Errorf("claimed %d drafts, want %d", len(seen), len(due))
	}
	for _, id := range due {
		if seen[id] != 1 {
			t.Errorf("draft of article %d claimed %d times, want once", id, seen[id])
		}
	}
	next, err := s.NextPendingDue(ctx)
	must(t, err)
	if !next.Equal(now.Add(time.Hour)) {
		t.Errorf("NextPendingDue = %v, want the one left at %v", next, now.Add(time.Hour))
	}
	// A claimed draft is kept (unscheduled) until published or discarded.
	d, err := s.PendingDraft(ctx, due[0])
	must(t, err)
	if !d.PublishAt.IsZero() {
		t.Errorf("claimed draft still scheduled at %v", d.PublishAt)
	}
}
