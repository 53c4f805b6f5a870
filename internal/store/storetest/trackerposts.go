package storetest

import (
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("TrackerPostsCountAsTheText", testTrackerPosts)
}

// testTrackerPosts: counts from the tracker's own index (tracker_posts)
// equal what news.TrackerFind finds in the articles' text, for phrases of
// one, two and three tokens, repeated tokens, Korean inside words, and
// after edits that change an article's text and its day, unpublishing
// and publishing again on another day.
func testTrackerPosts(t *testing.T, s news.Store) {
	f := Seed(t, s)
	now := time.Now().UTC()
	today := news.DayOf(now, time.UTC)
	day := func(k int) time.Time { return today.Date().Add(time.Duration(-k)*24*time.Hour + 9*time.Hour) }
	texts := []string{
		"Juche juche juche. The juche idea and juche.",
		"Self-reliance, self reliance and SELF-RELIANCE's call: self-reliance self-reliance.",
		"노동신문은 자력갱생을 강조했다. 우리식자력갱생 노선, 자력 갱생.",
		"The party congress; the party; party the congress.",
		"Nothing here but the weather.",
		"self reliance self reliance self",
		"the party congress the party congress the party",
		"자력갱생 자력갱생의 갱생",
	}
	ps := append(phrases(t, "juche", "juche juche", "self-reliance", "자력갱생", "the party congress"), phrases(t, "party", "the party", "weather", "self reliance self")...)
	var arts []news.Article
	for i, text := range texts {
		arts = append(arts, publishAt(t, s, f.Politics, fmt.Sprintf("Report %d", i), text, day(i%4), nil, f.Kim))
	}
	check := func(when string) {
		t.Helper()
		trackerIndex(t, s)
		want := make([]map[news.TrackerDay][2]int, len(ps))
		for i := range want {
			want[i] = map[news.TrackerDay][2]int{}
		}
		for _, a := range arts {
			if a.Status != news.StatusPublished {
				continue
			}
			text := news.TrackerNormalize(a.Headline + "\n" + a.Dek + "\n" + a.BodyText)
			d := news.DayOf(a.PublishedAt, time.UTC)
			for i, p := range ps {
				if n := len(news.TrackerFind(text, p)); n > 0 {
					c := want[i][d]
					want[i][d] = [2]int{c[0] + 1, c[1] + n}
				}
			}
		}
		got, err := s.TrackerCounts(ctx, news.TrackerCountQuery{Phrases: ps[:5], From: today - 20, To: today + 1, Now: now, Editor: true})
		must(t, err)
		more, err := s.TrackerCounts(ctx, news.TrackerCountQuery{Phrases: ps[5:], From: today - 20, To: today + 1, Now: now, Editor: true})
		must(t, err)
		got = append(got, more...)
		for i, p := range ps {
			g := dayMap(got[i])
			if fmt.Sprint(g) != fmt.Sprint(want[i]) {
				t.Errorf("%s: %q per day = %v, want %v (as TrackerFind finds it in the text)", when, p.Text, g, want[i])
			}
		}
	}
	check("after publishing")
	// Edits: new text, a new day, both; one unpublished, one unpublished and published again elsewhere.
	arts[0].Body, arts[0].BodyText = "juche juche juche juche", "juche juche juche juche"
	must(t, s.UpdateArticle(ctx, &arts[0]))
	arts[1].PublishedAt = day(9).Truncate(time.Millisecond)
	must(t, s.UpdateArticle(ctx, &arts[1]))
	arts[3].Body, arts[3].BodyText = "the party congress", "the party congress"
	arts[3].PublishedAt = day(7).Truncate(time.Millisecond)
	must(t, s.UpdateArticle(ctx, &arts[3]))
	arts[4].Status = news.StatusDraft
	must(t, s.UpdateArticle(ctx, &arts[4]))
	arts[5].Status = news.StatusDraft
	must(t, s.UpdateArticle(ctx, &arts[5]))
	arts[5].Status = news.StatusPublished
	arts[5].PublishedAt = day(2).Truncate(time.Millisecond)
	must(t, s.UpdateArticle(ctx, &arts[5]))
	check("after edits")
}
