package storetest

import (
	"slices"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("ModRulesVersionsAndOrder", testModRules)
	register("ModRuleArticleMetadata", testRuleArticle)
}

func testModRules(t *testing.T, s news.Store) {
	f := Seed(t, s)
	courts := news.ModRule{Name: "Court cases", When: news.RuleWhen{Flags: []string{news.FlagCourtCase}, Tags: []string{"Court"}},
		Action: news.RulePremoderate, Message: "Read before publication.", Clause: "4", Editor: "ed@byline.example"}
	must(t, s.SaveModRule(ctx, &courts))
	if courts.ID == 0 || courts.Version != 1 || courts.Position != 1 {
		t.Fatalf("new rule = id %d v%d pos %d, want an id, v1, pos 1", courts.ID, courts.Version, courts.Position)
	}
	night := news.ModRule{Name: "Night", When: news.RuleWhen{SectionIDs: []int64{f.National.ID}, From: "22:00", Until: "06:00"},
		Action: news.RuleClosed, Message: "Closed at night.", Clause: "7"}
	must(t, s.SaveModRule(ctx, &night))
	if night.Position != 2 {
		t.Errorf("second rule position = %d, want 2 (last)", night.Position)
	}

	// A new version keeps the old one; a stale version is refused.
	edit := courts
	edit.Message = "Held: a court case is active."
	edit.Note = "clearer message"
	must(t, s.SaveModRule(ctx, &edit))
	if edit.Version != 2 {
		t.Errorf("edited version = %d, want 2", edit.Version)
	}
	stale := courts // still version 1
	stale.Name = "Stale"
	wantKind(t, s.SaveModRule(ctx, &stale), news.KindConflict)
	vs, err := s.ModRuleVersions(ctx, courts.ID)
	must(t, err)
	if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[1].Message != "Read before publication." || vs[0].Note != "clearer message" {
		t.Fatalf("versions = %+v, want v2 then the untouched v1", vs)
	}
	if got := vs[1].When; !slices.Equal(got.Tags, []string{"court"}) || !slices.Equal(got.Flags, []string{news.FlagCourtCase}) {
		t.Errorf("v1 condition = %+v, want tag court (normalised), flag court case", got)
	}
	got, err := s.ModRuleByID(ctx, night.ID)
	must(t, err)
	if got.When.From != "22:00" || got.When.Until != "06:00" || !slices.Equal(got.When.SectionIDs, []int64{f.National.ID}) || got.Action != news.RuleClosed {
		t.Errorf("night rule = %+v", got)
	}
	if got.CreatedAt.IsZero() || time.Since(got.CreatedAt) > time.Hour {
		t.Errorf("created at = %v", got.CreatedAt)
	}

	// Order: night first.
	must(t, s.OrderModRules(ctx, []int64{night.ID}))
	list, err := s.ModRules(ctx)
	must(t, err)
	if len(list) != 2 || list[0].ID != night.ID || list[1].ID != courts.ID || list[1].Version != 2 {
		t.Fatalf("rules = %+v, want night then courts v2", list)
	}
	wantKind(t, s.OrderModRules(ctx, []int64{99999}), news.KindNotFound)

	// Retired rules leave the list, keep their history, take no versions.
	must(t, s.RetireModRule(ctx, night.ID))
	list, err = s.ModRules(ctx)
	must(t, err)
	if len(list) != 1 || list[0].ID != courts.ID {
		t.Errorf("after retiring = %+v, want courts only", list)
	}
	if vs, err := s.ModRuleVersions(ctx, night.ID); err != nil || len(vs) != 1 || !vs[0].Retired {
		t.Errorf("retired rule's versions = %+v, %v", vs, err)
	}
	again, _ := s.ModRuleByID(ctx, night.ID)
	wantKind(t, s.SaveModRule(ctx, &again), news.KindConflict)
	wantKind(t, s.RetireModRule(ctx, 99999), news.KindNotFound)
	_, err = s.ModRuleByID(ctx, 99999)
	wantKind(t, err, news.KindNotFound)
	_, err = s.ModRuleVersions(ctx, 99999)
	wantKind(t, err, news.KindNotFound)

	// Refusals: nothing stored.
	for _, bad := range []news.ModRule{
		{Name: "", Action: news.RuleOpen},
		{Name: "x", Action: "maybe"},
		{Name: "x", Action: news.RuleClosed, Message: "closed"},                                // no clause
		{Name: "x", Action: news.RuleClosed, Clause: "1"},                                      // no message
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{From: "22:00"}},                 // half a window
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{From: "25:00", Until: "06:00"}}, // bad time
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{From: "06:00", Until: "06:00"}}, // empty window
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{Flags: []string{"celebrity"}}},  // unknown flag
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{OlderThanDays: -1}},
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{StoryStatuses: []news.StoryStatus{"finished"}}},
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{StoryIDs: []int64{-1}}},                           // negative age
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{Tags: []string{" "}}},                             // empty tag
		{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{SectionIDs: []int64{0}}, Message: "", Clause: ""}, // bad section
	} {
		wantKind(t, s.SaveModRule(ctx, &bad), news.KindInvalid)
	}
	if list, _ := s.ModRules(ctx); len(list) != 1 {
		t.Errorf("after refusals %d rules, want 1", len(list))
	}
}

