package dictionary

import "strings"

// Selectional preference from WordNet's own examples. The word tied to
// the clicked one by the sentence's syntax -- a verb's object ("launch
// another missile"), a noun's modifier ("joint air drills") or the verb
// whose object the noun is ("hold a convention") -- is compared with the
// word in the same place in each sense's examples ("launch the space
// shuttle", "hold a reception"): the same word, a word with a common
// hypernym, or one of the same lexicographer class says the sense is the
// one meant.

// Kinds of slot.
const (
	slotNone     = iota
	slotObject   // the head of a verb's object
	slotModifier // the word right before a noun that modifies it
	slotGovernor // the verb whose object a noun is
)

// slot is the word tied to a word of a sentence.
type slot struct {
	kind int
	word string
}

// verbSlot returns the head of the object after toks[i] read as a verb.
func (lx *tables) verbSlot(toks []token, i int) slot {
	j := lx.neighbour(toks, i, +1)
	if j < 0 {
		return slot{}
	}
	w := toks[j].lower
	if w == "that" || (closed(w) && !determiners[w]) {
		return slot{} // "ruled that ...": a clause, not an object
	}
	if h := lx.objectHead(toks, j); h != "" {
		return slot{slotObject, h}
	}
	return slot{}
}

// nounSlots returns the modifier right before toks[i] read as a noun,
// and the verb it is the object of.
func (lx *tables) nounSlots(toks []token, i int) (mod, gov slot) {
	if i > 0 && toks[i-1].word {
		w := toks[i-1].lower
		if !closed(w) && !isNumber(w) && !strings.HasSuffix(w, "'s") && lx.known(w) {
			if m, dom := lx.profile(w); (m.has(pNoun) || m.has(pAdj)) && dom != pVerb {
				mod = slot{slotModifier, w}
			}
		}
	}
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		t := toks[k]
		if !t.word {
			break
		}
		w := t.lower
		if determiners[w] || isNumber(w) || strings.HasSuffix(w, "'s") || (objects[w] && k < i-1) {
			continue // "gave him a mandate": the first object of two
		}
		if closed(w) {
			break
		}
		m, dom := lx.profile(w)
		if dom == pVerb || (m.has(pVerb) && !m.has(pNoun) && !m.has(pAdj)) {
			gov = slot{slotGovernor, w}
			break
		}
		if !m.has(pAdj) && !m.has(pNoun) {
			break
		}
	}
	return mod, gov
}

// exampleFit returns how well the senses' examples fit the sentence's
// slots: the best similarity between the sentence's slot word and the
// word in the same slot of an example that uses a member of synset syn.
func (lx *tables) exampleFit(c context, syn uint32) float64 {
	p := int(lx.synPOS[syn])
	var want []slot
	switch p {
	case pVerb:
		want = []slot{c.object}
	case pNoun:
		want = []slot{c.modifier, c.governor}
	default:
		return 0
	}
	any := false
	for _, s := range want {
		any = any || s.kind != slotNone
	}
	if !any {
		return 0
	}
	best := 0.0
	for piece := lx.synPiece[syn] + 1; piece < lx.synPiece[syn+1]; piece++ { // the examples
		toks := tokenize(lx.piece(piece))
		for k, t := range toks {
			if !t.word || !lx.isMember(syn, t.lower) {
				continue
			}
			var got []slot
			if p == pVerb {
				got = []slot{lx.verbSlot(toks, k)}
			} else {
				m, g := lx.nounSlots(toks, k)
				got = []slot{m, g}
			}
			for _, a := range want {
				for _, b := range got {
					if a.kind != slotNone && a.kind == b.kind {
						best = max(best, lx.slotSim(a, b))
					}
				}
			}
		}
	}
	return best
}

// isMember reports whether word w (as written) is a form of a one-word
// member of synset syn.
func (lx *tables) isMember(syn uint32, w string) bool {
	forms := lx.baseForms(w)
	for i := lx.synWord[syn]; i < lx.synWord[syn+1]; i++ {
		if contains(forms, lx.key(int(lx.words[i]))) {
			return true
		}
	}
	return false
}

// slotSim compares two slot words of the same kind: 1 for the same
// lemma, 0.6 for a common hypernym near both (nouns) or a shared sense
// (verbs), 0.3 for the same lexicographer class, else 0.
func (lx *tables) slotSim(a, b slot) float64 {
	fa, fb := lx.baseForms(a.word), lx.baseForms(b.word)
	for _, f := range fa {
		if contains(fb, f) {
			return 1
		}
	}
	p := pNoun
	if a.kind == slotGovernor {
		p = pVerb
	}
	sa, sb := lx.firstSenses(a.word, p, 2), lx.firstSenses(b.word, p, 2)
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	if p == pNoun {
		ha, hb := lx.hypernyms(sa, 3), lx.hypernyms(sb, 3)
		for s := range ha {
			if hb[s] && lx.lexFile[s] != lexTops {
				return 0.6
			}
		}
	} else {
		for _, s := range sa {
			if containsU32(sb, s) {
				return 0.6
			}
		}
	}
	if lx.lexFile[sa[0]] == lx.lexFile[sb[0]] {
		return 0.3
	}
	return 0
}

// lexTops is WordNet's lexicographer file noun.Tops (entity, abstraction,
// ...): too general for a common hypernym to mean anything.
const lexTops = 3

// firstSenses returns up to n most frequent synsets of w as part of
// speech p.
func (lx *tables) firstSenses(w string, p, n int) []uint32 {
	var out []uint32
	for _, l := range lx.lemmasFor(w, p) {
		id, ok := lx.find(l)
		if !ok {
			continue
		}
		r := lx.record(id, p)
		if r < 0 {
			continue
		}
		for s := lx.recSense[r]; s < lx.recSense[r+1] && len(out) < n; s++ {
			out = append(out, lx.senses[s])
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

// hypernyms returns the synsets ss and those they point at (hypernyms and
// topic domains), up to depth levels up.
func (lx *tables) hypernyms(ss []uint32, depth int) map[uint32]bool {
	out := map[uint32]bool{}
	level := ss
	for d := 0; d <= depth && len(level) > 0; d++ {
		var next []uint32
		for _, s := range level {
			if out[s] {
				continue
			}
			out[s] = true
			next = append(next, lx.rel[lx.relStart[s]:lx.relStart[s+1]]...)
		}
		level = next
	}
	return out
}
