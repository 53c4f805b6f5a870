package tracker

import (
	"net/http"

	"byline/internal/news"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Export is the JSON form of a result; CSV carries the same numbers.
type Export struct {
	Query struct {
		Phrases  []string `json:"phrases"`
		Scope    string   `json:"scope"`
		Interval string   `json:"interval"`
		Measure  string   `json:"measure"`
		Share    bool     `json:"share"`
		Unit     string   `json:"unit"`
	} `json:"query"`
	Generated time.Time      `json:"generated"`
	Buckets   []ExportBucket `json:"buckets"`
}

// ExportBucket is one bucket of an export.
type ExportBucket struct {
	Start   string        `json:"start"`
	End     string        `json:"end"` // exclusive
	Label   string        `json:"label"`
	Partial bool          `json:"partial"`
	Total   int           `json:"total_articles"`
	Values  []ExportValue `json:"values"`
}

// ExportValue is one phrase in one bucket: Value is the drawn number.
type ExportValue struct {
	Phrase      string  `json:"phrase"`
	Articles    int     `json:"articles"`
	Occurrences int     `json:"occurrences"`
	Value       float64 `json:"value"`
}

// ScopeLabel is the scope as an export names it.
func (q Query) ScopeLabel() string {
	if q.ScopeName != "" {
		return q.ScopeName
	}
	return "whole archive"
}

// ToExport converts a result.
func (r Result) ToExport() Export {
	var e Export
	q := r.Query
	for _, p := range q.Phrases {
		e.Query.Phrases = append(e.Query.Phrases, p.Text)
	}
	e.Query.Scope, e.Query.Interval, e.Query.Measure, e.Query.Share, e.Query.Unit = q.ScopeLabel(), string(q.Interval), string(q.Measure), q.Share, q.Unit()
	e.Generated = r.Generated
	for i, b := range r.Buckets {
		eb := ExportBucket{Start: b.Start.Date().Format("2006-01-02"), End: b.End.Date().Format("2006-01-02"), Label: b.Label(q.Interval), Partial: b.Partial, Total: b.Total}
		for _, s := range r.Series {
			p := s.Points[i]
			eb.Values = append(eb.Values, ExportValue{Phrase: s.Phrase.Text, Articles: p.Articles, Occurrences: p.Occurrences, Value: p.Value})
		}
		e.Buckets = append(e.Buckets, eb)
	}
	return e
}

// JSON is the result as indented JSON.
func (r Result) JSON() []byte {
	b, _ := json.MarshalIndent(r.ToExport(), "", "  ")
	return append(b, '\n')
}

// CSV is the result as CSV: a header of "# key: value" lines (query,
// scope, measure, unit, generation time), then one row per bucket with,
// per phrase, articles, occurrences and the drawn value.
func (r Result) CSV() []byte {
	var b bytes.Buffer
	e := r.ToExport()
	b.WriteString("# query: " + strings.Join(e.Query.Phrases, " | ") + "\n")
	b.WriteString("# scope: " + e.Query.Scope + "\n")
	b.WriteString("# interval: " + e.Query.Interval + "\n")
	b.WriteString("# measure: " + e.Query.Measure + " (" + e.Query.Unit + ")\n")
	b.WriteString("# generated: " + e.Generated.Format(time.RFC3339) + "\n")
	w := csv.NewWriter(&b)
	head := []string{"start", "end", "partial", "total_articles"}
	for _, p := range e.Query.Phrases {
		head = append(head, p+" articles", p+" occurrences", p+" value")
	}
	w.Write(head)
	for _, bk := range e.Buckets {
		row := []string{bk.Start, bk.End, strconv.FormatBool(bk.Partial), strconv.Itoa(bk.Total)}
		for _, v := range bk.Values {
			row = append(row, strconv.Itoa(v.Articles), strconv.Itoa(v.Occurrences), FormatValue(v.Value))
		}
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// Write answers an export request: format is svg, csv or json. Public
// exports may be kept a minute by shared caches; staff exports (which may
// count what readers cannot see yet) are never kept.
func Write(w http.ResponseWriter, r *http.Request, format, name, title string, res Result, st news.TrackerStore, public bool) {
	h := w.Header()
	var body []byte
	switch format {
	case "svg":
		h.Set("Content-Type", "image/svg+xml")
		body = Image(r.Context(), st, res, title)
	case "csv":
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		body = res.CSV()
	default:
		h.Set("Content-Type", "application/json; charset=utf-8")
		body = res.JSON()
	}
	if public {
		h.Set("Cache-Control", "public, max-age=0, s-maxage=60")
	} else {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("Last-Modified", res.Generated.Format(http.TimeFormat))
	w.Write(body)
}
