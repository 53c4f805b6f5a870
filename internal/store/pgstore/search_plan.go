package pgstore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"byline/internal/store"
)

// How a search finds its newest matches (newestMatches) depends on how
// common its words are: walking the newest articles costs about 1 µs a
// row and must read k/f rows for words in a fraction f of articles; the
// GIN index costs about 2 µs a match and there are f·N of them. The walk
// wins when f² > walkGINRatio·k/N: above about 6 % of 100,000 articles
// for 501 candidates.
const walkGINRatio = 0.4

// walkMargin is how many times the expected rows the walk may read before
// it gives up for the GIN index (words that are common apart but rare
// together: "housing" and "shipbuilder").
const walkMargin = 3

// statsTTL is how long the planner's statistics of the words are kept
// before they are read again (autovacuum's ANALYZE changes them slowly).
const statsTTL = 10 * time.Minute

// wordStats is what PostgreSQL's ANALYZE knows of article_search: the most
// common lexemes of words (up to 1,000 at the default statistics target)
// with the fraction of articles that have each, the number of rows, and
// the histogram of publication dates. A lexeme not among them is rarer
// than all of them.
type wordStats struct {
	mu      sync.Mutex
	snap    *statsSnapshot
	read    time.Time
	reading bool
	lexemes map[string][]string // a query word → its lexemes ('english')
}

type statsSnapshot struct {
	freq  map[string]float64
	rows  float64
	dates []time.Time // equal-depth bounds of published_at, oldest first
}

// since is the publication date above which about the newest n rows lie,
// rounded towards more rows; zero when that is all of them.
func (sn *statsSnapshot) since(n float64) time.Time {
	h := len(sn.dates) - 1
	if h < 1 || n >= sn.rows {
		return time.Time{}
	}
	return sn.dates[int(math.Floor((1-n/sn.rows)*float64(h)))]
}

// maxCachedWords bounds wordStats.lexemes; when full it starts again.
const maxCachedWords = 10000

// walkPlan is how search finds the newest matches of plain words
// (newestMatches): walk from the newest back to since at most (zero: to
// the oldest), or take the GIN index. lexemes are the query's, distinct:
// when every one is in search_common the walk reads article_common's
// masks instead of article_search's vectors.
type walkPlan struct {
	walk    bool
	since   time.Time
	lexemes []string
}

// walkBound tells whether search walks from the newest for terms, and
// back to what date at most (the rows the walk is expected to need times
// walkMargin; zero: all). Only plain words are counted on: a Korean
// term's bigrams are not among the common lexemes, so it goes to the
// index. The fraction of articles with all the words is taken as that of
// the rarest (words of a name travel together: the planner, which
// multiplies them, expected 219 articles for "Kim Ji-won" where 9,992
// have it); the margin covers words that do not, and a word common in
// the archive but not lately.
func (s *Store) walkBound(ctx context.Context, terms []store.QueryTerm, k int) walkPlan {
	sn := s.words.current(ctx, s)
	if sn == nil || len(sn.freq) == 0 || sn.rows <= 0 {
		return walkPlan{}
	}
	lexemes := s.plainLexemes(ctx, terms)
	if len(lexemes) == 0 {
		return walkPlan{}
	}
	f := 1.0
	for _, l := range lexemes {
		fl, ok := sn.freq[l]
		if !ok {
			return walkPlan{}
		}
		f = min(f, fl)
	}
	if f*f < walkGINRatio*float64(k)/sn.rows {
		return walkPlan{}
	}
	return walkPlan{walk: true, since: sn.since(walkMargin * float64(k) / f), lexemes: lexemes}
}

// plainLexemes returns the distinct lexemes of terms when they are all
// plain words (none Korean), else nil.
func (s *Store) plainLexemes(ctx context.Context, terms []store.QueryTerm) []string {
	words := make([]string, 0, len(terms))
	for _, t := range terms {
		if t.Grams != "" {
			return nil
		}
		words = append(words, t.Word)
	}
	lexemes, err := s.words.lexemesOf(ctx, s, words)
	if err != nil {
		return nil
	}
	slices.Sort(lexemes)
	return slices.Compact(lexemes)
}

