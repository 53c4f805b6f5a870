package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("StoryEntryChanges", testStoryEntryChanges)
}

// testStoryEntryChanges: edits (pins included) and removals after a
// cursor are reported, new entries are not (StoryEntries has them), and
// the cursor moves past every change.
func testStoryEntryChanges(t *testing.T, s news.Store) {
	Seed(t, s)
	st := news.Story{Title: "Harbour strike", Live: true}
	must(t, s.CreateStory(ctx, &st, 0))
	var es []news.StoryEntry
	for _, text := range []string{"Dockers walk out.", "Talks begin.", "Talks stall."} {
		e := news.StoryEntry{StoryID: st.ID, Text: text}
		must(t, s.AddStoryEntry(ctx, &e))
		es = append(es, e)
	}
	since := es[2].PublishedAt
	// Changes come in a later millisecond than the cursor.
	for deadline := time.Now().Add(time.Second); time.Now().UnixMilli() <= since.UnixMilli(); {
		if time.Now().After(deadline) {
			t.Fatal("the clock does not move")
		}
	}
	none, err := s.StoryEntryChanges(ctx, st.ID, since, time.Now(), 50)
	must(t, err)
	if len(none.Changed) != 0 || len(none.Removed) != 0 || none.Cursor != 0 {
		t.Fatalf("changes with nothing changed = %+v", none)
	}
	es[0].Text, es[0].Pinned = "Dockers walk out at dawn.", true
	must(t, s.UpdateStoryEntry(ctx, &es[0]))
	must(t, s.DeleteStoryEntry(ctx, st.ID, es[1].ID))
	wantKind(t, s.DeleteStoryEntry(ctx, st.ID, es[1].ID), news.KindNotFound)
	fresh := news.StoryEntry{StoryID: st.ID, Text: "A deal."}
	must(t, s.AddStoryEntry(ctx, &fresh))

	got, err := s.StoryEntryChanges(ctx, st.ID, since, time.Now(), 50)
	must(t, err)
	if len(got.Changed) != 1 || got.Changed[0].ID != es[0].ID || got.Changed[0].Text != "Dockers walk out at dawn." || !got.Changed[0].Pinned {
		t.Errorf("changed = %+v, want the edited, pinned first entry only (not the new one)", got.Changed)
	}
	if len(got.Removed) != 1 || got.Removed[0] != es[1].ID {
		t.Errorf("removed = %v, want [%d]", got.Removed, es[1].ID)
	}
	if got.Cursor <= since.UnixMilli() {
		t.Errorf("cursor %d, want after %d", got.Cursor, since.UnixMilli())
	}
	after, err := s.StoryEntryChanges(ctx, st.ID, time.UnixMilli(got.Cursor), time.Now(), 50)
	must(t, err)
	if len(after.Changed) != 0 || len(after.Removed) != 0 {
		t.Errorf("changes after the cursor = %+v, want none", after)
	}
	// Another story's changes are not this one's.
	other := news.Story{Title: "Rail strike"}
	must(t, s.CreateStory(ctx, &other, 0))
	o, err := s.StoryEntryChanges(ctx, other.ID, since, time.Now(), 50)
	must(t, err)
	if len(o.Changed) != 0 || len(o.Removed) != 0 {
		t.Errorf("another story's changes = %+v", o)
	}
	// Entries remain listed as before.
	list, err := s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Newest: true})
	must(t, err)
	if len(list) != 3 {
		t.Errorf("%d entries after one removal, want 3", len(list))
	}
}
