package sqlitestore

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"byline/internal/news"
)

var _ news.Store = (*Store)(nil)

// ftsQuery turns a reader's words into an FTS5 query in which every word
// is a quoted string, so that no input can reach FTS5's query syntax. All
// words must match. At most 12 words are used.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	n := 0
	for _, w := range words {
		if n == 12 {
			break
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + w + `"`)
		n++
	}
	return b.String()
}

// Search ranks visible articles by BM25 (headline weighs most, then dek,
// then body) and returns snippets with highlight markers.
func (s *Store) Search(ctx context.Context, q news.SearchQuery) (news.SearchResult, error) {
	var res news.SearchResult
	match := ftsQuery(q.Text)
	if match == "" {
		return res, nil
	}
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	w := whereBuilder{}
	w.add(`articles_fts MATCH ?`, match)
	w.visible(now)
	w.in("a.section_id", q.SectionIDs)
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ?`, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ?`, q.Until.UnixMilli())
	}
	// CROSS JOIN keeps the full-text match as the outer loop; with a plain
	// JOIN SQLite may walk the visibility index and run the match once per
	// article (seconds instead of milliseconds on 20,000 articles).
	from := ` FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid JOIN sections s ON s.id = a.section_id`
	if err := s.r.QueryRowContext(ctx, `SELECT count(*)`+from+w.String(), w.args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("search count: %w", err)
	}
	limit := clampLimit(q.Limit, 10, 100)
	if res.Total == 0 || q.Offset < 0 || q.Offset >= res.Total {
		return res, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+listCols+`, snippet(articles_fts, -1, ?, ?, '…', 28), bm25(articles_fts, 10.0, 4.0, 1.0) AS rank`+
		from+w.String()+` ORDER BY rank, a.published_at DESC LIMIT ? OFFSET ?`,
		append(append([]any{news.HighlightStart, news.HighlightEnd}, w.args...), limit, q.Offset)...)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h news.SearchHit
		var snippet string
		a, err := scanArticle(scanPlus{rows, []any{&snippet, &h.Rank}}, false)
		if err != nil {
			return res, err
		}
		h.Article, h.Snippet = a, snippet
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return res, err
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

// scanPlus scans extra trailing columns after the ones scanArticle reads.
type scanPlus struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (p scanPlus) Scan(dest ...any) error { return p.sc.Scan(append(dest, p.extra...)...) }