// testWalk is walkBound as a test set it (searchTest.walk): -1 takes the
// index; n > 0 walks back to the date of the n-th newest row.
func (s *Store) testWalk(ctx context.Context, terms []store.QueryTerm) walkPlan {
	if s.searchTest.walk < 0 {
		return walkPlan{}
	}
	p := walkPlan{walk: true, lexemes: s.plainLexemes(ctx, terms)}
	err := s.pool.QueryRow(ctx, `SELECT published_at FROM article_search WHERE published_at IS NOT NULL
		ORDER BY published_at DESC, id DESC OFFSET $1 LIMIT 1`, s.searchTest.walk-1).Scan(&p.since)
	if err != nil {
		p.since = time.Time{}
	}
	return p
}

// current returns the statistics, reading them first when they are older
// than statsTTL. One search reads them; the others meanwhile use what
// there is (nothing at first: the GIN index then serves every word).
func (st *wordStats) current(ctx context.Context, s *Store) *statsSnapshot {
	st.mu.Lock()
	sn := st.snap
	stale := !st.reading && time.Since(st.read) > statsTTL
	if stale {
		st.reading = true
	}
	st.mu.Unlock()
	if !stale {
		return sn
	}
	fresh, err := s.readWordStats(ctx)
	st.mu.Lock()
	st.reading = false
	st.read = time.Now()
	if err == nil {
		st.snap, sn = fresh, fresh
	}
	st.mu.Unlock()
	return sn
}

// readWordStats reads pg_stats (readable for tables the user may read).
func (s *Store) readWordStats(ctx context.Context) (*statsSnapshot, error) {
	var elems []string
	var freqs []float64
	sn := &statsSnapshot{}
	err := s.pool.QueryRow(ctx, `
		SELECT coalesce(w.most_common_elems::text::text[], '{}'), coalesce(w.most_common_elem_freqs::float8[], '{}'),
			coalesce(d.histogram_bounds::text::timestamptz[], '{}'), c.reltuples::float8
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_stats w ON w.schemaname = n.nspname AND w.tablename = c.relname AND w.attname = 'words'
		LEFT JOIN pg_stats d ON d.schemaname = n.nspname AND d.tablename = c.relname AND d.attname = 'published_at'
		WHERE c.oid = 'article_search'::regclass`).Scan(&elems, &freqs, &sn.dates, &sn.rows)
	if err != nil {
		return nil, err
	}
	// most_common_elem_freqs ends with three more numbers (the least and
	// greatest frequency, and that of empty vectors).
	sn.freq = make(map[string]float64, len(elems))
	for i, e := range elems {
		if i < len(freqs) {
			sn.freq[e] = freqs[i]
		}
	}
	return sn, nil
}

// lexemesOf returns the lexemes of words as plainto_tsquery('english')
// makes them (stop words have none), asking the server for the words it
// has not seen.
func (st *wordStats) lexemesOf(ctx context.Context, s *Store, words []string) ([]string, error) {
	var out, missing []string
	st.mu.Lock()
	for _, w := range words {
		if l, ok := st.lexemes[w]; ok {
			out = append(out, l...)
		} else {
			missing = append(missing, w)
		}
	}
	st.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT u.w, tsvector_to_array(to_tsvector('english', u.w)) FROM unnest($1::text[]) u(w)`, missing)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := make(map[string][]string, len(missing))
	for rows.Next() {
		var w string
		var l []string
		if err := rows.Scan(&w, &l); err != nil {
			return nil, err
		}
		got[w] = l
		out = append(out, l...)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	if st.lexemes == nil || len(st.lexemes) > maxCachedWords {
		st.lexemes = make(map[string][]string)
	}
	for w, l := range got {
		st.lexemes[w] = l
	}
	st.mu.Unlock()
	return out, nil
}

// TidySearch analyzes article_search, chooses search_common's lexemes
// again and recomputes article_common's masks while articles go on being
// written (search_common.go), vacuums article_common (a new table), and
// has the next search read the new statistics.
func (s *Store) TidySearch(ctx context.Context) error {
	return s.tidySearch(ctx, nil)
}

// tidySearch is TidySearch; built runs when the new masks are built, before
// they are swapped in (tests).
func (s *Store) tidySearch(ctx context.Context, built func()) error {
	if _, err := s.pool.Exec(ctx, `ANALYZE article_search`); err != nil {
		return fmt.Errorf("tidy search: %w", err)
	}
	if _, err := s.rebuildCommonLocked(ctx, built, false); err != nil {
		return fmt.Errorf("tidy search: %w", err)
	}
	return nil
}
