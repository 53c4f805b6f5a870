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
//
// Ranking every match costs time in proportion to the matches, and a
// common word matches most of an archive. So the ranking considers the
// newest matches only (FTS5 walks its index in rowid order, and rowids
// grow with time): searchCandidates of them, or filteredCandidates when a
// section or date filter will discard many. A reader searching a news
// site wants recent stories first anyway; older ones are reached with
// the date filter. Total counts the visible matches among the
// candidates, and TotalIsLowerBound says when more exist.
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
	w.visible(now)
	w.in("a.section_id", q.SectionIDs)
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ?`, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ?`, q.Until.UnixMilli())
	}
	n := searchCandidates
	if len(q.SectionIDs) > 0 || !q.Since.IsZero() || !q.Until.IsZero() {
		n = filteredCandidates
	}
	// CROSS JOIN keeps the full-text match as the outer loop; with a plain
	// JOIN SQLite may walk the visibility index and run the match once per
	// article.
	from := ` FROM (SELECT rowid AS id, bm25(articles_fts, 10.0, 4.0, 1.0) AS rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) c
		CROSS JOIN articles a ON a.id = c.id`
	args := append([]any{match, n + 1}, w.args...)
	if err := s.r.QueryRowContext(ctx, `SELECT count(*)`+from+w.String(), args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("search count: %w", err)
	}
	var matched int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)`, match, n+1).Scan(&matched); err != nil {
		return res, fmt.Errorf("search count: %w", err)
	}
	if matched > n {
		res.TotalIsLowerBound = true
		res.Total = min(res.Total, n)
	}
	limit := clampLimit(q.Limit, 10, 100)
	if res.Total == 0 || q.Offset < 0 || q.Offset >= res.Total {
		return res, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+listCols+`, c.rank`+from+` JOIN sections s ON s.id = a.section_id`+w.String()+
		` ORDER BY c.rank, a.published_at DESC LIMIT ? OFFSET ?`, append(args, limit, q.Offset)...)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h news.SearchHit
		a, err := scanArticle(scanPlus{rows, []any{&h.Rank}}, false)
		if err != nil {
			return res, err
		}
		h.Article = a
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	rows.Close()
	// Snippets cost a re-read of the text: only the page's hits pay it,
	// each with a look-up FTS5 answers by rowid.
	for i := range res.Hits {
		if err := s.r.QueryRowContext(ctx, `SELECT snippet(articles_fts, -1, ?, ?, '…', 28) FROM articles_fts WHERE articles_fts MATCH ? AND rowid = ?`,
			news.HighlightStart, news.HighlightEnd, match, res.Hits[i].Article.ID).Scan(&res.Hits[i].Snippet); err != nil {
			return res, fmt.Errorf("search snippet: %w", err)
		}
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

// How many of the newest matches a search ranks.
const (
	searchCandidates   = 1000
	filteredCandidates = 5000
)

// scanPlus scans extra trailing columns after the ones scanArticle reads.
type scanPlus struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (p scanPlus) Scan(dest ...any) error { return p.sc.Scan(append(dest, p.extra...)...) }
