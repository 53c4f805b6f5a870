package dictionary

import "strings"

// Verb frames: what follows a verb in the sentence says which of its
// senses are meant. WordNet lists for each verb synset the sentence
// frames it takes ("Somebody ----s somebody", "Somebody ----s something",
// "Somebody ----s that CLAUSE", ...); the lexicon keeps them as a bit
// mask (frame n as bit n-1). "The company fired 200 workers" has a
// person as object, which "terminate the employment of" takes and "fire
// a weapon" does not; "the summit will address the shortage" has a thing
// as object, which "speak to" (somebody) does not take; "the court ruled
// that ..." takes a clause, which only "decide with authority" does.
// Synsets that list no frame are left alone.

// frameBits returns the mask of WordNet frames ns.
func frameBits(ns ...int) uint32 {
	var m uint32
	for _, n := range ns {
		m |= 1 << (n - 1)
	}
	return m
}

// The frames each shape of what follows the verb fits.
var (
	framesAlone  = frameBits(1, 2, 3, 4, 6, 7, 13, 22, 23)      // nothing, or a preposition: "talks collapsed", "appealed against"
	framesTo     = frameBits(4, 12, 22, 27)                     // "to" and a noun: "appealed to the court"
	framesThat   = frameBits(26)                                // "ruled that ..." (34, "It ----s that CLAUSE", is stored as 26)
	framesToInf  = frameBits(28, 32)                            // "vowed to ..." (35 is stored as 28)
	framesPerson = frameBits(9, 10, 14, 17, 18, 20, 24, 25, 30) // "fired 200 workers", "charged the driver"
	framesThing  = frameBits(5, 8, 11, 15, 16, 19, 21, 31)      // "fired a missile", "address the shortage"
)

// verbFrames returns the frames the words after toks[i] fit when the
// word is read as a verb, or 0 when the sentence says nothing clear (a
// passive, "was charged", has its object before it).
func (lx *tables) verbFrames(toks []token, i int) uint32 {
	if pi := lx.neighbour(toks, i, -1); pi >= 0 {
		prev := toks[pi].lower
		if beForms[prev] || strings.HasSuffix(prev, "'re") {
			return 0 // passive or progressive: the object is elsewhere
		}
		if determiners[prev] || prepos[prev] {
			return 0 // a noun, not a verb
		}
	}
	j := lx.neighbour(toks, i, +1)
	if j < 0 {
		return framesAlone
	}
	w := toks[j].lower
	switch {
	case w == "that":
		return framesThat
	case w == "to":
		if k := lx.neighbour(toks, j, +1); k >= 0 {
			next := toks[k].lower
			if !determiners[next] && !isNumber(next) && !objects[next] && lx.defined(next, pVerb) && !plural(lx, next) {
				return framesToInf
			}
		}
		return framesTo
	case prepos[w] || conjunction[w] || adverbs[w]:
		return framesAlone
	case objects[w] && w != "it" && w != "her":
		return framesPerson
	case w == "it":
		return framesThing
	case modals[w] || beForms[w] || haveForms[w] || subjects[w] && w != "her":
		return 0
	}
	head := lx.objectHead(toks, j)
	if head == "" {
		return 0
	}
	if lx.personLike(head) {
		return framesPerson
	}
	return framesThing
}

// objectHead returns the head noun of the noun phrase starting at
// toks[j] ("200 workers", "a new ballistic missile", "the company's
// chairman"), or "" when none is found within a few words.
func (lx *tables) objectHead(toks []token, j int) string {
	head := ""
	for k := j; k < len(toks) && k < j+6; k++ {
		t := toks[k]
		if !t.word {
			break
		}
		w := t.lower
		if determiners[w] || isNumber(w) || strings.Contains(w, "-") && !lx.known(w) {
			if head != "" {
				break
			}
			continue
		}
		if strings.HasSuffix(w, "'s") {
			head = ""
			continue // a possessor: the head comes after it
		}
		if closed(w) {
			break
		}
		m, dom := lx.profile(w)
		if !m.has(pNoun) {
			if m.has(pAdj) && head == "" {
				continue // a modifier
			}
			break
		}
		if dom == pAdj && head == "" {
			continue
		}
		if dom == pVerb && head != "" && !plural(lx, w) {
			break // "the driver said": the next verb
		}
		head = w
	}
	return head
}

// personLike reports whether noun w most often names a person (WordNet's
// noun.person), whom WordNet's frames call "somebody". Groups ("the
// union", "a convention") count as things: WordNet's frames do.
func (lx *tables) personLike(w string) bool {
	for _, l := range lx.lemmasFor(w, pNoun) {
		id, ok := lx.find(l)
		if !ok {
			continue
		}
		r := lx.record(id, pNoun)
		if r < 0 || lx.recSense[r] == lx.recSense[r+1] {
			continue
		}
		f := lx.lexFile[lx.senses[lx.recSense[r]]]
		return f == lexPerson
	}
	return false
}

// lexPerson is WordNet's lexicographer file noun.person.
const lexPerson = 18
