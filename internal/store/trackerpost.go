package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"byline/internal/news"
)

// The term tracker's own index, tracker_posts: one row per token and day
// (in the paper's time zone) holding the day's articles that contain the
// token, each with the token's positions in the article's token list
// (headline, dek and body, as news.TrackerTokens cuts them). A phrase is
// counted from its tokens' rows alone: the articles holding every token,
// then the positions where the tokens follow each other. Nothing of the
// articles' text is read, so a first ask costs what the phrase's tokens'
// postings weigh (a few hundred bytes a day for a word of one article in
// four), not what the matching articles weigh.
//
// A row's post is a list sorted by article id, each entry
//
//	uvarint(id - previous id) uvarint(len(positions)) positions
//
// where positions are uvarints: the first position, then the gaps.

// postEntry is one article in a post: its id and its encoded positions.
type postEntry struct {
	id  int64
	pos []byte
}

func decodePost(b []byte) ([]postEntry, error) {
	var out []postEntry
	var id int64
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("tracker post: bad article id")
		}
		b = b[n:]
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return nil, fmt.Errorf("tracker post: bad positions")
		}
		b = b[n:]
		id += int64(d)
		out = append(out, postEntry{id, b[:l:l]})
		b = b[l:]
	}
	return out, nil
}

func encodePost(es []postEntry) []byte {
	var out []byte
	var prev int64
	for _, e := range es {
		out = binary.AppendUvarint(out, uint64(e.id-prev))
		out = binary.AppendUvarint(out, uint64(len(e.pos)))
		out = append(out, e.pos...)
		prev = e.id
	}
	return out
}

func decodePositions(b []byte, into []int32) []int32 {
	into = into[:0]
	p := int32(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			break
		}
		b = b[n:]
		p += int32(d)
		into = append(into, p)
	}
	return into
}

// tokenRuns visits each distinct token of a document with its positions
// (ascending), in token order: one sort of the positions instead of a map
// of slices per article.
func tokenRuns(toks []string, buf []int32, visit func(tok string, pos []int32)) []int32 {
	idx := buf[:0]
	for i := range toks {
		idx = append(idx, int32(i))
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := strings.Compare(toks[a], toks[b]); c != 0 {
			return c
		}
		return int(a - b)
	})
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && toks[idx[j]] == toks[idx[i]] {
			j++
		}
		visit(toks[idx[i]], idx[i:j])
		i = j
	}
	return idx
}

// docTokens splits a stored document ("|self||reliance|") into tokens.
func docTokens(doc string) []string {
	if len(doc) < 2 {
		return nil
	}
	return strings.Split(doc[1:len(doc)-1], "||")
}

// postChanges gathers, over a batch of articles, what each row of
// tracker_posts (day, then term) loses and gains, so that a row is
// rewritten once a batch. A batch takes each article once, so an article
// is added to or dropped from a row at most once: lists, not sets.
type postChanges struct {
	days map[int]map[string]*postChange
	// the day last asked for and its rows (a batch is mostly one day)
	day   int
	terms map[string]*postChange
	buf   []int32 // tokenRuns' scratch
	slab  []byte  // positions of the batch, carved into entries
}

type postChange struct {
	drop []int64
	add  []postEntry
}

func newPostChanges() *postChanges {
	return &postChanges{days: map[int]map[string]*postChange{}}
}

func (pc *postChanges) at(term string, day int) *postChange {
	if pc.terms == nil || pc.day != day {
		pc.terms = pc.days[day]
		if pc.terms == nil {
			pc.terms = map[string]*postChange{}
			pc.days[day] = pc.terms
		}
		pc.day = day
	}
	c := pc.terms[term]
	if c == nil {
		c = &postChange{}
		pc.terms[term] = c
	}
	return c
}

// positions encodes ascending positions into the batch's slab.
func (pc *postChanges) positions(ps []int32) []byte {
	if cap(pc.slab)-len(pc.slab) < 5*len(ps) {
		pc.slab = make([]byte, 0, max(64<<10, 5*len(ps)))
	}
	start := len(pc.slab)
	prev := int32(0)
	for _, p := range ps {
		pc.slab = binary.AppendUvarint(pc.slab, uint64(p-prev))
		prev = p
	}
	return pc.slab[start:len(pc.slab):len(pc.slab)]
}

