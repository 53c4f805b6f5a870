package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("TrackerCounts", testTrackerCounts)
	register("TrackerIndexFollowsWrites", testTrackerFollowsWrites)
	register("TrackerSaved", testTrackerSaved)
}

// trackerIndex drains the tracker's queue.
func trackerIndex(t *testing.T, s news.Store) {
	t.Helper()
	for {
		n, err := s.IndexTrackerQueue(ctx, time.UTC, 100)
		must(t, err)
		if n == 0 {
			break
		}
	}
	n, err := s.TrackerQueueLen(ctx)
	must(t, err)
	if n != 0 {
		t.Fatalf("tracker queue holds %d after indexing, want 0", n)
	}
}

func phrases(t *testing.T, p ...string) []news.TrackerPhrase {
	t.Helper()
	ps, err := news.ParseTrackerPhrases(p)
	must(t, err)
	return ps
}

// dayMap turns a day list into day -> [articles, occurrences].
func dayMap(in []news.TrackerDayCount) map[news.TrackerDay][2]int {
	out := map[news.TrackerDay][2]int{}
	for _, c := range in {
		out[c.Day] = [2]int{c.Articles, c.Occurrences}
	}
	return out
}

// publishAt stores a published article dated at.
func publishAt(t *testing.T, s news.Store, sec news.Section, headline, body string, at time.Time, tags []string, authors ...news.Author) news.Article {
	t.Helper()
	a := news.Article{SectionID: sec.ID, Headline: headline, Body: body, BodyText: body, Status: news.StatusPublished,
		PublishedAt: at.UTC().Truncate(time.Millisecond), Tags: tags, Authors: authors}
	must(t, s.CreateArticle(ctx, &a))
	return a
}

