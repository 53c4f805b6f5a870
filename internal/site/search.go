package site

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
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
	// Pages are authors and sections whose name is the query: offered
	// before the articles ("Kim Ji-won" leads to the reporter's page).
	Pages []SearchPageLink
	// Suggestion is a spelling from the archive's own words when the
	// query found little ("hosing" -> "housing"), with its link and how
	// many articles it finds.
	Suggestion      string
	SuggestionURL   string
	SuggestionTotal int
}

// SearchPageLink is an author or section page offered by a search.
type SearchPageLink struct {
	Kind, Name, URL, Note string
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
		if page == 1 {
			if p.Pages, err = s.searchPages(r, text, tree); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		if page == 1 && res.Total < fewHits {
			if err := s.suggest(r, &p, q, keep); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		p.Pager = pager("/search?"+keep.Encode(), page, 10, res.Total)
		p.Pager.PrevURL = strings.Replace(p.Pager.PrevURL, "?page=", "&page=", 1)
		p.Pager.NextURL = strings.Replace(p.Pager.NextURL, "?page=", "&page=", 1)
		p.Title = "Search: " + text + " | " + s.cfg.Name
	}
	s.html(w, r, http.StatusOK, "search", p, time.Time{})
}

// fewHits: below this many hits a search offers a spelling suggestion.
const fewHits = 3

// suggest offers the archive's closest spelling of the query when it
// differs and finds more, with the same section and dates. The
// vocabulary holds public articles' words only, but one may have been
// withdrawn since: a suggestion that finds nothing a reader may see is
// never shown.
func (s *Site) suggest(r *http.Request, p *SearchPage, q news.SearchQuery, keep url.Values) error {
	sugg, err := s.store.SuggestSpelling(r.Context(), q.Text)
	if err != nil || sugg == "" || strings.EqualFold(sugg, q.Text) {
		return err
	}
	orig := q.Text
	q.Text, q.Offset, q.Limit = sugg, 0, 1
	res, err := s.store.Search(r.Context(), q)
	if err != nil || res.Total <= p.Total {
		return err
	}
	keep.Set("q", sugg)
	p.Suggestion, p.SuggestionURL, p.SuggestionTotal = sugg, "/search?"+keep.Encode(), res.Total
	keep.Set("q", orig)
	return nil
}

// searchPages finds the authors and sections a query names. An author
// matches when every word of the query is a word of their name ("Kim
// Ji-won", "ji-won kim", "Kim" for every Kim); a section when the query is
// its name. Hyphens and case do not matter.
func (s *Site) searchPages(r *http.Request, text string, tree *news.Tree) ([]SearchPageLink, error) {
	qw := nameWords(text)
	if len(qw) == 0 || len(qw) > 4 {
		return nil, nil
	}
	var out []SearchPageLink
	authors, err := s.searchAuthors(r.Context())
	if err != nil {
		return nil, err
	}
	for _, au := range authors {
		have := map[string]bool{}
		for _, w := range nameWords(au.Name) {
			have[w] = true
		}
		all := true
		for _, w := range qw {
			all = all && have[w]
		}
		if all && len(out) < 5 {
			out = append(out, SearchPageLink{Kind: "Author", Name: au.Name, URL: au.URL(), Note: au.Title})
		}
	}
	joined := strings.Join(qw, " ")
	for _, sec := range tree.All {
		if strings.Join(nameWords(sec.Name), " ") == joined {
			out = append(out, SearchPageLink{Kind: "Section", Name: sec.Name, URL: sec.URL(), Note: sec.Description})
		}
	}
	return out, nil
}

// nameWords splits a name into lower-case words of letters and digits.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
