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
	for i := MonitorArticles - 1; i >= 0; i-- {
		at := now.Add(-time.Duration(i)*7*24*time.Hour - time.Hour).UTC().Truncate(time.Hour)
		h, dek, body := monitorWeek(i, at.Add(-6*24*time.Hour))
		a := news.Article{SectionID: sec.ID, Headline: h, Dek: dek, Body: body, BodyText: body, Status: news.StatusPublished,
			Slug: news.Slugify(h), PublishedAt: at, Authors: []news.Author{au}, Tags: []string{"state media", "north korea"}}
		a.CreatedAt = at.Add(-time.Hour)
		if err := st.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("demo monitor week %d: %w", i, err)
		}
	}
	t := news.Tracker{Title: "Self-reliance in state media", Slug: "self-reliance", Phrases: []string{"self-reliance", "자력갱생"},
		Interval: news.IntervalWeek, Measure: news.MeasureOccurrences, Buckets: 53, Published: true}
	return st.CreateTracker(ctx, &t)
}
