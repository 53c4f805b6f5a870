package site

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"byline/internal/markup"
	"byline/internal/news"
)

// SearchPage is the data of search.html.
type SearchPage struct {
	Base
	Query       string
	SectionPath string
	From, To    string
	AllSections []news.Section
	Problem     string
	Total       int
	// More: Total counts only the newest matches; more exist.
	More  bool
	Hits  []SearchHit
	Pager Pager
}

// SearchHit is a result with its highlighted snippet.
type SearchHit struct {
	Article news.Article
	Snippet template.HTML
}

const maxQuery = 200

func (s *Site) Search(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	tree := s.Tree()
	p := SearchPage{Base: s.base("Search", "Search the articles of "+s.cfg.Name+".", "/search"), AllSections: tree.All}
	p.Robots = "noindex, follow"
	text := strings.TrimSpace(qv.Get("q"))
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "")
	}
	if utf8.RuneCountInString(text) > maxQuery {
		p.Problem = "Your search was cut to its first 200 characters."
		text = string([]rune(text)[:maxQuery])
	}
	p.Query = text
	page, err := pageParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := news.SearchQuery{Text: text, Limit: 10, Offset: (page - 1) * 10, Now: s.now()}
	if sp := qv.Get("section"); sp != "" {
		sec, ok := tree.ByPath(sp)
		if !ok {
			p.Problem = "There is no section “" + sp + "”; searching all sections."
		} else {
			p.SectionPath = sec.Path
			q.SectionIDs = tree.Subtree(sec.ID)
		}
	}
	parseDate := func(name string) time.Time {
		v := qv.Get(name)
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, s.cfg.Location)
		if err != nil || t.Year() < 1900 || t.Year() > 9999 {
			p.Problem = "Dates must look like 2026-11-29; the " + name + " date was ignored."
			return time.Time{}
		}
		return t
	}
	if q.Since = parseDate("from"); !q.Since.IsZero() {
		p.From = q.Since.Format("2006-01-02")
	}
	if q.Until = parseDate("to"); !q.Until.IsZero() {
		p.To = q.Until.Format("2006-01-02")
		q.Until = q.Until.AddDate(0, 0, 1)
	}
	if text != "" {
		res, err := s.store.Search(r.Context(), q)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		p.Total, p.More = res.Total, res.TotalIsLowerBound
		for _, h := range res.Hits {
			p.Hits = append(p.Hits, SearchHit{Article: h.Article, Snippet: markup.Highlight(h.Snippet, news.HighlightStart, news.HighlightEnd)})
		}
		keep := url.Values{"q": {text}}
		for _, k := range []string{"section", "from", "to"} {
			if v := qv.Get(k); v != "" {
				keep.Set(k, v)
			}
		}
		p.Pager = pager("/search?"+keep.Encode(), page, 10, res.Total)
		p.Pager.PrevURL = strings.Replace(p.Pager.PrevURL, "?page=", "&page=", 1)
		p.Pager.NextURL = strings.Replace(p.Pager.NextURL, "?page=", "&page=", 1)
		p.Title = "Search: " + text + " | " + s.cfg.Name
	}
	s.html(w, r, http.StatusOK, "search", p, time.Time{})
}
