package dictionary

import (
	"math/bits"
	"sort"
	"strings"
)

// maxSuggestions is how many spellings Suggest offers.
const maxSuggestions = 8

// suggestIndex holds the single words of the lexicon grouped by length,
// each with the set of letters it uses. The letter sets are a cheap
// filter: every letter of the word missing from a candidate costs an edit,
// and so does every letter of the candidate missing from the word, so most
// candidates fail before any edit distance is computed. The buckets are
// columns (letters, ids, scores) so the filter scans one dense array.
type suggestIndex struct {
	letters [][]uint32 // by length: bit per letter a-z, bit 26 for anything else
	ids     [][]uint32 // lemma ids
	scores  [][]uint32 // frequency: higher is more common
}

const maxSuggestLen = 40

func letterSet(w string) uint32 {
	var m uint32
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'a' && c <= 'z' {
			m |= 1 << (c - 'a')
		} else {
			m |= 1 << 26
		}
	}
	return m
}

func (s *suggestIndex) build(lx *tables) {
	s.letters = make([][]uint32, maxSuggestLen+1)
	s.ids = make([][]uint32, maxSuggestLen+1)
	s.scores = make([][]uint32, maxSuggestLen+1)
	for id := 0; id < lx.Len(); id++ {
		k := lx.key(id)
		if len(k) < 2 || len(k) > maxSuggestLen || strings.ContainsAny(k, "_.0123456789") {
			continue
		}
		var score uint32
		for r := lx.recStart[id]; r < lx.recStart[id+1]; r++ {
			// Tagged occurrences count most; the number of senses breaks
			// ties among the many words the concordance never saw.
			score += 16*lx.recFreq[r] + (lx.recSense[r+1] - lx.recSense[r])
		}
		n := len(k)
		s.letters[n] = append(s.letters[n], letterSet(k))
		s.ids[n] = append(s.ids[n], uint32(id))
		s.scores[n] = append(s.scores[n], score)
	}
}

// Suggest returns up to eight lemmas spelled like word (at most two edits
// away: a letter added, dropped, changed, or two neighbours swapped),
// closest first and, at the same distance, most common first. It is meant
// for words Lookup did not find.
func (lx *Lexicon) Suggest(word string) []string {
	t, err := lx.tables()
	if err != nil {
		return nil
	}
	return t.suggest(word)
}

func (lx *tables) suggest(word string) []string {
	lx.suggOnce.Do(func() { lx.sugg.build(lx) })
	w := strings.ToLower(strings.TrimSpace(clean(truncate(word, 4*maxSuggestLen))))
	if len(w) < 2 || len(w) > maxSuggestLen {
		return nil
	}
	maxDist := 2
	if len(w) <= 4 {
		maxDist = 1 // two edits of a short word is another word
	}
	type hit struct {
		id    uint32
		dist  int
		score uint32
	}
	var hits []hit
	set := letterSet(w)
	var buf distBuf
	for n := len(w) - maxDist; n <= len(w)+maxDist; n++ {
		if n < 2 || n > maxSuggestLen {
			continue
		}
		// A candidate longer by delta needs delta insertions, leaving
		// maxDist-delta edits to drop the word's letters it lacks; and
		// the other way round for a shorter one.
		lose, gain := maxDist, maxDist
		if delta := n - len(w); delta > 0 {
			lose -= delta
		} else {
			gain += delta
		}
		for i, m := range lx.sugg.letters[n] {
			if bits.OnesCount32(set&^m) > lose || bits.OnesCount32(m&^set) > gain {
				continue
			}
			id := lx.sugg.ids[n][i]
			k := lx.key(int(id))
			if k == w {
				continue
			}
			if d := buf.distance(w, k, maxDist); d <= maxDist {
				hits = append(hits, hit{id, d, lx.sugg.scores[n][i]})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.id < b.id
	})
	var out []string
	for _, h := range hits {
		if len(out) == maxSuggestions {
			break
		}
		out = append(out, lx.key(int(h.id)))
	}
	return out
}

// distBuf reuses the rows of the edit-distance table.
type distBuf struct {
	prev2, prev, cur []int
}

// distance is the optimal-string-alignment distance between a and b
// (Levenshtein plus swaps of neighbours) on bytes, computed only in the
// band of cells that can stay within limit. It returns limit+1 for
// anything farther.
func (d *distBuf) distance(a, b string, limit int) int {
	if len(a)-len(b) > limit || len(b)-len(a) > limit {
		return limit + 1
	}
	inf := limit + 1
	n := len(b) + 1
	if cap(d.cur) < n+1 {
		d.prev2, d.prev, d.cur = make([]int, n+1), make([]int, n+1), make([]int, n+1)
	}
	prev2, prev, cur := d.prev2[:n+1], d.prev[:n+1], d.cur[:n+1]
	for j := range prev {
		prev[j] = min(j, inf)
		prev2[j], cur[j] = inf, inf
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		if lo == 1 {
			cur[0] = min(i, inf)
		} else {
			cur[lo-1] = inf
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if x := prev[j] + 1; x < v {
				v = x
			}
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			v = min(v, inf)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		cur[hi+1] = inf
		if rowMin > limit {
			return inf
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], inf)
}
