package storetest

import (
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("Stories", testStories)
	register("StoryEntries", testStoryEntries)
	register("StoryBox", testStoryBox)
	register("StoryCandidatesAndFlags", testStoryCandidates)
}

// testStories: a story round-trips with its tags; its summary is
// versioned; stale versions, duplicate slugs and bad input are refused.
func testStories(t *testing.T, s news.Store) {
	f := Seed(t, s)
	st := news.Story{Title: "  Self-reliance campaign  ", Standfirst: "State media's drive.", Summary: "What we know: little.",
		SectionID: f.National.ID, Tags: []string{"North Korea", "north korea", "Economy"}, Live: true}
	must(t, s.CreateStory(ctx, &st, 7))
	if st.ID == 0 || st.Slug != "self-reliance-campaign" || st.Version != 1 || st.SummaryVersion != 1 || st.CoverageStart.IsZero() {
		t.Fatalf("created story = %+v; want an id, the slug from the title, version 1, summary version 1, coverage start", st)
	}
	got, err := s.StoryBySlug(ctx, "self-reliance-campaign")
	must(t, err)
	if got.ID != st.ID || got.Title != "Self-reliance campaign" || !got.Live || got.SectionID != f.National.ID || got.Status != news.StoryDeveloping {
		t.Errorf("StoryBySlug = %+v", got)
	}
	if len(got.Tags) != 2 || got.Tags[0] != "north korea" || got.Tags[1] != "economy" {
		t.Errorf("tags = %q, want [north korea economy]", got.Tags)
	}
	if !got.CoverageStart.Equal(st.CoverageStart) {
		t.Errorf("coverage start = %v, want %v", got.CoverageStart, st.CoverageStart)
	}

	// Editing the summary keeps the old version.
	got.Summary = "What we know: more."
	got.Status = news.StoryDormant
	must(t, s.UpdateStory(ctx, &got, 8))
	if got.Version != 2 || got.SummaryVersion != 2 {
		t.Errorf("after update version %d summary version %d, want 2 and 2", got.Version, got.SummaryVersion)
	}
	// A save that changes no summary adds no version.
	got.Title = "Self-reliance"
	must(t, s.UpdateStory(ctx, &got, 8))
	vs, err := s.StorySummaries(ctx, st.ID)
	must(t, err)
	if len(vs) != 2 || vs[0].Version != 2 || vs[0].Summary != "What we know: more." || vs[0].EditorID != 8 || vs[1].Summary != "What we know: little." {
		t.Errorf("summaries = %+v, want versions 2 (by 8) and 1", vs)
	}
	again, err := s.StoryByID(ctx, st.ID)
	must(t, err)
	if again.Title != "Self-reliance" || again.Status != news.StoryDormant || again.Slug != "self-reliance-campaign" {
		t.Errorf("StoryByID after update = %+v", again)
	}

	stale := st // version 1
	stale.Title = "Overwrite"
	wantKind(t, s.UpdateStory(ctx, &stale, 1), news.KindConflict)
	dup := news.Story{Title: "Self-reliance campaign"}
	wantKind(t, s.CreateStory(ctx, &dup, 1), news.KindConflict)
	wantKind(t, s.CreateStory(ctx, &news.Story{Title: "  "}, 1), news.KindInvalid)
	wantKind(t, s.CreateStory(ctx, &news.Story{Title: "X", Status: "closed"}, 1), news.KindInvalid)
	wantKind(t, s.CreateStory(ctx, &news.Story{Title: "X", Slug: "Bad Slug"}, 1), news.KindInvalid)
	missing := news.Story{ID: 999999, Title: "Nope", Version: 1}
	wantKind(t, s.UpdateStory(ctx, &missing, 1), news.KindNotFound)
	_, err = s.StoryBySlug(ctx, "nope")
	wantKind(t, err, news.KindNotFound)

	other := news.Story{Title: "Budget talks", Status: news.StoryConcluded}
	must(t, s.CreateStory(ctx, &other, 1))
	all, err := s.ListStories(ctx, news.StoryQuery{})
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("ListStories = %d stories, want 2", len(all))
	}
	open, err := s.ListStories(ctx, news.StoryQuery{OpenOnly: true})
	must(t, err)
	if len(open) != 1 || open[0].ID != st.ID || len(open[0].Tags) != 2 {
		t.Errorf("open stories = %+v, want just the dormant one with its tags", open)
	}
}

