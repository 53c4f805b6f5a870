package pgstore

import (
	"context"
	"fmt"
	"strings"

	"byline/internal/news"
	"byline/internal/store"

	"github.com/jackc/pgx/v5"
)

// maxLexeme is the longest word PostgreSQL indexes (it skips longer ones
// with a notice), in bytes.
const maxLexeme = 2046

// tsQuery builds the tsquery of a reader's terms as SQL with w's
// arguments: the words stemmed and ANDed by plainto_tsquery (English stop
// words dropped), and each Korean word as itself or the phrase of its
// bigrams (inside a compound). Every word is an argument, never query
// syntax. ok is false when there is nothing to look for, or a word is too
// long to be in any document.
func tsQuery(w *where, terms []store.QueryTerm) (sql string, ok bool) {
	var plain []string
	var parts []string
	for _, t := range terms {
		if len(t.Word) > maxLexeme {
			return "", false
		}
		if t.Grams == "" {
			plain = append(plain, t.Word)
			continue
		}
		parts = append(parts, `(plainto_tsquery('english', `+w.arg(t.Word)+`) || phraseto_tsquery('simple', `+w.arg(t.Grams)+`))`)
	}
	if len(plain) > 0 {
		parts = append([]string{`plainto_tsquery('english', ` + w.arg(strings.Join(plain, " ")) + `)`}, parts...)
	}
	return `(` + strings.Join(parts, ` && `) + `)`, len(parts) > 0
}

// fieldRank ranks a candidate by where the query's words are, as
// sqlitestore does: all of them in the headline count 10, in the dek or
// the byline/tag/section/dateline line 4, elsewhere 1; ties go to the
// newest. Both engines thus order hits alike. The search vector keeps
// each field at its own weight (headline A; dek and that line B; Korean
// bigrams D, so a compound in a headline counts as body), and ts_filter
// keeps one weight's words: no text is parsed again (to_tsvector over
// the candidates' headlines costs four times as much).
func fieldRank(tsq string) string {
	return `(1 + 10 * (ts_filter(a.search, '{a}') @@ ` + tsq + `)::int + 4 * (ts_filter(a.search, '{b}') @@ ` + tsq + `)::int)`
}

// How many of the newest matches a search ranks.
const (
	searchCandidates   = 1000
	filteredCandidates = 5000
)

// Search ranks visible articles by where the words are (fieldRank) and
// returns snippets with highlight markers. Hit.Rank follows sqlitestore's
// convention: lower is better.
func (s *Store) Search(ctx context.Context, q news.SearchQuery) (news.SearchResult, error) {
	var res news.SearchResult
	terms := store.ParseSearch(q.Text)
	t := q.Now
	if t.IsZero() {
		t = now()
	}
	var w where
	tsq, ok := tsQuery(&w, terms)
	if !ok {
		return res, nil
	}
	w.add(`a.search @@ ` + tsq)
	w.visible(t)
	if len(q.SectionIDs) > 0 {
		w.add(`a.section_id = ANY(` + w.arg(q.SectionIDs) + `)`)
	}
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ` + w.arg(ts(q.Since)))
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ` + w.arg(ts(q.Until)))
	}
	cond, condArgs := w.String(), len(w.args)
	count := `SELECT count(*) FROM articles a` + cond
	if q.Offset < 0 {
		err := s.pool.QueryRow(ctx, count, w.args...).Scan(&res.Total)
		return res, err
	}
	// The page of hits is chosen first, ranking the candidates and
	// counting them in the same pass; snippets are made in Go from the
	// page's texts (store.Snippet), as on SQLite.
	order := `rank DESC, published_at DESC NULLS LAST, id DESC`
	page := ` LIMIT ` + w.arg(clampLimit(q.Limit, 10, 100)) + ` OFFSET ` + w.arg(q.Offset)
	// Ranking every match of a common word costs seconds on a large
	// archive, so only the newest candidates are ranked (as in the SQLite
	// engine); Total then counts them and is a lower bound.
	n := searchCandidates
	if len(q.SectionIDs) > 0 || !q.Since.IsZero() || !q.Until.IsZero() {
		n = filteredCandidates
	}
	sql := `WITH cand AS (
		SELECT a.id AS cid FROM articles a` + cond + `
		ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT ` + w.arg(n+1) + `
	), hits AS (
		SELECT a.id, a.published_at, ` + fieldRank(tsq) + ` AS rank, count(*) OVER () AS total
		FROM cand JOIN articles a ON a.id = cand.cid
		ORDER BY ` + order + page + `)
	SELECT ` + listCols + `, h.rank, h.total, a.body_text, a.search_meta
	FROM hits h JOIN articles a ON a.id = h.id JOIN sections s ON s.id = a.section_id
	ORDER BY h.` + strings.ReplaceAll(order, ", ", ", h.") + `
`
	rows, err := s.pool.Query(ctx, sql, w.args...)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	var total int64
	res.Hits, err = collect(rows, func(r pgx.CollectableRow) (news.SearchHit, error) {
		var h news.SearchHit
		var rank float64
		var body, meta string
		a, err := scanArticle(r, false, &rank, &total, &body, &meta)
		if err != nil {
			return h, err
		}
		h.Article, h.Rank = a, -rank
		h.Snippet = store.Snippet(terms, a.Headline, a.Dek, body, meta)
		return h, nil
	})
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	if len(res.Hits) == 0 {
		// A page past the end still reports how many hits there are.
		if q.Offset > 0 {
			err := s.pool.QueryRow(ctx, count, w.args[:condArgs]...).Scan(&res.Total)
			return res, err
		}
		return res, nil
	}
	res.Total = int(total)
	if res.Total > n {
		res.Total, res.TotalIsLowerBound = n, true
	}
	list := make([]news.Article, len(res.Hits))
	for i := range res.Hits {
		list[i] = res.Hits[i].Article
	}
	if err := s.fillRelations(ctx, list); err != nil {
		return res, err
	}
	for i := range res.Hits {
		res.Hits[i].Article = list[i]
	}
	return res, nil
}
