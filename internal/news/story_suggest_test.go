package news

import (
	"strings"
	"testing"
	"time"
)

func TestEntities(t *testing.T) {
	got := Entities("The Joint Chiefs of Staff said on Friday that North Korea fired from Sukchon. 북한이 미사일을 발사했다. IAEA inspectors")
	for _, want := range []string{"joint chiefs", "staff", "north korea", "sukchon", "북한이", "iaea"} {
		if !got[want] {
			t.Errorf("Entities: %q missing from %v", want, got)
		}
	}
	for _, not := range []string{"the", "friday", "said"} {
		if got[not] {
			t.Errorf("Entities: %q should not be a name", not)
		}
	}
}

func TestSuggestStories(t *testing.T) {
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	missiles := StoryCandidate{Story: Story{ID: 1, Title: "North Korea's launches", Status: StoryDeveloping, LastEntryAt: now},
		Tags: []string{"north korea", "missiles"}, Text: "North Korea fires missiles into the East Sea, Joint Chiefs of Staff say. Launch from Sukchon."}
	chips := StoryCandidate{Story: Story{ID: 2, Title: "Chip exports", Status: StoryDeveloping},
		Tags: []string{"semiconductors"}, Text: "Hanseong HBM exports rise; Samsung and SK Hynix report."}
	done := StoryCandidate{Story: Story{ID: 3, Title: "Old launches", Status: StoryConcluded}, Tags: []string{"missiles"}, Text: "North Korea missiles"}
	member := StoryCandidate{Story: Story{ID: 4, Title: "Already in", Status: StoryDeveloping}, Tags: []string{"missiles"}, Text: "North Korea missiles", ArticleIDs: []int64{9}}
	a := Article{ID: 9, Headline: "North Korea fires cruise missile, Joint Chiefs say", BodyText: "The launch from Sukchon came at dawn.", Tags: []string{"missiles"}}
	got := SuggestStories(a, []StoryCandidate{chips, missiles, done, member}, 3)
	if len(got) != 1 || got[0].Story.ID != 1 {
		var ids []string
		for _, s := range got {
			ids = append(ids, s.Story.Title)
		}
		t.Fatalf("suggestions = %v, want only the open missiles story (not the concluded one, not the one it is in, not chips)", ids)
	}
	s := got[0]
	if strings.Join(s.Tags, ",") != "missiles" || len(s.Entities) < 2 || s.Text <= 0 {
		t.Errorf("why: tags %v names %v text %.2f", s.Tags, s.Entities, s.Text)
	}
	if s.Score < FlagMinScore {
		t.Errorf("score %.2f for a clear match, want at least the flag threshold %.2f", s.Score, FlagMinScore)
	}
	// Nothing in common: nothing offered.
	if got := SuggestStories(Article{Headline: "Kimchi prices", BodyText: "cabbage costs more", Tags: []string{"food"}}, []StoryCandidate{missiles, chips}, 3); len(got) != 0 {
		t.Errorf("unrelated article got %d suggestions", len(got))
	}
}