// testStoryEntries: articles and updates in one chronology by event time,
// the kind filter, visibility of article entries, the live cursor, edits,
// deletes and refusals.
func testStoryEntries(t *testing.T, s news.Store) {
	f := Seed(t, s)
	st := news.Story{Title: "Flood"}
	must(t, s.CreateStory(ctx, &st, 0))
	art := Publish(t, s, f.National, "River bursts its banks", "Water rose overnight.", 3*time.Hour, nil, f.Kim)
	draft := news.Article{SectionID: f.National.ID, Headline: "Draft", Body: "x", Status: news.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))

	base := time.Now().UTC().Truncate(time.Millisecond)
	e1 := news.StoryEntry{StoryID: st.ID, ArticleID: art.ID, Kind: news.EntryKeyEvent, PublishedAt: base.Add(-55 * time.Minute)}
	must(t, s.AddStoryEntry(ctx, &e1))
	if !e1.EventAt.Equal(art.PublishedAt) {
		t.Errorf("article entry event time = %v, want the article's publication %v", e1.EventAt, art.PublishedAt)
	}
	e2 := news.StoryEntry{StoryID: st.ID, Text: "Evacuations begin in the lower town.", EventAt: base.Add(-time.Hour), PublishedAt: base.Add(-50 * time.Minute),
		Image: &news.Image{URL: "/media/a.jpg", Alt: "Boats"}, Embed: "https://www.youtube.com/watch?v=abcdefghijk"}
	must(t, s.AddStoryEntry(ctx, &e2))
	e3 := news.StoryEntry{StoryID: st.ID, Text: "Background: the 2020 flood.", Kind: news.EntryBackground, EventAt: base.Add(-24 * 365 * time.Hour), PublishedAt: base.Add(-40 * time.Minute)}
	must(t, s.AddStoryEntry(ctx, &e3))
	e4 := news.StoryEntry{StoryID: st.ID, ArticleID: draft.ID, PublishedAt: base.Add(-30 * time.Minute)}
	must(t, s.AddStoryEntry(ctx, &e4))

	list, err := s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: base})
	must(t, err)
	if got := ids(list); !equalIDs(got, []int64{e2.ID, e1.ID, e3.ID}) {
		t.Fatalf("chronology = %v, want %v (by event time; the draft's entry hidden)", got, []int64{e2.ID, e1.ID, e3.ID})
	}
	if a := list[1].Article; a == nil || a.Headline != "River bursts its banks" || a.Slug != art.Slug || a.SectionID != f.National.ID {
		t.Errorf("article entry's article = %+v", a)
	}
	if e := list[0]; e.Image == nil || e.Image.Alt != "Boats" || e.Embed == "" || e.Kind != news.EntryUpdate || e.Article != nil {
		t.Errorf("update entry = %+v", e)
	}
	all, err := s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID})
	must(t, err)
	if len(all) != 4 {
		t.Errorf("the newsroom's list has %d entries, want 4 (drafts included)", len(all))
	}
	newest, err := s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: base, Newest: true})
	must(t, err)
	if got := ids(newest); !equalIDs(got, []int64{e3.ID, e2.ID, e1.ID}) {
		t.Errorf("newest first = %v, want %v (by published time)", got, []int64{e3.ID, e2.ID, e1.ID})
	}
	keys, err := s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: base, Kind: news.EntryKeyEvent})
	must(t, err)
	if got := ids(keys); !equalIDs(got, []int64{e1.ID}) {
		t.Errorf("key events = %v, want [%d]", got, e1.ID)
	}
	since, err := s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: base, Since: base.Add(-45 * time.Minute)})
	must(t, err)
	if got := ids(since); !equalIDs(got, []int64{e3.ID}) {
		t.Errorf("entries since the cursor = %v, want [%d]", got, e3.ID)
	}
	n, err := s.CountStoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: base})
	must(t, err)
	if n != 3 {
		t.Errorf("CountStoryEntries = %d, want 3", n)
	}
	got, err := s.StoryByID(ctx, st.ID)
	must(t, err)
	if got.LastEntryAt.IsZero() || got.LastEntryAt.Before(e4.PublishedAt) {
		t.Errorf("LastEntryAt = %v, want at least %v", got.LastEntryAt, e4.PublishedAt)
	}
	mem, err := s.StoryArticleIDs(ctx, st.ID)
	must(t, err)
	if !equalIDs(mem, sortedIDs(art.ID, draft.ID)) {
		t.Errorf("StoryArticleIDs = %v, want %v", mem, sortedIDs(art.ID, draft.ID))
	}

	// Edit: kind, text, pin; the image goes.
	e2.Kind, e2.Text, e2.Pinned, e2.Image = news.EntryCorrection, "Evacuations began at 6.", true, nil
	must(t, s.UpdateStoryEntry(ctx, &e2))
	list, err = s.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: base, Kind: news.EntryCorrection})
	must(t, err)
	if len(list) != 1 || list[0].Text != "Evacuations began at 6." || !list[0].Pinned || list[0].Image != nil {
		t.Errorf("edited entry = %+v", list)
	}

	// Refusals: nothing stored changes.
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, ArticleID: art.ID}), news.KindConflict)
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, Text: " "}), news.KindInvalid)
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, Text: "x", Kind: "rumour"}), news.KindInvalid)
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, Text: "x", Image: &news.Image{URL: "/media/x.jpg"}}), news.KindInvalid)
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, Text: "x", Embed: "javascript:alert(1)"}), news.KindInvalid)
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: 999999, Text: "x"}), news.KindNotFound)
	wantKind(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: st.ID, ArticleID: 999999}), news.KindNotFound)
	wantKind(t, s.UpdateStoryEntry(ctx, &news.StoryEntry{ID: e2.ID, StoryID: 999999, Text: "x", EventAt: base}), news.KindNotFound)
	n, err = s.CountStoryEntries(ctx, news.EntryQuery{StoryID: st.ID})
	must(t, err)
	if n != 4 {
		t.Errorf("after refusals %d entries, want 4", n)
	}

	wantKind(t, s.DeleteStoryEntry(ctx, 999999, e3.ID), news.KindNotFound)
	must(t, s.DeleteStoryEntry(ctx, st.ID, e3.ID))
	wantKind(t, s.DeleteStoryEntry(ctx, st.ID, e3.ID), news.KindNotFound)
}