func testRuleArticle(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Trial opens", "Text", 48*time.Hour, []string{"court", "seoul"})
	got, err := s.RuleArticle(ctx, a.ID)
	must(t, err)
	slices.Sort(got.Sections)
	want := []int64{f.National.ID, f.Politics.ID}
	slices.Sort(want)
	if !slices.Equal(got.Sections, want) {
		t.Errorf("sections = %v, want politics and its parent national %v", got.Sections, want)
	}
	slices.Sort(got.Tags)
	if !slices.Equal(got.Tags, []string{"court", "seoul"}) || len(got.Flags) != 0 {
		t.Errorf("tags %v flags %v", got.Tags, got.Flags)
	}
	if !got.PublishedAt.Equal(a.PublishedAt) {
		t.Errorf("published %v, want %v", got.PublishedAt, a.PublishedAt)
	}

	must(t, s.SetArticleFlags(ctx, a.ID, []string{news.FlagCourtCase, news.FlagMinors, news.FlagCourtCase}))
	got, err = s.RuleArticle(ctx, a.ID)
	must(t, err)
	slices.Sort(got.Flags)
	if !slices.Equal(got.Flags, []string{news.FlagCourtCase, news.FlagMinors}) {
		t.Errorf("flags = %v", got.Flags)
	}
	wantKind(t, s.SetArticleFlags(ctx, a.ID, []string{"celebrity"}), news.KindInvalid)
	got, _ = s.RuleArticle(ctx, a.ID)
	if len(got.Flags) != 2 {
		t.Errorf("a refused change kept flags %v, want the 2 before", got.Flags)
	}
	must(t, s.SetArticleFlags(ctx, a.ID, nil))
	if got, _ = s.RuleArticle(ctx, a.ID); len(got.Flags) != 0 {
		t.Errorf("cleared flags = %v", got.Flags)
	}
	wantKind(t, s.SetArticleFlags(ctx, 99999, nil), news.KindNotFound)
	_, err = s.RuleArticle(ctx, 99999)
	wantKind(t, err, news.KindNotFound)

	// Stories the article is in, with their statuses, read now.
	if got, _ := s.RuleArticle(ctx, a.ID); len(got.Stories) != 0 {
		t.Errorf("stories before joining one = %v", got.Stories)
	}
	story := news.Story{Title: "Ferry trial"}
	must(t, s.CreateStory(ctx, &story, 1))
	must(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: story.ID, ArticleID: a.ID}))
	got, err = s.RuleArticle(ctx, a.ID)
	must(t, err)
	if !slices.Equal(got.Stories, []int64{story.ID}) || !slices.Equal(got.StoryStatuses, []news.StoryStatus{news.StoryDeveloping}) {
		t.Errorf("stories %v statuses %v, want the ferry trial, developing", got.Stories, got.StoryStatuses)
	}
	story.Status = news.StoryConcluded
	must(t, s.UpdateStory(ctx, &story, 1))
	if got, _ = s.RuleArticle(ctx, a.ID); !slices.Equal(got.StoryStatuses, []news.StoryStatus{news.StoryConcluded}) {
		t.Errorf("after concluding the story: %v, want concluded at once", got.StoryStatuses)
	}

	// A top-level section is its own chain.
	b := Publish(t, s, f.Business, "Markets", "Text", time.Hour, nil)
	if got, _ := s.RuleArticle(ctx, b.ID); !slices.Equal(got.Sections, []int64{f.Business.ID}) {
		t.Errorf("business sections = %v", got.Sections)
	}
}