// article records that article id's document moves from oldToks on
// oldDay (had: it was indexed) to toks on day (published: it is).
func (pc *postChanges) article(id int64, had bool, oldDay int, oldToks string, published bool, day int, toks []string) {
	var now map[string]bool
	if published {
		if had && oldDay == day {
			now = make(map[string]bool, len(toks)/2)
		}
		pc.buf = tokenRuns(toks, pc.buf, func(t string, ps []int32) {
			c := pc.at(t, day)
			c.add = append(c.add, postEntry{id, pc.positions(ps)})
			if now != nil {
				now[t] = true
			}
		})
	}
	if !had {
		return
	}
	seen := map[string]bool{}
	for _, t := range docTokens(oldToks) {
		if now[t] || seen[t] {
			continue // rewritten above, or dropped already
		}
		seen[t] = true
		c := pc.at(t, oldDay)
		c.drop = append(c.drop, id)
	}
}

// merge is row's entries less the batch's drops and the entries it
// re-adds, plus the batch's additions, sorted by article id.
func (c *postChange) merge(old []postEntry) []postEntry {
	slices.SortFunc(c.add, func(a, b postEntry) int { return cmpID(a.id, b.id) })
	slices.Sort(c.drop)
	out := make([]postEntry, 0, len(old)+len(c.add))
	i, k := 0, 0
	for _, e := range old {
		for i < len(c.add) && c.add[i].id < e.id {
			out = append(out, c.add[i])
			i++
		}
		if i < len(c.add) && c.add[i].id == e.id {
			continue // replaced: added below
		}
		for k < len(c.drop) && c.drop[k] < e.id {
			k++
		}
		if k < len(c.drop) && c.drop[k] == e.id {
			continue
		}
		out = append(out, e)
	}
	return append(out, c.add[i:]...)
}

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// The statements that rewrite tracker_posts come in a few fixed shapes
// (a list of postsChunk terms, padded; rows in powers of two), so that
// each is parsed once and kept prepared (SQLite; pgx keeps its own).
const postsChunk = 256