// testStoryBox: the member box shows the newest entries, the newest key
// event, and how many entries came after the reader's installment.
func testStoryBox(t *testing.T, s news.Store) {
	f := Seed(t, s)
	st := news.Story{Title: "Election night", Live: true}
	must(t, s.CreateStory(ctx, &st, 0))
	base := time.Now().UTC().Truncate(time.Millisecond)
	older := Publish(t, s, f.Politics, "Polls open", "Queues early.", 5*time.Hour, nil)
	newer := Publish(t, s, f.Politics, "Polls close", "Counting starts.", 2*time.Hour, nil)
	loner := Publish(t, s, f.Politics, "Unrelated", "Other.", time.Hour, nil)

	add := func(e news.StoryEntry) news.StoryEntry {
		t.Helper()
		e.StoryID = st.ID
		must(t, s.AddStoryEntry(ctx, &e))
		return e
	}
	eOld := add(news.StoryEntry{ArticleID: older.ID, PublishedAt: base.Add(-5 * time.Hour)})
	key := add(news.StoryEntry{Text: "Turnout passes 60%.", Kind: news.EntryKeyEvent, PublishedAt: base.Add(-4 * time.Hour)})
	add(news.StoryEntry{Text: "First exit poll.", PublishedAt: base.Add(-3 * time.Hour)})
	eNew := add(news.StoryEntry{ArticleID: newer.ID, PublishedAt: base.Add(-2 * time.Hour)})
	last := add(news.StoryEntry{Text: "Result expected at midnight.", PublishedAt: base.Add(-time.Hour)})

	box, err := s.StoryBoxOf(ctx, older.ID, base, 3)
	must(t, err)
	if box.Story.ID != st.ID || box.Story.Title != "Election night" || !box.Story.Live {
		t.Errorf("box story = %+v", box.Story)
	}
	if got := ids(box.Latest); !equalIDs(got, []int64{last.ID, eNew.ID, eNew.ID - 1}) {
		t.Errorf("latest = %v, want the three newest by published time", got)
	}
	if box.KeyEvent == nil || box.KeyEvent.ID != key.ID || box.KeyEvent.Text != "Turnout passes 60%." {
		t.Errorf("key event = %+v, want entry %d", box.KeyEvent, key.ID)
	}
	if box.Newer != 4 {
		t.Errorf("newer than the oldest installment = %d, want 4", box.Newer)
	}
	box, err = s.StoryBoxOf(ctx, newer.ID, base, 3)
	must(t, err)
	if box.Newer != 1 {
		t.Errorf("newer than the second installment = %d, want 1", box.Newer)
	}
	if len(box.Latest) != 3 || box.Latest[1].Article == nil || box.Latest[1].Article.Headline != "Polls close" {
		t.Errorf("latest = %+v, want the second installment's article in the middle", box.Latest)
	}
	// Entries readers cannot see yet are neither listed nor counted: 150
	// minutes ago the second installment (and the entries after it) were
	// not out.
	box, err = s.StoryBoxOf(ctx, older.ID, base.Add(-150*time.Minute), 10)
	must(t, err)
	if box.Newer != 2 || len(box.Latest) != 3 {
		t.Errorf("at an earlier clock: newer %d, %d latest; want 2 and 3", box.Newer, len(box.Latest))
	}
	if box.Latest[2].ID != eOld.ID {
		t.Errorf("oldest of the box = %d, want the first installment %d", box.Latest[2].ID, eOld.ID)
	}
	_, err = s.StoryBoxOf(ctx, loner.ID, base, 3)
	wantKind(t, err, news.KindNotFound)
}

