package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

// MonitorArticles is how many weekly "State media monitor" columns the
// demo paper carries (Options.Monitor): one a week for a year, so that
// the term tracker has a trend to draw.
const MonitorArticles = 52

// The monitor's sentences: written for the demo, varied by week so that
// the columns read as a series rather than copies.
var (
	monitorOther = []string{
		"Coverage of the autumn harvest filled two pages, with photographs of threshing crews in South Hwanghae.",
		"Television news led three nights running with a new housing district in the capital.",
		"A long report praised coal miners who had beaten their quarter's target early.",
		"Foreign news was brief: a visit by a trade delegation and a commentary on joint military drills.",
		"The sports pages covered a women's football win and a weightlifting record.",
		"Several articles urged farmers to prepare seedbeds before the cold set in.",
		"The party daily ran a poem about the east coast fishing fleet.",
		"Readers were reminded of the anniversary of a hydroelectric dam's completion.",
	}
	monitorPhrase = []string{
		"The front page returned to self-reliance, calling it the key to meeting this year's economic plan.",
		"A Korean Central News Agency commentary said self-reliance would carry the country through sanctions.",
		"Factory reports credited self-reliance for a new line of tractors built without imported parts.",
		"An editorial told provincial officials that self-reliance begins with local raw materials.",
		"Radio bulletins described self-reliance as a duty of every work unit.",
		"A feature on a chemical complex used the word self-reliance in nearly every paragraph.",
	}
	// The plenum week: the campaign everywhere.
	monitorPlenum = []string{
		"The plenum's closing report named self-reliance eleven times, and the papers printed it in full.",
		"Every provincial daily carried the same banner: self-reliance in all things, self-reliance at every post.",
		"Commentators called self-reliance the answer to shortages of fuel, fertiliser and steel.",
		"A front-page essay said that self-reliance had built the country and self-reliance would feed it.",
		"Television ran a documentary on the first self-reliance campaign of the 1950s.",
		"Letters from readers pledged self-reliance at their farms and workshops.",
	}
	monitorKorean = []string{
		"One headline read \"자력갱생의 기치 높이\", holding high the banner of self-reliance.",
		"The Korean text of the editorial repeated the slogan 자력갱생을 in its closing lines.",
		"A caption spoke of 자력갱생으로 이룩한 성과, achievements won by self-reliance.",
	}
)

// monitorWeek writes the column of the week that began on start, weeks
// weeks before the newest one: mentions of self-reliance grow over the
// year, with a burst around a party plenum ten weeks before the newest.
func monitorWeek(i int, start time.Time) (headline, dek, body string) {
	progress := float64(MonitorArticles-i) / MonitorArticles // 0 a year ago, 1 now
	en := int(4 * progress * progress)
	if i%3 != 0 {
		en++
	}
	ko := int(2.4 * progress)
	if i >= 9 && i <= 11 {
		ko += 2
	}
	var paras []string
	paras = append(paras, fmt.Sprintf("Our weekly reading of North Korea's state media, for the week that began on %s.", start.Format("January 2")))
	var p []string
	for k := 0; k < 3; k++ {
		p = append(p, monitorOther[(i*3+k)%len(monitorOther)])
	}
	paras = append(paras, strings.Join(p, " "))
	p = p[:0]
	for k := 0; k < en; k++ {
		p = append(p, monitorPhrase[(i+k)%len(monitorPhrase)])
	}
	for k := 0; k < ko; k++ {
		p = append(p, monitorKorean[(i+k)%len(monitorKorean)])
	}
	if i == 10 {
		p = append(p, monitorPlenum...)
	}
	if len(p) == 0 {
		p = append(p, "The usual campaign slogans were quieter than in recent weeks.")
	}
	paras = append(paras, strings.Join(p, " "))
	paras = append(paras, "The monitor counts what was printed and broadcast; it does not judge whether the claims are true.")
	headline = "State media monitor: week of " + start.Format("January 2, 2006")
	switch {
	case i >= 9 && i <= 11:
		dek = "A party plenum brings the self-reliance campaign back to every front page."
	case en == 0 && ko == 0:
		dek = "A quiet week for slogans; the harvest dominates."
	default:
		dek = "What Pyongyang's papers and broadcasters stressed this week."
	}
	return headline, dek, strings.Join(paras, "\n\n")
}

