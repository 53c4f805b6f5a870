package storetest

import (
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("TrackerPostsCountAsTheText", testTrackerPosts)
	register("TrackerZoneChangeRequeues", testTrackerZone)
	register("TrackerPruneCounts", testTrackerPrune)
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

// testTrackerZone: indexing in another time zone than before queues the
// archive again, so that days, totals and counts follow the new zone.
func testTrackerZone(t *testing.T, s news.Store) {
	f := Seed(t, s)
	now := time.Now().UTC()
	today := news.DayOf(now, time.UTC)
	// 20:00 UTC three days ago is already the next day in Seoul (UTC+9).
	at := today.Date().Add(-3*24*time.Hour + 20*time.Hour)
	publishAt(t, s, f.Politics, "Late report", "self-reliance at night", at, nil, f.Kim)
	trackerIndex(t, s)
	q := news.TrackerCountQuery{Phrases: phrases(t, "self-reliance"), From: today - 10, To: today + 2, Now: now}
	days := func(what string) (counts, totals map[news.TrackerDay][2]int) {
		t.Helper()
		got, err := s.TrackerCounts(ctx, q)
		must(t, err)
		tot, err := s.TrackerTotals(ctx, q)
		must(t, err)
		return dayMap(got[0]), dayMap(tot)
	}
	c, tot := days("UTC")
	if c[today-3] != [2]int{1, 1} || tot[today-3][0] != 1 || len(c) != 1 {
		t.Fatalf("in UTC: counts %v totals %v, want day-3 only", c, tot)
	}
	seoul := time.FixedZone("Seoul", 9*3600)
	for {
		n, err := s.IndexTrackerQueue(ctx, seoul, 100)
		must(t, err)
		if n == 0 {
			break
		}
	}
	c, tot = days("Seoul")
	if c[today-2] != [2]int{1, 1} || tot[today-2][0] != 1 || len(c) != 1 || len(tot) != 1 {
		t.Errorf("after the zone changed to UTC+9: counts %v totals %v, want day-2 only", c, tot)
	}
}

// testTrackerPrune: kept counts nobody asked for since a time are pruned;
// asked ones stay, and pruned ones are counted again when asked.
func testTrackerPrune(t *testing.T, s news.Store) {
	f := Seed(t, s)
	now := time.Now().UTC()
	today := news.DayOf(now, time.UTC)
	publishAt(t, s, f.Politics, "Juche", "juche", now.Add(-time.Hour), nil, f.Kim)
	trackerIndex(t, s)
	q := news.TrackerCountQuery{Phrases: phrases(t, "juche"), From: today - 9, To: today + 1, Now: now}
	_, err := s.TrackerCounts(ctx, q)
	must(t, err)
	n, err := s.PruneTrackerCounts(ctx, now.Add(-time.Hour))
	must(t, err)
	if n != 0 {
		t.Errorf("pruned %d day counts asked for a moment ago, want 0", n)
	}
	n, err = s.PruneTrackerCounts(ctx, now.Add(time.Hour))
	must(t, err)
	if n != 10 {
		t.Errorf("pruned %d day counts not asked since, want the 10 days asked", n)
	}
	n, err = s.PruneTrackerCounts(ctx, now.Add(time.Hour))
	must(t, err)
	if n != 0 {
		t.Errorf("pruned %d on the second prune, want 0", n)
	}
	got, err := s.TrackerCounts(ctx, q)
	must(t, err)
	if c := dayMap(got[0]); len(c) != 1 || (c[today] != [2]int{1, 2} && c[today-1] != [2]int{1, 2}) {
		t.Errorf("after pruning, juche = %v, want one article, twice (headline and body)", c)
	}
	n, err = s.PruneTrackerCounts(ctx, now.Add(-time.Hour))
	must(t, err)
	if n != 0 {
		t.Errorf("pruned %d day counts asked again, want 0", n)
	}
}
