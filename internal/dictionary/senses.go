package dictionary

import (
	"math"
	"sort"
	"strings"
)

// Sense ranking from the sentence a reader clicked in: an extended Lesk
// overlap. Each sense gets a signature -- the content words of its
// definition and examples, its synonyms, the words and definitions of the
// synsets it points at (hypernyms, topic domains), and those of the
// synsets that say what it is about (hyponyms: "electric bill" under the
// bill to pay; derived forms, parts and wholes, members of its domain) --
// and the sentence's content words are looked up in it. A rare word shared with the sentence
// ("ballistic", "ministers") counts for more than a common one ("make").
// WordNet's sense frequencies (from its tagged corpus) are the prior, so
// an empty or unhelpful sentence keeps WordNet's order.

// context is what the sentence says about the selection: its content
// words, as base forms, weighted.
type context struct {
	w map[string]float64
	// p is the paragraph's and the section's content words that the
	// sentence lacks, weighted lower.
	p map[string]float64
	// frames are the WordNet verb frames what follows the word fits
	// (frames.go); 0 when the sentence says nothing clear.
	frames uint32
	// object, modifier and governor are the words the sentence ties to
	// the selection read as a verb or as a noun (slots.go).
	object, modifier, governor slot
}

// extraStop are frequent words the tagger's closed classes lack; they say
// nothing about a sense.
var extraStop = set("say", "says", "said", "also", "would", "year", "years", "percent", "mr", "ms", "new", "one", "two",
	"make", "made", "take", "took", "go", "went", "come", "came", "get", "got", "put", "use", "used", "day", "week",
	"month", "time", "way", "thing", "things", "people", "man", "woman", "there", "here", "it's", "etc", "e.g", "usually",
	"especially", "something", "someone", "somebody", "person", "act", "state", "part", "kind", "certain", "one's", "someone's", "somebody's",
	"itself", "himself", "herself", "themselves", "oneself", "yourself", "myself", "ourselves")

func stopword(w string) bool { return closed(w) || extraStop[w] || isNumber(w) || len(w) < 3 }

// around is the text beyond the sentence: the paragraph (which may hold
// the sentence again) and the article's section.
type around struct {
	para, section []token
}

// newContext reads the sentence around the selection (ctx minus the
// words sel covers, from index at), then the paragraph and the section at
// lower weights: a word of the sentence counts fully, one that only the
// paragraph has counts paraFactor, the section's sectionFactor.
func (lx *tables) newContext(ctx []token, at, n int, more around) context {
	c := context{w: map[string]float64{}, frames: lx.verbFrames(ctx, at+n-1)}
	c.object = lx.verbSlot(ctx, at+n-1)
	c.modifier, c.governor = lx.nounSlots(ctx, at)
	read := func(into map[string]float64, ts []token, skipFrom, skipTo int, k float64) {
		for i, t := range ts {
			if !t.word || (i >= skipFrom && i < skipTo) || stopword(t.lower) {
				continue
			}
			for _, f := range lx.lemmaForms(t.lower) {
				if !stopword(f) {
					into[f] = max(into[f], k*lx.weight(f))
				}
			}
		}
	}
	read(c.w, ctx, at, at+n, 1)
	// Extended Lesk: the sentence also says what its words' own senses
	// say. "ministers" brings "appointed", "office", "government", which
	// the cabinet of ministers' definition shares and the furniture's does
	// not. Each word adds its two most frequent senses, at a lower weight.
	direct := make([]string, 0, len(c.w))
	for w := range c.w {
		direct = append(direct, w)
	}
	sort.Strings(direct) // the same sentence gives the same context
	for _, w := range direct {
		lx.expand(c.w, w, expandFactor)
	}
	if len(more.para) == 0 && len(more.section) == 0 {
		return c
	}
	// The paragraph and the section, without the sentence's words and
	// without the selected word (elsewhere in the paragraph it says
	// nothing about which of its senses this is).
	c.p = map[string]float64{}
	self := map[string]bool{}
	for _, t := range ctx[at : at+n] {
		for _, f := range lx.lemmaForms(t.lower) {
			self[f] = true
		}
	}
	if paraFactor > 0 {
		read(c.p, more.para, 0, 0, paraFactor)
	}
	if sectionFactor > 0 {
		read(c.p, more.section, 0, 0, sectionFactor)
	}
	for w := range c.p {
		if self[w] || containsSorted(direct, w) { // direct: the sentence's words, sorted
			delete(c.p, w)
		}
	}
	return c
}

func containsSorted(list []string, w string) bool {
	i := sort.SearchStrings(list, w)
	return i < len(list) && list[i] == w
}

// The weights of the text beyond the sentence, set on the dev split.
// Variables so that a test can switch them off.
var (
	paraFactor    = 0.1   // a word of the paragraph that the sentence does not have
	sectionFactor = 0.6   // a word of the section's name
	paraFull      = false // whether the paragraph meets the related synsets too (it lost on dev)
)