// loadMonitor adds the weekly columns and the saved, published tracker
// that charts them.
func loadMonitor(ctx context.Context, st news.Store, secs map[string]news.Section, authors map[string]news.Author, now time.Time) error {
	sec, ok := secs["national/north-korea"]
	au, ok2 := authors["jung-dae-ho"]
	if !ok || !ok2 {
		return fmt.Errorf("demo monitor: the North Korea section or its reporter is missing")
	}
	// The newest column is an hour old, so the running week has one too.
	cols := make([]news.Article, MonitorArticles) // by weeks ago
	for i := MonitorArticles - 1; i >= 0; i-- {
		at := now.Add(-time.Duration(i)*7*24*time.Hour - time.Hour).UTC().Truncate(time.Hour)
		h, dek, body := monitorWeek(i, at.Add(-6*24*time.Hour))
		a := news.Article{SectionID: sec.ID, Headline: h, Dek: dek, Body: body, BodyText: body, Status: news.StatusPublished,
			Slug: news.Slugify(h), PublishedAt: at, Authors: []news.Author{au}, Tags: []string{"state media", "north korea"}}
		a.CreatedAt = at.Add(-time.Hour)
		if err := st.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("demo monitor week %d: %w", i, err)
		}
		cols[i] = a
	}
	t := news.Tracker{Title: "Self-reliance in state media", Slug: "self-reliance", Phrases: []string{"self-reliance", "자력갱생"},
		Interval: news.IntervalWeek, Measure: news.MeasureOccurrences, Buckets: 53, Published: true}
	if err := st.CreateTracker(ctx, &t); err != nil {
		return err
	}
	return loadCampaignStory(ctx, st, now, cols)
}

// CampaignStorySlug is the running story the monitor columns are
// installments of: state media's self-reliance campaign.
const CampaignStorySlug = "self-reliance-campaign"

// loadCampaignStory makes the monitor columns a live running story, with
// updates written in place and the saved tracker linked from it. The text
// is the demo's own.
func loadCampaignStory(ctx context.Context, st news.Store, now time.Time, cols []news.Article) error {
	s := news.Story{
		Slug:       CampaignStorySlug,
		Title:      "Self-reliance: North Korea's state media campaign",
		Standfirst: "How often Pyongyang's papers and broadcasters call for self-reliance (자력갱생), week by week, and what they tie it to. Updated as the campaign goes on.",
		Summary: `- State media have mentioned **self-reliance** more and more over the past year; our weekly monitor counts every mention.
- The campaign peaked around a party plenum ten weeks ago, when the closing report named it eleven times.
- Korean-language outlets use **자력갱생**, often inside longer words ("우리식자력갱생"); the tracker counts those too.
- See the trend in [the self-reliance tracker](/tracker/self-reliance).`,
		Status: news.StoryDeveloping,
		Tags:   []string{"state media", "north korea"},
		Live:   true,
	}
	if err := st.CreateStory(ctx, &s, 0); err != nil {
		return fmt.Errorf("demo campaign story: %w", err)
	}
	add := func(e news.StoryEntry) error {
		e.StoryID = s.ID
		if err := st.AddStoryEntry(ctx, &e); err != nil {
			return fmt.Errorf("demo campaign story entry: %w", err)
		}
		return nil
	}
	// Every column is an installment; the plenum weeks are key events.
	for i := len(cols) - 1; i >= 0; i-- {
		kind := news.EntryUpdate
		if i >= 9 && i <= 11 {
			kind = news.EntryKeyEvent
		}
		if err := add(news.StoryEntry{ArticleID: cols[i].ID, Kind: kind, PublishedAt: cols[i].PublishedAt}); err != nil {
			return err
		}
	}
	at := func(ago time.Duration) time.Time { return now.Add(-ago).UTC().Truncate(time.Second) }
	updates := []news.StoryEntry{
		{Kind: news.EntryBackground, PublishedAt: at(50 * time.Minute), EventAt: at(365 * 24 * time.Hour),
			Text: "**Why we count.** Self-reliance has been a state slogan for decades; how often it is printed tells readers what the leadership wants stressed. Our [tracker](/tracker/self-reliance) charts it week by week."},
		{Kind: news.EntryUpdate, PublishedAt: at(25 * time.Minute),
			Text: "This morning's front page carried a new self-reliance editorial, the third this week, addressed to coal miners."},
		{Kind: news.EntryKeyEvent, PublishedAt: at(12 * time.Minute), Pinned: true,
			Text: "The mentions this week are already above last week's: follow the running week on [the tracker](/tracker/self-reliance), drawn dashed until it ends."},
		{Kind: news.EntryUpdate, PublishedAt: at(4 * time.Minute),
			Text: "The evening radio bulletin repeated the editorial in full and added a Korean slogan, 자력갱생의 기치 높이."},
	}
	for _, e := range updates {
		if err := add(e); err != nil {
			return err
		}
	}
	return nil
}