// testTrackerCounts: articles and occurrences per day, Korean inside
// longer words, scopes, shares' totals, and what readers cannot see.
func testTrackerCounts(t *testing.T, s news.Store) {
	f := Seed(t, s)
	now := time.Now().UTC()
	today := news.DayOf(now, time.UTC)
	d1 := today.Date().Add(-3*24*time.Hour + 10*time.Hour) // three days ago
	d2 := today.Date().Add(-1*24*time.Hour + 10*time.Hour) // yesterday
	publishAt(t, s, f.Politics, "Self-reliance again", "The plenum praised self-reliance. Self reliance, it said, is the way.", d1, []string{"economy"}, f.Kim)
	publishAt(t, s, f.Business, "Factories", "Nothing to see here: reliance on imports.", d1, nil, f.Lee)
	publishAt(t, s, f.Business, "자력갱생의 기치", "노동신문은 자력갱생을 강조했다. 우리식자력갱생 노선.", d2, []string{"economy"}, f.Lee)
	publishAt(t, s, f.National, "Another day", "SELF-RELIANCE was not mentioned.", d2, nil, f.Kim)
	// Readers cannot see these two yet; editors can.
	emb := news.Article{SectionID: f.National.ID, Headline: "Embargoed self-reliance", Body: "x", BodyText: "x", Status: news.StatusPublished,
		PublishedAt: d2, EmbargoUntil: now.Add(time.Hour)}
	must(t, s.CreateArticle(ctx, &emb))
	draft := news.Article{SectionID: f.National.ID, Headline: "Draft self-reliance", Body: "self-reliance", BodyText: "self-reliance", Status: news.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))
	trackerIndex(t, s)

	q := news.TrackerCountQuery{Phrases: phrases(t, "self-reliance", "자력갱생", "import"), From: today - 10, To: today + 1, Now: now}
	got, err := s.TrackerCounts(ctx, q)
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("got %d series, want 3", len(got))
	}
	sr := dayMap(got[0])
	// Day 1: one article, three occurrences (headline, "self-reliance",
	// "Self reliance"). Day 2: one visible article, one occurrence.
	if sr[today-3] != [2]int{1, 3} || sr[today-1] != [2]int{1, 1} || len(sr) != 2 {
		t.Errorf("self-reliance per day = %v, want day-3 {1 3}, day-1 {1 1}", sr)
	}
	ko := dayMap(got[1])
	if ko[today-1] != [2]int{1, 3} || len(ko) != 1 {
		t.Errorf("자력갱생 per day = %v, want day-1 {1 3} (inside 자력갱생의, 자력갱생을, 우리식자력갱생)", ko)
	}
	if len(got[2]) != 0 {
		t.Errorf("import = %v, want nothing (imports is another word)", got[2])
	}

	q.Editor = true
	got, err = s.TrackerCounts(ctx, q)
	must(t, err)
	if sr := dayMap(got[0]); sr[today-1] != [2]int{2, 2} {
		t.Errorf("editor's self-reliance yesterday = %v, want {2 2} (the embargoed one counts, the draft never)", sr[today-1])
	}
	q.Editor = false

	// Scopes.
	q.Phrases = phrases(t, "self-reliance")
	for _, c := range []struct {
		name  string
		scope news.TrackerScope
		want  int // articles over all days
	}{
		{"section National (with Politics under it)", news.TrackerScope{Kind: news.ScopeSection, SectionID: f.National.ID}, 2},
		{"section Business", news.TrackerScope{Kind: news.ScopeSection, SectionID: f.Business.ID}, 0},
		{"author Kim", news.TrackerScope{Kind: news.ScopeAuthor, AuthorID: f.Kim.ID}, 2},
		{"author Lee", news.TrackerScope{Kind: news.ScopeAuthor, AuthorID: f.Lee.ID}, 0},
		{"tag economy", news.TrackerScope{Kind: news.ScopeTag, Tag: "economy"}, 1},
	} {
		q.Scope = c.scope
		got, err := s.TrackerCounts(ctx, q)
		must(t, err)
		n := 0
		for _, d := range got[0] {
			n += d.Articles
		}
		if n != c.want {
			t.Errorf("%s: %d articles, want %d", c.name, n, c.want)
		}
	}

	// Totals: every visible published article per day.
	q.Scope = news.TrackerScope{}
	tot, err := s.TrackerTotals(ctx, q)
	must(t, err)
	if m := dayMap(tot); m[today-3][0] != 2 || m[today-1][0] != 2 || len(m) != 2 {
		t.Errorf("totals = %v, want 2 on day-3 and 2 on day-1 (no draft, no embargoed)", m)
	}
	q.Editor = true
	tot, err = s.TrackerTotals(ctx, q)
	must(t, err)
	if m := dayMap(tot); m[today-1][0] != 3 {
		t.Errorf("editor's totals yesterday = %v, want 3", m)
	}
	q.Editor = false
	q.Scope = news.TrackerScope{Kind: news.ScopeTag, Tag: "economy"}
	tot, err = s.TrackerTotals(ctx, q)
	must(t, err)
	if m := dayMap(tot); m[today-3][0] != 1 || m[today-1][0] != 1 {
		t.Errorf("tag totals = %v, want 1 and 1", m)
	}
	q.Scope = news.TrackerScope{Kind: news.ScopeSection, SectionID: f.National.ID}
	tot, err = s.TrackerTotals(ctx, q)
	must(t, err)
	if m := dayMap(tot); m[today-3][0] != 1 || m[today-1][0] != 1 {
		t.Errorf("National subtree totals = %v, want 1 (Politics) and 1 (the embargoed one hidden)", m)
	}
	q.Scope = news.TrackerScope{Kind: news.ScopeSection, SectionID: 999999}
	_, err = s.TrackerTotals(ctx, q)
	wantKind(t, err, news.KindNotFound)

	// The articles behind a bucket, most occurrences first.
	q.Scope = news.TrackerScope{}
	q.From, q.To = today-10, today+1
	arts, err := s.TrackerArticles(ctx, q, 10)
	must(t, err)
	if len(arts) != 2 || arts[0].Headline != "Self-reliance again" || arts[0].Occurrences != 3 {
		t.Fatalf("articles = %+v, want two, the plenum's first with 3", arts)
	}
	if len(news.TrackerFind(news.TrackerNormalize(arts[0].Text), q.Phrases[0])) != 3 {
		t.Errorf("TrackerFind in the stored text found other than 3")
	}
}

