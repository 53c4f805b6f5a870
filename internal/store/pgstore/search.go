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
//
// loose is the same query with each phrase of bigrams loosened to all of
// them in any order: what article_search.words (no positions) can answer.
// phrase tells that loose alone may find too much, so that the whole
// vector must confirm.
func tsQuery(w *where, terms []store.QueryTerm) (sql, loose string, phrase, ok bool) {
	var plain []string
	var parts, lparts []string
	for _, t := range terms {
		if len(t.Word) > maxLexeme {
			return "", "", false, false
		}
		if t.Grams == "" {
			plain = append(plain, t.Word)
			continue
		}
		word, grams := w.arg(t.Word), w.arg(t.Grams)
		parts = append(parts, `(plainto_tsquery('english', `+word+`) || phraseto_tsquery('simple', `+grams+`))`)
		lparts = append(lparts, `(plainto_tsquery('english', `+word+`) || plainto_tsquery('simple', `+grams+`))`)
		phrase = phrase || strings.Contains(t.Grams, " ")
	}
	if len(plain) > 0 {
		p := `plainto_tsquery('english', ` + w.arg(strings.Join(plain, " ")) + `)`
		parts, lparts = append([]string{p}, parts...), append([]string{p}, lparts...)
	}
	return `(` + strings.Join(parts, ` && `) + `)`, `(` + strings.Join(lparts, ` && `) + `)`, phrase, len(parts) > 0
}

// fieldRank ranks a candidate by where the query's words are, as
// sqlitestore does: all of them in the headline count 10, in the dek or
// the byline/tag/section/dateline line 4, elsewhere 1; ties go to the
// newest. Both engines thus order hits alike. article_search keeps the
// vector's headline words (weight A) as head and its dek and byline-line
// words (B) as lead (Korean bigrams are D, so a compound in a headline
// counts as body): small vectors, read inline, where testing the whole
// vector's weights meant reading it from TOAST.
func fieldRank(tsq string) string {
	return `(1 + 10 * (a.head @@ ` + tsq + `)::int + 4 * (a.lead @@ ` + tsq + `)::int)`
}

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
	tsq, loose, phrase, ok := tsQuery(&w, terms)
	if !ok {
		return res, nil
	}
	w.add(`a.words @@ ` + loose)
	if phrase {
		w.add(`a.search @@ ` + tsq)
	}
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
	// article_search (migration 0810) has the columns the condition
	// reads under the same names as articles, hence the same alias.
	count := `SELECT count(*) FROM article_search a` + cond
	if q.Offset < 0 {
		err := s.pool.QueryRow(ctx, count, append([]any{pgx.QueryExecModeExec}, w.args...)...).Scan(&res.Total)
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
	n := store.SearchCandidates
	if len(q.SectionIDs) > 0 || !q.Since.IsZero() || !q.Until.IsZero() {
		n = store.FilteredCandidates
	}
	//
	// The newest matches come either from walking article_search's date
	// index and testing each row's words (in the row: no TOAST read), or
	// from the GIN index on words and a sort: the first for a common word,
	// the second for a rare one. The planner tells which from the words'
	// statistics, so the statement is planned for its arguments every time
	// (QueryExecModeExec), never once for all words. The ranking reads only
	// head and lead.
	sql := `WITH cand AS MATERIALIZED (
		SELECT a.id, a.published_at, a.head, a.lead FROM article_search a` + cond + `
		ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT ` + w.arg(n+1) + `
	), hits AS (
		SELECT a.id, a.published_at, ` + fieldRank(tsq) + ` AS rank, count(*) OVER () AS total
		FROM cand a
		ORDER BY ` + order + page + `)
	SELECT ` + listCols + `, h.rank, h.total, a.body_text, a.search_meta
	FROM hits h JOIN articles a ON a.id = h.id JOIN sections s ON s.id = a.section_id
	ORDER BY h.` + strings.ReplaceAll(order, ", ", ", h.") + `
`
	rows, err := s.pool.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, w.args...)...)
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
			err := s.pool.QueryRow(ctx, count, append([]any{pgx.QueryExecModeExec}, w.args[:condArgs]...)...).Scan(&res.Total)
			return res, err
		}
		return res, nil
	}
	res.Total = int(total)
	if res.Total > n {
		res.Total, res.TotalIsLowerBound = n, true
	}
	return res, store.FillHits(ctx, res.Hits, s.fillRelations)
}
