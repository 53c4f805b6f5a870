package sqlitestore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"
	"byline/internal/store"
)

var _ news.Store = (*Store)(nil)

// ftsQuery turns a reader's terms into an FTS5 query in which every word
// is a quoted string, so that no input can reach FTS5's query syntax. All
// words must match; a Korean word matches as itself or as the phrase of
// its bigrams in search_grams (inside a compound).
func ftsQuery(terms []store.QueryTerm) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" AND ") // FTS5 has no implicit AND before a group
		}
		if t.Grams != "" {
			b.WriteString(`("` + t.Word + `" OR search_grams : "` + t.Grams + `")`)
		} else {
			b.WriteString(`"` + t.Word + `"`)
		}
	}
	return b.String()
}

// Search ranks visible articles by where the words are (headline, then
// dek and the byline/tag/section/dateline line, then body and Korean
// bigrams) and returns snippets (store.Snippet) with highlight markers.
//
// Ranking every match costs time in proportion to the matches, and a
// common word matches most of an archive. So the ranking considers the
// newest matches only (FTS5 walks its index in rowid order, and rowids
// grow with time): store.SearchCandidates of them, or FilteredCandidates when a
// section or date filter will discard many. A reader searching a news
// site wants recent stories first anyway; older ones are reached with
// the date filter. Total counts the visible matches among the
// candidates, and TotalIsLowerBound says when more exist.
func (s *Store) Search(ctx context.Context, q news.SearchQuery) (news.SearchResult, error) {
	var res news.SearchResult
	terms := store.ParseSearch(q.Text)
	match := ftsQuery(terms)
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
	n := store.SearchCandidates
	if len(q.SectionIDs) > 0 || !q.Since.IsZero() || !q.Until.IsZero() {
		n = store.FilteredCandidates
	}
	// One statement ranks and counts: the candidates (the newest n+1
	// matches) are found once; the visible ones are counted by a window
	// over them and the page is cut from them. CROSS JOIN keeps the
	// full-text match as the outer loop (with a plain JOIN SQLite may walk
	// the visibility index and run the match once per article), and
	// articles_search_visible answers the visibility test from an index:
	// the table's row would mean reading each candidate's body from
	// overflow pages.
	//
	// The rank is by field, as the reader sees a story: every word in the
	// headline counts 10, in the dek or byline/tag/section/dateline line 4,
	// elsewhere 1 (the weights of PostgreSQL's ts_rank_cd here); ties go to
	// the newest. FTS5's bm25() would cost more than the rest of a search
	// together: before its first row it counts, for each word, every
	// article in the archive that holds it. The field tests are the same
	// match restricted to columns and to the candidates' rowids, which FTS5
	// answers from the index.
	// The candidates' LIMIT is written into the statement (n is one of two
	// constants), not bound: SQLite hands a bound LIMIT of a virtual table
	// scan to FTS5 by value, which marks the statement to be prepared again
	// whenever that parameter is bound, i.e. on every search (a parse of
	// this statement each time, about a twentieth of a search's CPU).
	cand := `WITH c AS MATERIALIZED (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ` + strconv.Itoa(n+1) + `),
		lo AS MATERIALIZED (SELECT coalesce(min(id), 0) AS m FROM c),
		hd AS MATERIALIZED (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= (SELECT m FROM lo)),
		dk AS MATERIALIZED (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= (SELECT m FROM lo))`
	from := ` FROM c CROSS JOIN articles a INDEXED BY articles_search_visible ON a.id = c.id`
	rank := `-(1 + 10 * (c.id IN (SELECT id FROM hd)) + 4 * (c.id IN (SELECT id FROM dk)))`
	args := append([]any{match, `{headline} : (` + match + `)`, `{dek search_meta} : (` + match + `)`}, w.args...)
	limit, offset := clampLimit(q.Limit, 10, 100), q.Offset
	if offset < 0 {
		// Only the count is wanted (as on PostgreSQL).
		limit, offset = 0, 1
	}
	// Prepared once per shape (filters, page size): parsing this
	// statement costs more than a rare word's search.
	st, err := s.prepared(ctx, s.r, cand+` SELECT c.id, `+rank+` AS rank, count(*) OVER (), (SELECT count(*) FROM c)`+from+w.String()+
		` ORDER BY rank, a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	rows, err := st.QueryContext(ctx, append(args, limit, offset)...)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	var ids []int64
	var ranks []float64
	matched := 0
	for rows.Next() {
		var id int64
		var rank float64
		if err := rows.Scan(&id, &rank, &res.Total, &matched); err != nil {
			rows.Close()
			return res, fmt.Errorf("search: %w", err)
		}
		ids, ranks = append(ids, id), append(ranks, rank)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	if len(ids) == 0 {
		if offset == 0 {
			return res, nil
		}
		// A page past the end still reports how many hits there are.
		if err := s.r.QueryRowContext(ctx, cand+` SELECT count(*), (SELECT count(*) FROM c)`+from+w.String(), args...).Scan(&res.Total, &matched); err != nil {
			return res, fmt.Errorf("search count: %w", err)
		}
	}
	if matched > n {
		res.TotalIsLowerBound = true
		res.Total = min(res.Total, n)
	}
	if len(ids) == 0 {
		return res, nil
	}
	// The page's articles, with what their snippets are made from.
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	st, err = s.prepared(ctx, s.r, `SELECT `+listCols+`, a.body_text, a.search_meta FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id IN (`+ph+`)`)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	rows, err = st.QueryContext(ctx, idArgs...)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]news.SearchHit, len(ids))
	for rows.Next() {
		var h news.SearchHit
		var body, meta string
		a, err := scanArticle(scanPlus{rows, []any{&body, &meta}}, false)
		if err != nil {
			return res, err
		}
		h.Article = a
		h.Snippet = store.Snippet(terms, a.Headline, a.Dek, body, meta)
		byID[a.ID] = h
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	rows.Close()
	for i, id := range ids {
		if h, ok := byID[id]; ok {
			h.Rank = ranks[i]
			res.Hits = append(res.Hits, h)
		}
	}
	return res, store.FillHits(ctx, res.Hits, s.fillRelations)
}

// scanPlus scans extra trailing columns after the ones scanArticle reads.
type scanPlus struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (p scanPlus) Scan(dest ...any) error { return p.sc.Scan(append(dest, p.extra...)...) }

// TidySearch merges the full-text index into one segment (FTS5's
// 'optimize', as migration 0820 did once): an index written article by
// article is many segments, each of which a search reads.
func (s *Store) TidySearch(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('optimize')`)
	return err
}

// SearchUpkeep has nothing to do: FTS5 merges an index's segments as
// articles are written (its automerge), and search's plan needs no
// statistics. Only bulk writes leave enough segments for TidySearch.
func (s *Store) SearchUpkeep(ctx context.Context) (bool, error) { return false, nil }