var (
	postsSelect = `SELECT term, post FROM tracker_posts WHERE day = ? AND term IN (` + marks(postsChunk) + `)`
	postsDelete = `DELETE FROM tracker_posts WHERE day = ? AND term IN (` + marks(postsChunk) + `)`
	// postsUpsert[k] writes 1<<k rows.
	postsUpsert = func() []string {
		var out []string
		for n := 1; n <= postsChunk; n *= 2 {
			out = append(out, `INSERT INTO tracker_posts(term, day, post) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ")+`
				ON CONFLICT (term, day) DO UPDATE SET post = excluded.post`)
		}
		return out
	}()
)

// postsStatements are apply's statements, to prepare before a batch.
func postsStatements() []string {
	return append([]string{postsSelect, postsDelete}, postsUpsert...)
}

// termArgs is day and a chunk of terms, padded to postsChunk with its
// last term (an IN list takes a term twice as once).
func termArgs(args []any, day int, terms []string) []any {
	args = append(args[:0], day)
	for _, t := range terms {
		args = append(args, t)
	}
	for len(args) < postsChunk+1 {
		args = append(args, terms[len(terms)-1])
	}
	return args
}

// apply rewrites the rows the changes touch, in one order on every server.
func (pc *postChanges) apply(ctx context.Context, tx Tx) error {
	days := make([]int, 0, len(pc.days))
	for d := range pc.days {
		days = append(days, d)
	}
	slices.Sort(days)
	type row struct {
		term string
		post []byte
	}
	var (
		puts  []row
		drops []string
		args  []any
		old   = map[string][]byte{}
	)
	for _, day := range days {
		changes := pc.days[day]
		terms := make([]string, 0, len(changes))
		for t := range changes {
			terms = append(terms, t)
		}
		slices.Sort(terms)
		clear(old)
		for i := 0; i < len(terms); i += postsChunk {
			args = termArgs(args, day, terms[i:min(len(terms), i+postsChunk)])
			rows, err := tx.Query(ctx, postsSelect, args...)
			if err != nil {
				return fmt.Errorf("tracker posts: %w", err)
			}
			for rows.Next() {
				var x row
				if err := rows.Scan(&x.term, &x.post); err != nil {
					rows.Close()
					return fmt.Errorf("tracker posts: %w", err)
				}
				old[x.term] = x.post
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("tracker posts: %w", err)
			}
		}
		puts, drops = puts[:0], drops[:0]
		for _, t := range terms {
			c := changes[t]
			b, had := old[t]
			var es []postEntry
			if had {
				var err error
				if es, err = decodePost(b); err != nil {
					return err
				}
			}
			kept := c.merge(es)
			switch {
			case len(kept) > 0:
				puts = append(puts, row{t, encodePost(kept)})
			case had:
				drops = append(drops, t)
			}
		}
		for i := 0; i < len(drops); i += postsChunk {
			args = termArgs(args, day, drops[i:min(len(drops), i+postsChunk)])
			if _, err := tx.Exec(ctx, postsDelete, args...); err != nil {
				return fmt.Errorf("tracker posts: %w", err)
			}
		}
		// Rows in chunks of postsChunk, the rest in powers of two.
		for len(puts) > 0 {
			k := len(postsUpsert) - 1
			for 1<<k > len(puts) {
				k--
			}
			part := puts[:1<<k]
			puts = puts[1<<k:]
			args = args[:0]
			for _, x := range part {
				args = append(args, x.term, day, x.post)
			}
			if _, err := tx.Exec(ctx, postsUpsert[k], args...); err != nil {
				return fmt.Errorf("tracker posts: %w", err)
			}
		}
	}
	return nil
}

func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// articleSet is a set of article ids; a nil set holds every article.
type articleSet map[int64]bool

// postCounts counts one phrase per day of [from, to) from tracker_posts:
// articles that contain it and its occurrences (left to right, without
// overlaps, as news.TrackerFind finds them). keep, when not nil, is
// the articles to count; skip the articles not to count.
func (db *DB) postCounts(ctx context.Context, p news.TrackerPhrase, from, to news.TrackerDay, keep, skip articleSet) (map[news.TrackerDay]news.TrackerDayCount, error) {
	terms := slices.Clone(p.Tokens)
	slices.Sort(terms)
	terms = slices.Compact(terms)
	args := []any{}
	for _, t := range terms {
		args = append(args, t)
	}
	args = append(args, int(from), int(to))
	rows, err := db.Query(ctx, `SELECT term, day, post FROM tracker_posts WHERE term IN (`+marks(len(terms))+`) AND day >= ? AND day < ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("tracker posts: %w", err)
	}
	defer rows.Close()
	// day -> the post of each distinct term (index in terms)
	posts := map[int][][]byte{}
	for rows.Next() {
		var term string
		var day int
		var post []byte
		if err := rows.Scan(&term, &day, &post); err != nil {
			return nil, fmt.Errorf("tracker posts: %w", err)
		}
		i, _ := slices.BinarySearch(terms, term)
		if posts[day] == nil {
			posts[day] = make([][]byte, len(terms))
		}
		posts[day][i] = post
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tracker posts: %w", err)
	}
	rows.Close()
	// which distinct term each of the phrase's tokens is
	at := make([]int, len(p.Tokens))
	for k, t := range p.Tokens {
		at[k], _ = slices.BinarySearch(terms, t)
	}
	out := map[news.TrackerDay]news.TrackerDayCount{}
	lists := make([][]postEntry, len(terms))
	pos := make([][]int32, len(terms))
	idx := make([]int, len(terms))
	for day, ps := range posts {
		complete := true
		for i, b := range ps {
			if b == nil {
				complete = false
				break
			}
			if lists[i], err = decodePost(b); err != nil {
				return nil, err
			}
			idx[i] = 0
		}
		if !complete {
			continue
		}
		var c news.TrackerDayCount
		// Walk the first term's articles; the others follow (all sorted).
		for _, e := range lists[0] {
			if (keep != nil && !keep[e.id]) || skip[e.id] {
				continue
			}
			all := true
			for i := 1; i < len(lists); i++ {
				l := lists[i]
				for idx[i] < len(l) && l[idx[i]].id < e.id {
					idx[i]++
				}
				if idx[i] == len(l) || l[idx[i]].id != e.id {
					all = false
					break
				}
			}
			if !all {
				continue
			}
			pos[0] = decodePositions(e.pos, pos[0])
			for i := 1; i < len(lists); i++ {
				pos[i] = decodePositions(lists[i][idx[i]].pos, pos[i])
			}
			if n := phraseMatches(p.Tokens, at, pos); n > 0 {
				c.Articles++
				c.Occurrences += n
			}
		}
		if c.Articles > 0 {
			c.Day = news.TrackerDay(day)
			out[c.Day] = c
		}
	}
	return out, nil
}

// phraseMatches counts the phrase's occurrences in one article: token k
// of the phrase is distinct term at[k], whose positions are pos[at[k]].
// Left to right, an occurrence starting before the end of the last one
// is not counted (as news.TrackerFind).
func phraseMatches(tokens []string, at []int, pos [][]int32) int {
	n := int32(len(tokens))
	first := pos[at[0]]
	next := int32(-1)
	count := 0
	for _, p := range first {
		if p < next {
			continue
		}
		ok := true
		for k := int32(1); k < n; k++ {
			if _, found := slices.BinarySearch(pos[at[k]], p+k); !found {
				ok = false
				break
			}
		}
		if ok {
			count++
			next = p + n
		}
	}
	return count
}