// testTrackerFollowsWrites: publishing, editing, retagging, unpublishing
// and deleting move the counts and totals.
func testTrackerFollowsWrites(t *testing.T, s news.Store) {
	f := Seed(t, s)
	now := time.Now().UTC()
	today := news.DayOf(now, time.UTC)
	q := news.TrackerCountQuery{Phrases: phrases(t, "juche"), From: today - 5, To: today + 1, Now: now}
	count := func() (articles, occ, total int) {
		t.Helper()
		trackerIndex(t, s)
		got, err := s.TrackerCounts(ctx, q)
		must(t, err)
		for _, d := range got[0] {
			articles += d.Articles
			occ += d.Occurrences
		}
		tot, err := s.TrackerTotals(ctx, q)
		must(t, err)
		for _, d := range tot {
			total += d.Articles
		}
		return
	}
	a := publishAt(t, s, f.Politics, "Juche", "juche and juche", now.Add(-time.Hour), []string{"ideology"}, f.Kim)
	if a, o, tot := count(); a != 1 || o != 3 || tot != 1 {
		t.Fatalf("after publishing: %d articles, %d occurrences, %d total; want 1, 3, 1", a, o, tot)
	}
	a.Body, a.BodyText = "nothing", "nothing"
	must(t, s.UpdateArticle(ctx, &a))
	if a, o, tot := count(); a != 1 || o != 1 || tot != 1 {
		t.Errorf("after editing the body: %d, %d, %d; want 1, 1, 1", a, o, tot)
	}
	q.Scope = news.TrackerScope{Kind: news.ScopeTag, Tag: "ideology"}
	if a, _, tot := count(); a != 1 || tot != 1 {
		t.Errorf("tag scope: %d articles, %d total; want 1, 1", a, tot)
	}
	a.Tags = []string{"history"}
	must(t, s.UpdateArticle(ctx, &a))
	if a, _, tot := count(); a != 0 || tot != 0 {
		t.Errorf("after retagging: tag scope %d articles, %d total; want 0, 0", a, tot)
	}
	q.Scope = news.TrackerScope{}
	a.Status = news.StatusDraft
	must(t, s.UpdateArticle(ctx, &a))
	if a, _, tot := count(); a != 0 || tot != 0 {
		t.Errorf("after unpublishing: %d articles, %d total; want 0, 0", a, tot)
	}
	a.Status = news.StatusPublished
	must(t, s.UpdateArticle(ctx, &a))
	if a, _, tot := count(); a != 1 || tot != 1 {
		t.Errorf("after publishing again: %d articles, %d total; want 1, 1", a, tot)
	}
}

// testTrackerSaved: saved trackers round-trip, refuse bad input and
// duplicate slugs, and a spike is marked once.
func testTrackerSaved(t *testing.T, s news.Store) {
	f := Seed(t, s)
	tr := news.Tracker{Title: "Self-reliance watch", Phrases: []string{"self-reliance", " 자력갱생 "}, Interval: news.IntervalWeek,
		Measure: news.MeasureArticles, Share: true, Scope: news.TrackerScope{Kind: news.ScopeSection, SectionID: f.National.ID},
		Buckets: 52, Published: true, Alerts: true}
	must(t, s.CreateTracker(ctx, &tr))
	if tr.ID == 0 || tr.Slug != "self-reliance-watch" {
		t.Fatalf("created %+v, want an id and slug self-reliance-watch", tr)
	}
	got, err := s.TrackerBySlug(ctx, "self-reliance-watch")
	must(t, err)
	if got.Title != tr.Title || len(got.Phrases) != 2 || got.Phrases[1] != "자력갱생" || got.Scope.SectionID != f.National.ID ||
		got.Interval != news.IntervalWeek || !got.Share || !got.Published || !got.Alerts || got.Buckets != 52 {
		t.Errorf("read back %+v, want %+v", got, tr)
	}
	dup := news.Tracker{Title: "Self-reliance watch", Phrases: []string{"x"}, Interval: news.IntervalDay, Measure: news.MeasureOccurrences, Buckets: 30}
	wantKind(t, s.CreateTracker(ctx, &dup), news.KindConflict)
	bad := news.Tracker{Title: "Too many", Phrases: []string{"a", "b", "c", "d", "e", "f"}, Interval: news.IntervalDay, Measure: news.MeasureArticles, Buckets: 30}
	wantKind(t, s.CreateTracker(ctx, &bad), news.KindInvalid)
	bad = news.Tracker{Title: "Nothing", Phrases: []string{"--"}, Interval: news.IntervalDay, Measure: news.MeasureArticles, Buckets: 30}
	wantKind(t, s.CreateTracker(ctx, &bad), news.KindInvalid)

	got.Published = false
	got.Scope = news.TrackerScope{Kind: news.ScopeTag, Tag: " Economy "}
	must(t, s.UpdateTracker(ctx, &got))
	again, err := s.TrackerByID(ctx, tr.ID)
	must(t, err)
	if again.Published || again.Scope.Tag != "economy" || again.Scope.SectionID != 0 {
		t.Errorf("after update %+v", again)
	}
	list, err := s.ListTrackers(ctx)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("list has %d trackers, want 1", len(list))
	}

	first, err := s.MarkTrackerSpike(ctx, tr.ID, "self-reliance", 100, time.Now())
	must(t, err)
	second, err := s.MarkTrackerSpike(ctx, tr.ID, "self-reliance", 100, time.Now())
	must(t, err)
	if !first || second {
		t.Errorf("marking a spike twice: %v then %v, want true then false", first, second)
	}
	must(t, s.DeleteTracker(ctx, tr.ID))
	_, err = s.TrackerByID(ctx, tr.ID)
	wantKind(t, err, news.KindNotFound)
	wantKind(t, s.DeleteTracker(ctx, tr.ID), news.KindNotFound)
}
