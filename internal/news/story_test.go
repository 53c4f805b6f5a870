package news

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestStoryValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		err   error
		field string
	}{
		{"story ok", (&Story{Title: "Floods"}).Validate(), ""},
		{"story no title", (&Story{Title: " "}).Validate(), "title"},
		{"story long title", (&Story{Title: strings.Repeat("x", MaxStoryTitle+1)}).Validate(), "title"},
		{"story long standfirst", (&Story{Title: "x", Standfirst: strings.Repeat("x", MaxStandfirst+1)}).Validate(), "standfirst"},
		{"story long summary", (&Story{Title: "x", Summary: strings.Repeat("x", MaxStorySummary+1)}).Validate(), "summary"},
		{"story bad status", (&Story{Title: "x", Status: "over"}).Validate(), "status"},
		{"story bad slug", (&Story{Title: "x", Slug: "A B"}).Validate(), "slug"},
		{"story bad utf8", (&Story{Title: "\xff"}).Validate(), "title"},
		{"story long tag", (&Story{Title: "x", Tags: []string{strings.Repeat("t", MaxTagLen+1)}}).Validate(), "tags"},
		{"entry ok", (&StoryEntry{Text: "Rain stops."}).Validate(), ""},
		{"entry article ok", (&StoryEntry{ArticleID: 3}).Validate(), ""},
		{"entry empty", (&StoryEntry{Text: " "}).Validate(), "text"},
		{"entry long", (&StoryEntry{Text: strings.Repeat("x", MaxEntryText+1)}).Validate(), "text"},
		{"entry kind", (&StoryEntry{Text: "x", Kind: "rumour"}).Validate(), "kind"},
		{"entry image without alt", (&StoryEntry{Text: "x", Image: &Image{URL: "/media/a.jpg"}}).Validate(), "image"},
		{"entry image elsewhere", (&StoryEntry{Text: "x", Image: &Image{URL: "http://x/a.jpg", Alt: "a"}}).Validate(), "image"},
		{"entry embed not https", (&StoryEntry{Text: "x", Embed: "http://youtube.com/x"}).Validate(), "embed"},
	} {
		if c.field == "" {
			if c.err != nil {
				t.Errorf("%s: got %v, want no error", c.name, c.err)
			}
			continue
		}
		var e *Error
		if !errors.As(c.err, &e) || e.Kind != KindInvalid || e.Field != c.field {
			t.Errorf("%s: got %v, want an invalid-%s error", c.name, c.err, c.field)
		}
	}
	s := Story{Title: " North Korea's campaign ", Tags: []string{"A", "a", " b "}}
	if err := s.Validate(); err != nil || s.Slug != "north-koreas-campaign" || s.Status != StoryDeveloping || strings.Join(s.Tags, ",") != "a,b" {
		t.Errorf("after Validate: %+v (%v)", s, err)
	}
	e := StoryEntry{Text: "x", Image: &Image{URL: " "}}
	if err := e.Validate(); err != nil || e.Image != nil || e.Kind != EntryUpdate {
		t.Errorf("entry with an empty image: %+v (%v), want no image and kind update", e, err)
	}
}

func TestStoryDormant(t *testing.T) {
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		s    Story
		want bool
	}{
		{Story{Status: StoryDormant}, true},
		{Story{Status: StoryDeveloping, LastEntryAt: now.Add(-15 * 24 * time.Hour)}, true},
		{Story{Status: StoryDeveloping, LastEntryAt: now.Add(-13 * 24 * time.Hour)}, false},
		{Story{Status: StoryDeveloping, CreatedAt: now.Add(-20 * 24 * time.Hour)}, true},
		{Story{Status: StoryConcluded, LastEntryAt: now.Add(-30 * 24 * time.Hour)}, false},
	} {
		if got := c.s.Dormant(now); got != c.want {
			t.Errorf("Dormant(%+v) = %v, want %v", c.s, got, c.want)
		}
	}
}
