package pgstore

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

// maxQueryWords bounds the work one search can ask for, as in sqlitestore.
const maxQueryWords = 12

// maxLexeme is the longest word PostgreSQL indexes (it skips longer ones
// with a notice), in bytes.
const maxLexeme = 2046

// queryWords splits a reader's text into the words to look for: runs of
// letters and digits, at most maxQueryWords. Everything else, quotes and
// operators included, separates words, so no input reaches tsquery syntax;
// the query functions then stem the words and drop English stop words. ok is
// false when a word is too long to be in any document, so nothing can
// match all of them.
//
// and is the text for plainto_tsquery, which ANDs the words: what an
// article must contain. or is the same words for websearch_to_tsquery as
// "w1" or "w2" ...: what snippets mark, since a passage rarely holds every
// word. Neither function can fail on its input, whatever it is.
func queryWords(text string) (and, or string, ok bool) {
	fields := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(fields) > maxQueryWords {
		fields = fields[:maxQueryWords]
	}
	for _, f := range fields {
		if len(f) > maxLexeme {
			return "", "", false
		}
	}
	return strings.Join(fields, " "), `"` + strings.Join(fields, `" or "`) + `"`, len(fields) > 0
}

// headlineOptions configure ts_headline like sqlitestore's snippet(): one
// passage of about 28 words around the best match.
var headlineOptions = fmt.Sprintf(`StartSel="%s", StopSel="%s", MaxWords=28, MinWords=12, ShortWord=3, MaxFragments=1`,
	news.HighlightStart, news.HighlightEnd)

// rankWeights are ts_rank_cd's weights for D, C (body), B (dek) and A
// (headline): the same 1 : 4 : 10 as sqlitestore's bm25 weights.
const rankWeights = `'{0, 0.1, 0.4, 1.0}'::float4[]`

// How many of the newest matches a search ranks.
const (
	searchCandidates   = 1000
	filteredCandidates = 5000
)

// Search ranks visible articles by cover density (a headline match counts
// ten times a body match, a dek match four times) and returns snippets with
// highlight markers. Hit.Rank follows sqlitestore's convention, where bm25
// is negative: lower is better.
func (s *Store) Search(ctx context.Context, q news.SearchQuery) (news.SearchResult, error) {
	var res news.SearchResult
	and, or, ok := queryWords(q.Text)
	if !ok {
		return res, nil
	}
	t := q.Now
	if t.IsZero() {
		t = now()
	}
	var w where
	tsq := `plainto_tsquery('english', ` + w.arg(and) + `)`
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
	// The page of hits is chosen first, ranking every match and counting
	// them in the same pass; only the page then pays for ts_headline, which
	// re-parses each text. The snippet comes from the body, or from the
	// headline or dek when the body holds none of the words (an article
	// matches when its fields hold them all between them). ts_headline
	// drops punctuation at the edges of its passage, so the ellipsis test
	// compares the passage with the ends of the text, both without it.
	order := `rank DESC, published_at DESC NULLS LAST, id DESC`
	page := ` LIMIT ` + w.arg(clampLimit(q.Limit, 10, 100)) + ` OFFSET ` + w.arg(q.Offset)
	marked := `websearch_to_tsquery('english', ` + w.arg(or) + `)`
	opts := w.arg(headlineOptions) + `::text`
	start, end := w.arg(news.HighlightStart)+`::text`, w.arg(news.HighlightEnd)+`::text`
	edges := `'^[[:space:][:punct:]]+|[[:space:][:punct:]]+$'`
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
		SELECT a.id, a.published_at, ts_rank_cd(` + rankWeights + `, a.search, ` + tsq + `, 1) AS rank, count(*) OVER () AS total
		FROM cand JOIN articles a ON a.id = cand.cid
		ORDER BY ` + order + page + `)
	SELECT ` + listCols + `, h.rank, h.total, sn.snippet,
		starts_with(regexp_replace(left(sn.src, e.len + 64), ` + edges + `, '', 'g'), e.plain),
		right(regexp_replace(right(sn.src, e.len + 64), ` + edges + `, '', 'g'), e.len) = e.plain
	FROM hits h JOIN articles a ON a.id = h.id JOIN sections s ON s.id = a.section_id
	CROSS JOIN LATERAL (
		SELECT v.src, x.snippet
		FROM (VALUES (1, a.body_text), (2, a.headline), (3, a.dek)) AS v(n, src)
		CROSS JOIN LATERAL (SELECT ts_headline('english', v.src, ` + marked + `, ` + opts + `) AS snippet) x
		ORDER BY strpos(x.snippet, ` + start + `) = 0, v.n
		LIMIT 1
	) sn
	CROSS JOIN LATERAL (
		SELECT p.plain, char_length(p.plain) AS len
		FROM (SELECT regexp_replace(translate(sn.snippet, ` + start + ` || ` + end + `, ''), ` + edges + `, '', 'g') AS plain) p
	) e
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
		var atStart, atEnd bool
		a, err := scanArticle(r, false, &rank, &total, &h.Snippet, &atStart, &atEnd)
		if err != nil {
			return h, err
		}
		h.Article, h.Rank = a, -rank
		if !atStart {
			h.Snippet = "…" + h.Snippet
		}
		if !atEnd {
			h.Snippet += "…"
		}
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