// testStoryCandidates: open stories come with their recent text and
// members; flags are kept once per pair and can be dismissed.
func testStoryCandidates(t *testing.T, s news.Store) {
	f := Seed(t, s)
	open := news.Story{Title: "Drought", Standfirst: "Reservoirs low.", Tags: []string{"weather"}}
	must(t, s.CreateStory(ctx, &open, 0))
	done := news.Story{Title: "Old war", Status: news.StoryConcluded}
	must(t, s.CreateStory(ctx, &done, 0))
	a := Publish(t, s, f.National, "Reservoir at record low", "Dry.", time.Hour, nil)
	must(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: open.ID, ArticleID: a.ID}))
	must(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: open.ID, Text: "Ancient note", PublishedAt: time.Now().Add(-60 * 24 * time.Hour)}))
	cs, err := s.StoryCandidates(ctx, time.Now().Add(-30*24*time.Hour))
	must(t, err)
	if len(cs) != 1 || cs[0].Story.ID != open.ID {
		t.Fatalf("candidates = %+v, want only the open story", cs)
	}
	c := cs[0]
	if !strings.Contains(c.Text, "Reservoir at record low") || !strings.Contains(c.Text, "Drought") || strings.Contains(c.Text, "Ancient note") {
		t.Errorf("candidate text = %q: want the title and the recent headline, not the old note", c.Text)
	}
	if len(c.Tags) != 1 || c.Tags[0] != "weather" || !equalIDs(c.ArticleIDs, []int64{a.ID}) {
		t.Errorf("candidate tags %q members %v", c.Tags, c.ArticleIDs)
	}

	fl := news.StoryFlag{StoryID: open.ID, ArticleID: a.ID, Score: 0.5}
	must(t, s.FlagStory(ctx, &fl))
	fl2 := news.StoryFlag{StoryID: open.ID, ArticleID: a.ID, Score: 0.7}
	must(t, s.FlagStory(ctx, &fl2))
	flags, err := s.StoryFlags(ctx, 10)
	must(t, err)
	if len(flags) != 1 || flags[0].StoryName != "Drought" || flags[0].Headline != "Reservoir at record low" || flags[0].Score != 0.7 {
		t.Fatalf("flags = %+v, want one, scored 0.7", flags)
	}
	must(t, s.DismissStoryFlag(ctx, flags[0].ID))
	flags, err = s.StoryFlags(ctx, 10)
	must(t, err)
	if len(flags) != 0 {
		t.Errorf("after dismissing: %d flags, want 0", len(flags))
	}
	wantKind(t, s.DismissStoryFlag(ctx, 999999), news.KindNotFound)
}

func ids(es []news.StoryEntry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sortedIDs(a, b int64) []int64 {
	if a > b {
		a, b = b, a
	}
	return []int64{a, b}
}
