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
	st, ok := s.searchStatement(ctx, q, terms)
	if !ok {
		return res, nil
	}
	if q.Offset < 0 {
		err := s.pool.QueryRow(ctx, st.count, st.countArgs...).Scan(&res.Total)
		return res, err
	}
	n := st.candidates
	rows, err := s.pool.Query(ctx, st.sql, st.args...)
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
			err := s.pool.QueryRow(ctx, st.count, st.countArgs...).Scan(&res.Total)
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

// searchStmt is a search as SQL: the page of hits, and the count of all
// matches (for Offset < 0 and a page past the end).
type searchStmt struct {
	sql, count      string
	args, countArgs []any
	candidates      int // how many newest matches are ranked
}

func (s *Store) searchStatement(ctx context.Context, q news.SearchQuery, terms []store.QueryTerm) (searchStmt, bool) {
	t := q.Now
	if t.IsZero() {
		t = now()
	}
	var w where
	tsq, loose, phrase, ok := tsQuery(&w, terms)
	if !ok {
		return searchStmt{}, false
	}
	filtered := len(q.SectionIDs) > 0 || !q.Since.IsZero() || !q.Until.IsZero()
	if !filtered {
		// The statement is prepared once with a plan for any words: each
		// query is made once (an InitPlan), not for every row it is
		// tested against.
		tsq, loose = `(SELECT `+tsq+`)`, `(SELECT `+loose+`)`
	}
	// matches is what the words ask; w's conditions, which articles may be
	// shown (visible now, sections, dates).
	matches := []match{{"words", loose}}
	if phrase {
		matches = append(matches, match{"search", tsq})
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
	shown := strings.Join(w.conds, ` AND `)
	cond, condArgs := ` WHERE `+matchSQL(matches)+` AND `+shown, len(w.args)
	// article_search (migration 0810) has the columns the condition
	// reads under the same names as articles, hence the same alias.
	count := `SELECT count(*) FROM article_search a` + cond
	// Ranking every match of a common word costs seconds on a large
	// archive, so only the newest candidates are ranked (as in the SQLite
	// engine); Total then counts them and is a lower bound.
	n := store.SearchCandidates
	if filtered {
		n = store.FilteredCandidates
	}
	if s.searchTest.candidates > 0 {
		n = s.searchTest.candidates
	}
	var cand string
	if filtered {
		// Sections and dates change how far a walk must go in ways the
		// words' statistics do not tell: the planner picks the path for
		// these arguments, planning the statement every time
		// (QueryExecModeExec).
		cand = `cand AS MATERIALIZED (
		SELECT a.id, a.published_at, ` + fieldRank(tsq) + ` AS rank FROM article_search a` + cond + `
		ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT ` + w.arg(n+1) + `)`
	} else {
		plan := s.walkBound(ctx, terms, n+1)
		if s.searchTest.walk != 0 {
			plan = s.testWalk(ctx, terms)
		}
		if s.searchTest.noMasks {
			plan.lexemes = nil
		}
		cand = newestMatches(&w, matches, tsq, shown, plan, n+1)
	}
	// The page of hits is chosen first, ranking the candidates and
	// counting them in the same pass; snippets are made in Go from the
	// page's texts (store.Snippet), as on SQLite.
	order := `rank DESC, published_at DESC NULLS LAST, id DESC`
	page := ` LIMIT ` + w.arg(clampLimit(q.Limit, 10, 100)) + ` OFFSET ` + w.arg(q.Offset)
	sql := `WITH ` + cand + `, hits AS (
		SELECT a.id, a.published_at, a.rank, count(*) OVER () AS total
		FROM cand a
		ORDER BY ` + order + page + `)
	SELECT ` + listCols + `, h.rank, h.total, a.body_text, a.search_meta
	FROM hits h JOIN articles a ON a.id = h.id JOIN sections s ON s.id = a.section_id
	ORDER BY h.` + strings.ReplaceAll(order, ", ", ", h.") + `
`
	args := w.args
	if filtered {
		args = append([]any{pgx.QueryExecModeExec}, w.args...)
	}
	countArgs := append([]any{pgx.QueryExecModeExec}, w.args[:condArgs]...)
	return searchStmt{sql: sql, args: args, count: count, countArgs: countArgs, candidates: n}, true
}

// newestMatches defines the CTE cand, the newest k matches when no
// section or date narrows the search, in one of three ways:
//
//   - masks (a walk, every lexeme of the query in search_common): read
//     article_common from the newest down its date index, back to
//     plan.since at most (zero: to the oldest), testing each article's
//     bits of the commonest lexemes (migration 0840): rows of about 450
//     bytes, against 3 kB.
//   - walk (a walk, some lexeme not in search_common): the same down
//     article_search, testing each row's words (in the row: no TOAST
//     read). A common word's k newest matches are near the top.
//   - gin (no walk, or when the walk found fewer than k): all the matches
//     from the GIN index on words, sorted. A rare word has few.
//
// Written as parts of one statement, each unable to take another's path
// (the walks call ts_match_vq, the function behind @@, or test bits,
// which no index answers; the GIN part orders by an expression no index
// has), the plan is the same whatever the words, so it is prepared once
// per connection and kept. The parts not needed stop at their gates
// (one-time filters). search_common and article_common are read in the
// statement's one snapshot, so masks and lexemes always agree.
func newestMatches(w *where, match []match, tsq, shown string, plan walkPlan, k int) string {
	var test []string
	for _, m := range match {
		test = append(test, `ts_match_vq(a.`+m.col+`, `+m.query+`)`)
	}
	var from any // NULL: no lower bound
	if !plan.since.IsZero() {
		from = ts(plan.since)
	}
	lexemes := plan.lexemes
	if lexemes == nil {
		lexemes = []string{} // NULL would make every gate NULL
	}
	kk, walk, lex := w.arg(k), w.arg(plan.walk), w.arg(lexemes)
	since := `a.published_at >= coalesce(` + w.arg(from) + `::timestamptz, '-infinity')`
	masked := `((SELECT n FROM q) = cardinality(` + lex + `::text[]) AND cardinality(` + lex + `::text[]) > 0)`
	return `q AS MATERIALIZED (
		SELECT bit_or(mask) AS mask, count(*) AS n FROM search_common WHERE lexeme = ANY(` + lex + `::text[])
	), masks AS MATERIALIZED (
		SELECT a.id, a.published_at, (1 + 10 * ((a.head_common & (SELECT mask FROM q)) = (SELECT mask FROM q))::int
			+ 4 * ((a.lead_common & (SELECT mask FROM q)) = (SELECT mask FROM q))::int) AS rank
		FROM article_common a
		WHERE ` + walk + `::boolean AND ` + masked + ` AND ` + shown + ` AND ` + since + `
			AND (a.common & (SELECT mask FROM q)) = (SELECT mask FROM q)
		ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT ` + kk + `
	), walk AS MATERIALIZED (
		SELECT a.id, a.published_at, ` + fieldRank(tsq) + ` AS rank FROM article_search a
		WHERE ` + walk + `::boolean AND NOT ` + masked + ` AND ` + shown + ` AND ` + since + `
			AND ` + strings.Join(test, ` AND `) + `
		ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT ` + kk + `
	), gin AS MATERIALIZED (
		SELECT a.id, a.published_at, ` + fieldRank(tsq) + ` AS rank FROM article_search a
		WHERE (SELECT count(*) FROM masks) + (SELECT count(*) FROM walk) < ` + kk + ` AND ` + matchSQL(match) + ` AND ` + shown + `
		ORDER BY a.published_at + interval '0 s' DESC NULLS LAST, a.id DESC LIMIT ` + kk + `
	), cand AS (
		SELECT * FROM masks WHERE (SELECT count(*) FROM masks) >= ` + kk + `
		UNION ALL SELECT * FROM walk WHERE (SELECT count(*) FROM walk) >= ` + kk + `
		UNION ALL SELECT * FROM gin
	)`
}

// match is one condition of the words: column @@ query.
type match struct{ col, query string }

func matchSQL(ms []match) string {
	var out []string
	for _, m := range ms {
		out = append(out, `a.`+m.col+` @@ `+m.query)
	}
	return strings.Join(out, ` AND `)
}
