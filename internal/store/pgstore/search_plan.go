package pgstore

import (
	"context"
	"math"
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

// wordStats is what PostgreSQL's ANALYZE knows of article_search.words:
// its most common lexemes (up to 1,000 at the default statistics target)
// with the fraction of articles that have each, and the number of rows.
// A lexeme not among them is rarer than all of them.
type wordStats struct {
	mu      sync.Mutex
	freq    map[string]float64
	rows    float64
	read    time.Time
	reading bool
	lexemes map[string][]string // a query word → its lexemes ('english')
}

// maxCachedWords bounds wordStats.lexemes; when full it starts again.
const maxCachedWords = 10000

// walkBound is how many of the newest rows the walk may read for terms
// (0: take the GIN index). Only plain words are counted on: a Korean
// term's bigrams are not among the common lexemes, so it goes to the
// index. The fraction of articles with all the words is taken as that of
// the rarest (words of a name travel together: the planner, which
// multiplies them, expected 219 articles for "Kim Ji-won" where 9,992
// have it); walkMargin covers words that do not.
func (s *Store) walkBound(ctx context.Context, terms []store.QueryTerm, k int) int {
	words := make([]string, 0, len(terms))
	for _, t := range terms {
		if t.Grams != "" {
			return 0
		}
		words = append(words, t.Word)
	}
	st := &s.words
	freq, rows := st.current(ctx, s)
	if len(freq) == 0 || rows <= 0 {
		return 0
	}
	lexemes, err := st.lexemesOf(ctx, s, words)
	if err != nil || len(lexemes) == 0 {
		return 0
	}
	f := 1.0
	for _, l := range lexemes {
		fl, ok := freq[l]
		if !ok {
			return 0
		}
		f = min(f, fl)
	}
	if f*f < walkGINRatio*float64(k)/rows {
		return 0
	}
	return int(math.Ceil(walkMargin * float64(k) / f))
}

// current returns the statistics, reading them first when they are older
// than statsTTL. One search reads them; the others meanwhile use what
// there is (nothing at first: the GIN index then serves every word).
func (st *wordStats) current(ctx context.Context, s *Store) (map[string]float64, float64) {
	st.mu.Lock()
	freq, rows := st.freq, st.rows
	stale := !st.reading && time.Since(st.read) > statsTTL
	if stale {
		st.reading = true
	}
	st.mu.Unlock()
	if !stale {
		return freq, rows
	}
	nf, nr, err := s.readWordStats(ctx)
	st.mu.Lock()
	st.reading = false
	st.read = time.Now()
	if err == nil {
		st.freq, st.rows = nf, nr
		freq, rows = nf, nr
	}
	st.mu.Unlock()
	return freq, rows
}

// readWordStats reads pg_stats (readable for tables the user may read).
func (s *Store) readWordStats(ctx context.Context) (map[string]float64, float64, error) {
	var elems []string
	var freqs []float64
	var rows float64
	err := s.pool.QueryRow(ctx, `
		SELECT coalesce(st.most_common_elems::text::text[], '{}'), coalesce(st.most_common_elem_freqs::float8[], '{}'), c.reltuples::float8
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = c.relname AND st.attname = 'words'
		WHERE c.oid = 'article_search'::regclass`).Scan(&elems, &freqs, &rows)
	if err != nil {
		return nil, 0, err
	}
	// most_common_elem_freqs ends with three more numbers (the least and
	// greatest frequency, and that of empty vectors).
	freq := make(map[string]float64, len(elems))
	for i, e := range elems {
		if i < len(freqs) {
			freq[e] = freqs[i]
		}
	}
	return freq, rows, nil
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
