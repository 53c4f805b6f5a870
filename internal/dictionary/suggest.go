package dictionary

import (
	"math/bits"
	"sort"
	"strings"
)

// maxSuggestions is how many spellings Suggest offers.
const maxSuggestions = 8

// suggestIndex holds the single words of the lexicon grouped by length,
// each with the set of letters it uses. The letter set is a cheap filter:
// one edit changes at most two letters of the set, so two edits at most
// four, and most candidates fail that test before any edit distance is
// computed.
type suggestIndex struct {
	byLen [][]suggestWord
}

type suggestWord struct {
	id      uint32 // lemma id
	letters uint32 // bit per letter a-z, bit 26 for anything else
	score   uint32 // frequency rank: higher is more common
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
	s.byLen = make([][]suggestWord, maxSuggestLen+1)
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
		s.byLen[len(k)] = append(s.byLen[len(k)], suggestWord{id: uint32(id), letters: letterSet(k), score: score})
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
		for _, c := range lx.sugg.byLen[n] {
			if bits.OnesCount32(c.letters^set) > 2*maxDist {
				continue
			}
			k := lx.key(int(c.id))
			if k == w {
				continue
			}
			if d := buf.distance(w, k, maxDist); d <= maxDist {
				hits = append(hits, hit{c.id, d, c.score})
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
// (Levenshtein plus swaps of neighbours), computed on bytes, giving up
// as soon as it must exceed max (it then returns max+1).
func (d *distBuf) distance(a, b string, max int) int {
	if len(a)-len(b) > max || len(b)-len(a) > max {
		return max + 1
	}
	n := len(b) + 1
	if cap(d.cur) < n {
		d.prev2, d.prev, d.cur = make([]int, n), make([]int, n), make([]int, n)
	}
	prev2, prev, cur := d.prev2[:n], d.prev[:n], d.cur[:n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j < n; j++ {
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
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[n-1] > max {
		return max + 1
	}
	return prev[n-1]
}
