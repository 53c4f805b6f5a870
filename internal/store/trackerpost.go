package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
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

// encodePositions encodes ascending positions.
func encodePositions(ps []int32) []byte {
	var out []byte
	prev := int32(0)
	for _, p := range ps {
		out = binary.AppendUvarint(out, uint64(p-prev))
		prev = p
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

// tokenPositions maps each distinct token of a document to its positions.
func tokenPositions(toks []string) map[string][]int32 {
	out := make(map[string][]int32, len(toks)/2)
	for i, t := range toks {
		out[t] = append(out[t], int32(i))
	}
	return out
}

// docTokens splits a stored document ("|self||reliance|") into tokens.
func docTokens(doc string) []string {
	if len(doc) < 2 {
		return nil
	}
	return strings.Split(doc[1:len(doc)-1], "||")
}

type postKey struct {
	term string
	day  int
}

// postChanges gathers, over a batch of articles, what each row of
// tracker_posts loses and gains, so that a row is rewritten once a batch.
type postChanges map[postKey]*postChange

type postChange struct {
	drop map[int64]bool
	add  map[int64][]byte
}

func (pc postChanges) at(k postKey) *postChange {
	c := pc[k]
	if c == nil {
		c = &postChange{drop: map[int64]bool{}, add: map[int64][]byte{}}
		pc[k] = c
	}
	return c
}

// article records that article id's document moves from oldToks on
// oldDay (had: it was indexed) to toks on day (published: it is).
func (pc postChanges) article(id int64, had bool, oldDay int, oldToks string, published bool, day int, toks []string) {
	var now map[string][]int32
	if published {
		now = tokenPositions(toks)
		for t, ps := range now {
			c := pc.at(postKey{t, day})
			delete(c.drop, id)
			c.add[id] = encodePositions(ps)
		}
	}
	if !had {
		return
	}
	for _, t := range docTokens(oldToks) {
		if _, ok := now[t]; ok && oldDay == day {
			continue // rewritten above
		}
		c := pc.at(postKey{t, oldDay})
		if _, ok := c.add[id]; !ok {
			c.drop[id] = true
		}
	}
}

// apply rewrites the rows the changes touch, in one order on every server.
func (pc postChanges) apply(ctx context.Context, tx Tx) error {
	if len(pc) == 0 {
		return nil
	}
	byDay := map[int][]string{}
	for k := range pc {
		byDay[k.day] = append(byDay[k.day], k.term)
	}
	days := make([]int, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	slices.Sort(days)
	type row struct {
		term string
		post []byte
	}
	var puts []row
	var drops []string
	for _, day := range days {
		terms := byDay[day]
		slices.Sort(terms)
		old := map[string][]byte{}
		for i := 0; i < len(terms); i += 500 {
			part := terms[i:min(len(terms), i+500)]
			args := []any{day}
			for _, t := range part {
				args = append(args, t)
			}
			rows, err := tx.Query(ctx, `SELECT term, post FROM tracker_posts WHERE day = ? AND term IN (`+marks(len(part))+`)`, args...)
			got, err := collect(rows, err, func(r *sql.Rows) (row, error) {
				var x row
				return x, r.Scan(&x.term, &x.post)
			})
			if err != nil {
				return fmt.Errorf("tracker posts: %w", err)
			}
			for _, x := range got {
				old[x.term] = x.post
			}
		}
		puts, drops = puts[:0], drops[:0]
		for _, t := range terms {
			c := pc[postKey{t, day}]
			es, err := decodePost(old[t])
			if err != nil {
				return err
			}
			kept := es[:0]
			for _, e := range es {
				if _, ok := c.add[e.id]; ok || c.drop[e.id] {
					continue
				}
				kept = append(kept, e)
			}
			for id, pos := range c.add {
				kept = append(kept, postEntry{id, pos})
			}
			sort.Slice(kept, func(i, j int) bool { return kept[i].id < kept[j].id })
			switch {
			case len(kept) > 0:
				puts = append(puts, row{t, encodePost(kept)})
			case old[t] != nil:
				drops = append(drops, t)
			}
		}
		for i := 0; i < len(drops); i += 500 {
			part := drops[i:min(len(drops), i+500)]
			args := []any{day}
			for _, t := range part {
				args = append(args, t)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM tracker_posts WHERE day = ? AND term IN (`+marks(len(part))+`)`, args...); err != nil {
				return fmt.Errorf("tracker posts: %w", err)
			}
		}
		for i := 0; i < len(puts); i += 200 {
			part := puts[i:min(len(puts), i+200)]
			var b strings.Builder
			args := make([]any, 0, 3*len(part))
			for j, x := range part {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?)")
				args = append(args, x.term, day, x.post)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO tracker_posts(term, day, post) VALUES `+b.String()+`
				ON CONFLICT (term, day) DO UPDATE SET post = excluded.post`, args...); err != nil {
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
