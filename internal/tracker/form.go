package tracker

import (
	"net/url"
	"strconv"
	"strings"

	"byline/internal/news"
)

// DefaultBuckets is how many buckets a new query shows, by interval.
func DefaultBuckets(iv news.TrackerInterval) int {
	switch iv {
	case news.IntervalDay:
		return 60
	case news.IntervalMonth:
		return 24
	}
	return 52
}

// Form is a tracker query as a form holds it.
type Form struct {
	Phrases  []string // five inputs
	Interval string
	Measure  string
	Share    bool
	Buckets  int
	Scope    string
	Section  int64
	Author   int64
	Tag      string
	Editor   bool
}

// ParseForm reads a query from URL or form values: phrase (repeated),
// interval, measure, share, buckets, scope (section, author, tag or
// empty) with section, author or tag.
func ParseForm(v url.Values) Form {
	f := Form{Interval: v.Get("interval"), Measure: v.Get("measure"), Share: v.Get("share") != "", Scope: v.Get("scope"), Tag: v.Get("tag"), Editor: v.Get("editor") != ""}
	for _, p := range v["phrase"] {
		if strings.TrimSpace(p) != "" {
			f.Phrases = append(f.Phrases, p)
		}
	}
	if f.Interval == "" {
		f.Interval = string(news.IntervalWeek)
	}
	if f.Measure == "" {
		f.Measure = string(news.MeasureArticles)
	}
	f.Buckets, _ = strconv.Atoi(v.Get("buckets"))
	if v.Get("buckets") == "" {
		f.Buckets = DefaultBuckets(news.TrackerInterval(f.Interval))
	}
	f.Section, _ = strconv.ParseInt(v.Get("section"), 10, 64)
	f.Author, _ = strconv.ParseInt(v.Get("author"), 10, 64)
	return f
}

// Tracker fills a saved tracker's query fields from the form.
func (f Form) Tracker(t *news.Tracker) {
	t.Phrases = f.Phrases
	t.Interval, t.Measure, t.Share, t.Buckets = news.TrackerInterval(f.Interval), news.TrackerMeasure(f.Measure), f.Share, f.Buckets
	t.Scope = news.TrackerScope{Kind: f.Scope, SectionID: f.Section, AuthorID: f.Author, Tag: f.Tag}
}

// FormOf is a saved tracker as a form.
func FormOf(t news.Tracker) Form {
	return Form{Phrases: t.Phrases, Interval: string(t.Interval), Measure: string(t.Measure), Share: t.Share, Buckets: t.Buckets,
		Scope: t.Scope.Kind, Section: t.Scope.SectionID, Author: t.Scope.AuthorID, Tag: t.Scope.Tag}
}

// Query checks the form and makes a query.
func (f Form) Query() (Query, error) {
	ps, err := news.ParseTrackerPhrases(f.Phrases)
	if err != nil {
		return Query{}, err
	}
	q := Query{Phrases: ps, Interval: news.TrackerInterval(f.Interval), Measure: news.TrackerMeasure(f.Measure), Share: f.Share, Buckets: f.Buckets,
		Scope: news.TrackerScope{Kind: f.Scope, SectionID: f.Section, AuthorID: f.Author, Tag: f.Tag}, Editor: f.Editor}
	return q, q.Validate()
}

// Values is the form as URL values (for export and bucket links).
func (f Form) Values() url.Values {
	v := url.Values{}
	for _, p := range f.Phrases {
		v.Add("phrase", p)
	}
	v.Set("interval", f.Interval)
	v.Set("measure", f.Measure)
	if f.Share {
		v.Set("share", "1")
	}
	v.Set("buckets", strconv.Itoa(f.Buckets))
	if f.Scope != "" {
		v.Set("scope", f.Scope)
		switch f.Scope {
		case news.ScopeSection:
			v.Set("section", strconv.FormatInt(f.Section, 10))
		case news.ScopeAuthor:
			v.Set("author", strconv.FormatInt(f.Author, 10))
		case news.ScopeTag:
			v.Set("tag", f.Tag)
		}
	}
	if f.Editor {
		v.Set("editor", "1")
	}
	return v
}
