package tracker

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"
)

//go:embed view.html
var viewFS embed.FS

var viewTmpl = template.Must(template.New("view.html").Funcs(template.FuncMap{
	"value": FormatValue,
	"label": func(b Bucket, iv news.TrackerInterval) string { return b.Label(iv) },
	"date":  func(t time.Time, loc *time.Location) string { return t.In(loc).Format("Jan 2, 2006") },
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
}).ParseFS(viewFS, "view.html"))

// Snippet is a keyword in context: text before, the match, text after.
type Snippet struct{ Before, Match, After string }

// Snippets finds up to n occurrences of p in text with radius characters
// of context on each side.
func Snippets(text string, p news.TrackerPhrase, n, radius int) []Snippet {
	norm := news.TrackerNormalize(text)
	var out []Snippet
	for _, r := range news.TrackerFind(norm, p) {
		if len(out) == n {
			break
		}
		before := []rune(norm[:r[0]])
		after := []rune(norm[r[1]:])
		b := string(before[max(0, len(before)-radius):])
		a := string(after[:min(radius, len(after))])
		if len(before) > radius {
			b = "…" + b
		}
		if len(after) > radius {
			a += "…"
		}
		out = append(out, Snippet{Before: oneLine(b), Match: norm[r[0]:r[1]], After: oneLine(a)})
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// BucketArticles are the articles of one phrase in the chosen bucket.
type BucketArticles struct {
	Phrase   string
	Articles []ArticleHit
}

// ArticleHit is an article with its snippets.
type ArticleHit struct {
	news.TrackerArticle
	URL      string
	Snippets []Snippet
}

// View is everything a tracker page shows: the chart, its data table,
// the chosen bucket's articles and the export links.
type View struct {
	Result Result
	Title  string
	SVG    template.HTML
	// SVGNarrow is the same chart laid out for a phone (the page's CSS
	// shows one of the two).
	SVGNarrow template.HTML
	Selected  *Bucket
	Lists     []BucketArticles
	// BucketHref links a bucket; CSV, JSON and Image are export URLs.
	CSV, JSON, Image string
	Loc              *time.Location
	base             string
	params           url.Values
}

// BucketHref is the link to a bucket's articles.
func (v View) BucketHref(b Bucket) string {
	p := url.Values{}
	for k, vs := range v.params {
		p[k] = vs
	}
	p.Set("bucket", b.Start.Date().Format("2006-01-02"))
	return v.base + "?" + p.Encode() + "#articles"
}

// chartHref is BucketHref relative to the page (the chart is drawn in
// it): the same link, a few KB less over a year of buckets.
func (v View) chartHref(b Bucket) string {
	return strings.TrimPrefix(v.BucketHref(b), v.base)
}

// ViewOptions say where the page lives.
type ViewOptions struct {
	Title string
	// Base is the page's path; Params its query (without bucket).
	Base   string
	Params url.Values
	// Bucket is the chosen bucket's first day (2006-01-02), or empty.
	Bucket string
	// CSV, JSON and Image are the export URLs.
	CSV, JSON, Image string
	Loc              *time.Location
	Now              time.Time
}

// Peaks adds the top article of each series' highest bucket.
func Peaks(ctx context.Context, st news.TrackerStore, r Result) []Peak {
	peaks := r.PeakBuckets()
	for i, p := range peaks {
		b := r.Buckets[p.Bucket]
		arts, err := st.TrackerArticles(ctx, news.TrackerCountQuery{Phrases: []news.TrackerPhrase{r.Series[p.Series].Phrase}, Scope: r.Query.Scope,
			From: b.Start, To: b.End, Now: r.Generated, Editor: r.Query.Editor}, 1)
		if err == nil && len(arts) > 0 {
			peaks[i].Headline = arts[0].Headline
		}
	}
	return peaks
}

// BuildView runs the query and prepares the page.
func BuildView(ctx context.Context, st news.TrackerStore, q Query, o ViewOptions) (View, error) {
	res, err := Run(ctx, st, q, o.Now, o.Loc)
	if err != nil {
		return View{}, err
	}
	v := View{Result: res, Title: o.Title, CSV: o.CSV, JSON: o.JSON, Image: o.Image, Loc: o.Loc, base: o.Base, params: o.Params}
	peaks := Peaks(ctx, st, res)
	v.SVG = template.HTML(Chart(res, ChartOptions{Title: o.Title, BucketURL: v.chartHref, Peaks: peaks}))
	v.SVGNarrow = template.HTML(Chart(res, ChartOptions{Title: o.Title, BucketURL: v.chartHref, Peaks: peaks, Narrow: true}))
	if o.Bucket != "" {
		d, err := time.Parse("2006-01-02", o.Bucket)
		if err != nil {
			return v, news.Invalid("bucket", "bucket is a date (2006-01-02)")
		}
		day := news.DayOf(d, time.UTC)
		for i := range res.Buckets {
			if res.Buckets[i].Start == day {
				v.Selected = &res.Buckets[i]
			}
		}
		if v.Selected == nil {
			return v, news.Errorf(news.KindNotFound, "no such %s on this chart", q.Interval)
		}
		for _, p := range q.Phrases {
			arts, err := st.TrackerArticles(ctx, news.TrackerCountQuery{Phrases: []news.TrackerPhrase{p}, Scope: q.Scope,
				From: v.Selected.Start, To: v.Selected.End, Now: o.Now, Editor: q.Editor}, 20)
			if err != nil {
				return v, err
			}
			l := BucketArticles{Phrase: p.Text}
			for _, a := range arts {
				l.Articles = append(l.Articles, ArticleHit{TrackerArticle: a, URL: news.Article{ID: a.ID, Slug: a.Slug}.URL(), Snippets: Snippets(a.Text, p, 2, 60)})
			}
			v.Lists = append(v.Lists, l)
		}
	}
	return v, nil
}

// HTML is the view's fragment: chart, data table, articles, exports.
func (v View) HTML() (template.HTML, error) {
	var b bytes.Buffer
	if err := viewTmpl.Execute(&b, v); err != nil {
		return "", fmt.Errorf("tracker view: %w", err)
	}
	return template.HTML(b.String()), nil
}

// Image renders the chart as a standalone SVG file (for <img> and
// embedding in articles): no links, peaks labelled.
func Image(ctx context.Context, st news.TrackerStore, r Result, title string) []byte {
	return Chart(r, ChartOptions{Title: title, Peaks: Peaks(ctx, st, r)})
}

// ScopeName names a scope for people.
func ScopeName(ctx context.Context, st news.Store, s news.TrackerScope) string {
	switch s.Kind {
	case news.ScopeSection:
		secs, err := st.ListSections(ctx)
		if err == nil {
			for _, x := range secs {
				if x.ID == s.SectionID {
					return "section " + x.Name
				}
			}
		}
		return "section " + strconv.FormatInt(s.SectionID, 10)
	case news.ScopeAuthor:
		if a, err := st.AuthorByID(ctx, s.AuthorID); err == nil {
			return "author " + a.Name
		}
		return "author " + strconv.FormatInt(s.AuthorID, 10)
	case news.ScopeTag:
		return "tag " + s.Tag
	}
	return ""
}
