package demo

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"
)

// DemoStorySlug is the demo paper's running story.
const DemoStorySlug = "north-korea-launches"

// demoEntry is one entry of the demo story: an article of the paper (by
// slug) or an update written in place, ago before the load.
type demoEntry struct {
	article string
	kind    news.EntryKind
	text    string
	ago     time.Duration
	event   time.Duration // when it happened, if not when it was posted
	pinned  bool
}

// The demo's running story follows the missile launch of the lead
// article, live, with the defector article as background. The text is
// the demo's own, like the articles.
var demoStory = news.Story{
	Slug:       DemoStorySlug,
	Title:      "North Korea's launches this month",
	Standfirst: "Three launches in as many weeks, and what Seoul, Tokyo and Washington are saying about them. Updated as it happens.",
	Summary: `- North Korea fired two short-range ballistic missiles into the East Sea on Friday morning, the **third launch this month**.
- The missiles flew about 380 kilometers and fell outside Japan's exclusive economic zone, according to South Korea's Joint Chiefs of Staff.
- The launch came hours after the end of a week of joint South Korean and US air drills.
- No damage to ships or aircraft has been reported.`,
	Status: news.StoryDeveloping,
	Tags:   []string{"north korea", "missiles", "defense"},
	Live:   true,
}

var demoEntries = []demoEntry{
	{article: "defector-arrivals-fall", kind: news.EntryBackground, ago: 69 * time.Hour},
	{kind: news.EntryBackground, ago: 60 * time.Hour, event: 19 * 24 * time.Hour,
		text: "**How we got here.** The first launch this month, on the 2nd, was a single cruise missile fired over the Yellow Sea; the second, eight days later, sent an intermediate-range missile into the sea east of the peninsula."},
	{article: "north-korea-fires-missiles", kind: news.EntryKeyEvent, ago: 20 * time.Minute, event: 140 * time.Minute},
	{kind: news.EntryUpdate, ago: 16 * time.Minute,
		text: "Japan's coast guard has lifted the navigational warning it issued for waters off the Noto Peninsula, saying no further launches had been detected."},
	{kind: news.EntryKeyEvent, ago: 9 * time.Minute, pinned: true,
		text: "President's office: the National Security Council met at 9 a.m. and called the launches \"a clear violation\" of UN Security Council resolutions. A second meeting is set for the afternoon."},
	{kind: news.EntryUpdate, ago: 3 * time.Minute,
		text: "The Joint Chiefs of Staff say both missiles were of the same type, a solid-fuel design first shown at a military parade last year. Analysis of the flight data continues."},
}

// loadStory creates the demo story over the articles loaded (by slug).
func loadStory(ctx context.Context, st news.Store, now time.Time, ids map[string]int64) error {
	s := demoStory
	s.Tags = append([]string(nil), demoStory.Tags...)
	if err := st.CreateStory(ctx, &s, 0); err != nil {
		return fmt.Errorf("demo story: %w", err)
	}
	for _, de := range demoEntries {
		e := news.StoryEntry{StoryID: s.ID, Kind: de.kind, Text: de.text, Pinned: de.pinned,
			PublishedAt: now.Add(-de.ago).UTC().Truncate(time.Second)}
		if de.event > 0 {
			e.EventAt = now.Add(-de.event).UTC().Truncate(time.Second)
		}
		if de.article != "" {
			id, ok := ids[de.article]
			if !ok {
				return fmt.Errorf("demo story: no article %q", de.article)
			}
			e.ArticleID = id
		}
		if err := st.AddStoryEntry(ctx, &e); err != nil {
			return fmt.Errorf("demo story entry: %w", err)
		}
	}
	return nil
}