// expand adds to c the content words of w's most frequent senses (any
// part of speech), their synonyms and hypernyms, weighted by factor.
func (lx *tables) expand(c map[string]float64, w string, factor float64) {
	id, ok := lx.find(w)
	if !ok {
		return
	}
	add := func(x string) {
		if stopword(x) || x == w {
			return
		}
		for _, f := range lx.lemmaForms(x) {
			if stopword(f) {
				continue
			}
			if v := lx.weight(f) * factor; v > c[f] {
				c[f] = v
			}
		}
	}
	for r := lx.recStart[id]; r < lx.recStart[id+1]; r++ {
		lo, hi := lx.recSense[r], lx.recSense[r+1]
		for s := lo; s < hi && s < lo+2; s++ {
			syn := lx.senses[s]
			for p := lx.synPiece[syn]; p < lx.synPiece[syn]+1 && p < lx.synPiece[syn+1]; p++ { // the definition only
				for _, f := range lx.pieceLemmas(p) {
					if !stopword(f) && f != w && lx.weight(f)*factor > c[f] {
						c[f] = lx.weight(f) * factor
					}
				}
			}
			for _, rel := range append([]uint32{syn}, lx.rel[lx.relStart[syn]:lx.relStart[syn+1]]...) {
				for i := lx.synWord[rel]; i < lx.synWord[rel+1]; i++ {
					for _, part := range strings.Split(lx.key(int(lx.words[i])), "_") {
						add(part)
					}
				}
			}
		}
	}
}

// baseForms is w and its Morphy bases in any part of speech.
func (lx *tables) baseForms(w string) []string {
	out := []string{w}
	for p := 0; p < numPOS; p++ {
		for _, m := range lx.morphy(w, p) {
			if !contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// lemmaForms is baseForms without w itself when w is only an inflected
// form ("ministers" -> "minister"); a word WordNet does not know at all
// ("Pyongyang") stays as it is.
func (lx *tables) lemmaForms(w string) []string {
	fs := lx.baseForms(w)
	if _, ok := lx.find(w); !ok && len(fs) > 1 {
		return fs[1:]
	}
	return fs
}

// weight is how much sharing w says: rarer words say more.
func (lx *tables) weight(w string) float64 {
	id, ok := lx.find(w)
	if !ok {
		return 1
	}
	var f uint32
	for r := lx.recStart[id]; r < lx.recStart[id+1]; r++ {
		f += lx.recFreq[r]
	}
	return 1 / math.Log2(3+float64(f))
}

// overlap scores synset syn's signature against the sentence, and
// against the paragraph and the section (which meet only the sense's own
// words and those of its hypernyms and domains: the larger signature of
// related synsets finds something in any paragraph). Each word counts
// once per sense, however often the signature has it.
func (lx *tables) overlap(c context, syn uint32, self int) float64 {
	v := lx.signatureOverlap(c.w, syn, self, true)
	if len(c.p) > 0 {
		v += lx.signatureOverlap(c.p, syn, self, paraFull)
	}
	return v
}

// signatureOverlap scores synset syn's signature against the weighted
// words ws; full adds the related synsets (hyponyms, derived forms, parts,
// wholes, domain members).
func (lx *tables) signatureOverlap(ws map[string]float64, syn uint32, self int, full bool) float64 {
	if len(ws) == 0 {
		return 0
	}
	seen := map[string]bool{}
	score := 0.0
	hit := func(w string, factor float64) {
		if seen[w] {
			return
		}
		if v, ok := ws[w]; ok {
			seen[w] = true
			score += v * factor
			if traceHit != nil {
				traceHit(w, v*factor)
			}
		}
	}
	text := func(s uint32, factor float64) {
		lo, hi := lx.synPiece[s], lx.synPiece[s+1]
		for p := lo; p < hi; p++ {
			for _, f := range lx.pieceLemmas(p) {
				hit(f, factor)
			}
		}
	}
	members := func(s uint32, factor float64) {
		for i := lx.synWord[s]; i < lx.synWord[s+1]; i++ {
			id := int(lx.words[i])
			if id == self {
				continue
			}
			for _, part := range strings.Split(lx.key(id), "_") {
				hit(part, factor)
			}
		}
	}
	members(syn, 1.2)
	text(syn, 1)
	for _, r := range lx.rel[lx.relStart[syn]:lx.relStart[syn+1]] {
		members(r, 0.9)
		text(r, 0.6)
		// One more level of hypernyms: "missile" -> "rocket" -> "weapon".
		for _, r2 := range lx.rel[lx.relStart[r]:lx.relStart[r+1]] {
			members(r2, 0.5)
		}
	}
	if !full {
		return score
	}
	for _, r := range lx.xrel[lx.xrelStart[syn]:lx.xrelStart[syn+1]] {
		members(r, xMembers)
		text(r, xText)
	}
	return score
}

// traceHit, when a test sets it, sees each sentence word a sense's
// signature matched and what it scored (wsd_debug_test.go).
var traceHit func(w string, v float64)

// Weights of the signature's parts, against the sense's own members (1.2)
// and definition (1). They were set on the dev split of the evaluation set.
const (
	expandFactor = 0.2 // a context word's own definitions and relations, added to the context
	xMembers     = 0.4 // members of hyponyms, derived forms, parts, wholes, domain members
	xText        = 0.5 // their definitions and examples
)

// The weights of the verb frames (frameFits), set on the dev split.
// Variables so that a test can switch them off.
var (
	frameBonus   = 0.2 // a verb sense whose frames fit what follows the word
	framePenalty = 0.1 // one whose frames do not
	slotWeight   = 0.3 // how well the sense's examples fit the words tied to the selection
)

// pieceLemmas returns the base forms of the content words of text piece
// p (a definition or an example), from a small cache: ranking a word's
// senses reads the same definitions again and again, and lemmatizing
// them is most of its cost.
func (lx *tables) pieceLemmas(p uint32) []string {
	slot := &lx.lemmaCache[p%uint32(len(lx.lemmaCache))]
	if e := slot.Load(); e != nil && e.piece == p {
		return e.lemmas
	}
	var out []string
	for _, t := range words(lx.piece(p)) {
		if stopword(t.lower) {
			continue
		}
		for _, f := range lx.lemmaForms(t.lower) {
			if !contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slot.Store(&pieceLemmas{piece: p, lemmas: out})
	return out
}

// pieceLemmas is an entry of the lemma cache.
type pieceLemmas struct {
	piece  uint32
	lemmas []string
}

// The prior's weights, against overlaps that are typically 0.1 to 1.
const (
	priorOrder = 0.06
	priorFreq  = 0.12
)

// newsRegister is a prior by WordNet's lexicographer file for the text
// of a newspaper: its readers meet the senses of institutions, acts,
// money, events, places and people (a cabinet of ministers, a match, a
// bill to pay) far more than those of furniture, anatomy, plants or
// animals (a cabinet for china, a match to strike, a bird's bill). It
// only leans: an overlap with the sentence outweighs it.
var newsRegister = func() [64]float64 {
	var r [64]float64
	for f, v := range map[int]float64{
		4: 0.08, 10: 0.06, 11: 0.08, 14: 0.1, 15: 0.06, 18: 0.06, 21: 0.08, 26: 0.03, 28: 0.05, 23: 0.02, 24: 0.02, 9: 0.02, // noun.act communication event group location person possession state time quantity relation cognition
		5: -0.08, 6: -0.04, 8: -0.08, 13: -0.06, 17: -0.06, 20: -0.08, 25: -0.06, 27: -0.04, 19: -0.02, // noun.animal artifact body food object plant shape substance phenomenon
		32: 0.05, 33: 0.05, 40: 0.05, 41: 0.08, 31: 0.03, // verb.communication competition possession social cognition
		29: -0.05, 35: -0.02, 34: -0.03, 43: -0.04, // verb.body contact consumption weather
	} {
		r[f] = v
	}
	return r
}()

// frameFits scores what the verb frames of the senses [lo, hi) say
// about the sentence. A sense whose frames fit what follows the word
// gains, one whose frames WordNet lists and none fits loses, both by how
// much the fit tells the senses apart: when every sense fits ("Somebody
// ----s something" is common), nothing changes; when one of ten does
// ("ruled that ..."), it gains most. Senses without frames are left alone.
func (lx *tables) frameFits(c context, lo, hi uint32) map[uint32]float64 {
	if c.frames == 0 {
		return nil
	}
	var framed, fit float64
	for s := lo; s < hi; s++ {
		if f := lx.frames[lx.senses[s]]; f != 0 {
			framed++
			if f&c.frames != 0 {
				fit++
			}
		}
	}
	if framed == 0 || fit == 0 {
		return nil
	}
	out := make(map[uint32]float64, hi-lo)
	for s := lo; s < hi; s++ {
		switch f := lx.frames[lx.senses[s]]; {
		case f == 0:
		case f&c.frames != 0:
			out[s] = frameBonus * (framed - fit) / framed
		default:
			out[s] = -framePenalty * fit / framed
		}
	}
	return out
}

// rankSenses orders the senses [lo, hi) of a lemma/POS record for the
// sentence: by overlap plus a prior from WordNet's sense frequencies and
// order. It returns the sense indices in their new order.
func (lx *tables) rankSenses(c context, lo, hi uint32, self int) []uint32 {
	order := make([]uint32, 0, hi-lo)
	for s := lo; s < hi; s++ {
		order = append(order, s)
	}
	if len(c.w) == 0 || hi-lo < 2 {
		return order
	}
	var total float64
	for s := lo; s < hi; s++ {
		total += float64(lx.senseCount[s])
	}
	score := make(map[uint32]float64, len(order))
	frames := lx.frameFits(c, lo, hi)
	for i, s := range order {
		prior := priorOrder / float64(i+1) // WordNet's order, gently
		if total > 0 {
			prior += priorFreq * float64(lx.senseCount[s]) / total
		}
		score[s] = lx.overlap(c, lx.senses[s], self) + prior + newsRegister[lx.lexFile[lx.senses[s]]] + frames[s] + slotWeight*lx.exampleFit(c, lx.senses[s])
	}
	sort.SliceStable(order, func(i, j int) bool { return score[order[i]] > score[order[j]] })
	return order
}
