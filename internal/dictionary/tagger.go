package dictionary

import "strings"

// A small rule-based tagger: it reads the words next to the selected one
// and guesses which part of speech the sentence asks for. It only reorders
// entries, never hides one, so a wrong guess costs the reader a scroll.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	determiners = set("a", "an", "the", "this", "that", "these", "those", "some", "any", "no", "every", "each",
		"either", "neither", "another", "all", "both", "many", "few", "several", "much", "such", "what", "which",
		"whose", "my", "your", "his", "her", "its", "our", "their", "one", "two", "three", "four", "five", "six",
		"seven", "eight", "nine", "ten", "first", "second", "third", "last", "next", "other", "own")
	subjects    = set("i", "you", "we", "they", "he", "she", "it", "who")
	objects     = set("me", "him", "us", "them", "it", "her", "you")
	modals      = set("can", "could", "will", "would", "shall", "should", "may", "might", "must", "cannot", "can't", "won't", "wouldn't", "shouldn't", "couldn't", "mustn't", "mightn't", "shan't", "do", "does", "did", "don't", "doesn't", "didn't", "to", "let's", "please")
	beForms     = set("is", "are", "was", "were", "be", "been", "being", "am", "isn't", "aren't", "wasn't", "weren't")
	haveForms   = set("have", "has", "had", "having", "haven't", "hasn't", "hadn't")
	linking     = set("seem", "seems", "seemed", "become", "becomes", "became", "remain", "remains", "remained", "appear", "appears", "appeared", "feel", "feels", "felt", "look", "looks", "looked", "sound", "sounds", "sounded", "stay", "stays", "stayed", "grow", "grows", "grew", "get", "gets", "got")
	intensifier = set("very", "too", "so", "quite", "rather", "extremely", "really", "fairly", "pretty", "highly", "incredibly", "increasingly", "less", "least", "more", "most", "how", "as")
	prepos      = set("of", "in", "on", "at", "for", "with", "by", "from", "about", "into", "over", "under", "after", "before", "between", "through", "during", "without", "against", "among", "across", "behind", "beyond", "toward", "towards", "upon", "within", "along", "around", "near", "despite", "since", "until", "via", "per", "like")
	adverbs     = set("not", "never", "also", "just", "still", "already", "often", "always", "only", "even", "ever", "n't", "now", "then", "soon", "once")
	conjunction = set("and", "or", "but", "nor", "because", "if", "when", "while", "although", "though", "than", "that", "where", "whether")
)

// closed reports whether w is a function word the tagger knows by name.
func closed(w string) bool {
	return determiners[w] || subjects[w] || objects[w] || modals[w] || beForms[w] || haveForms[w] ||
		intensifier[w] || prepos[w] || adverbs[w] || conjunction[w]
}

// profile returns the parts of speech w may have and the one it most often
// has, from the frequencies of WordNet's tagged corpus.
func (lx *tables) profile(w string) (posMask, int) {
	var m posMask
	best, bestScore := -1, -1
	for p := 0; p < numPOS; p++ {
		score := 0
		ls := lx.lemmasFor(w, p)
		if len(ls) == 0 {
			continue
		}
		m |= 1 << p
		for _, l := range ls {
			f, n := lx.freq(l, p)
			score += 8*f + n
		}
		if score > bestScore {
			best, bestScore = p, score
		}
	}
	return m, best
}

// posOrder returns the four parts of speech in the order the sentence
// around toks[i] suggests for it: the guess first, then by frequency.
func (lx *tables) posOrder(toks []token, i int) []int {
	order, _ := lx.posGuess(toks, i)
	return order
}

// posGuess is posOrder that also reports whether a rule made the guess,
// rather than frequency alone.
func (lx *tables) posGuess(toks []token, i int) ([]int, bool) {
	w := toks[i].lower
	if v := variants(w); len(v) > 1 && strings.HasSuffix(w, "'s") {
		w = v[1]
	}
	avail, dom := lx.profile(w)
	order := make([]int, 0, numPOS)
	g := lx.guess(toks, i, avail)
	if g >= 0 {
		order = append(order, g)
	}
	if dom >= 0 && !containsInt(order, dom) {
		order = append(order, dom)
	}
	for _, p := range []int{pNoun, pVerb, pAdj, pAdv} {
		if !containsInt(order, p) {
			order = append(order, p)
		}
	}
	return order, g >= 0
}

// neighbour returns the index of the nearest word before (dir -1) or after
// (dir +1) toks[i], skipping adverbs like "not" and "sharply", or -1 at
// punctuation or the end.
func (lx *tables) neighbour(toks []token, i, dir int) int {
	for j := i + dir; j >= 0 && j < len(toks); j += dir {
		t := toks[j]
		if !t.word {
			return -1
		}
		if adverbs[t.lower] || (strings.HasSuffix(t.lower, "ly") && !closed(t.lower) && lx.isAdverb(t.lower)) {
			continue
		}
		return j
	}
	return -1
}

func (lx *tables) isAdverb(w string) bool {
	_, dom := lx.profile(w)
	return dom == pAdv
}

// guess applies the rules; -1 means no rule fired.
func (lx *tables) guess(toks []token, i int, avail posMask) int {
	pick := func(ps ...int) int {
		for _, p := range ps {
			if avail.has(p) {
				return p
			}
		}
		return -1
	}
	var only = -1
	for p := 0; p < numPOS; p++ {
		if avail.has(p) {
			if only >= 0 {
				only = -2
				break
			}
			only = p
		}
	}
	if only != -2 {
		return only
	}
	w := toks[i].lower
	participle := strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en") || strings.HasSuffix(w, "ing") || len(lx.exc[pVerb][w]) > 0
	possessive := strings.HasSuffix(w, "'s") || (i+1 < len(toks) && toks[i+1].text == "'")
	if possessive {
		return pick(pNoun)
	}

	ni := lx.neighbour(toks, i, +1)
	next, nextNounish, nextVerbish := "", false, false
	if ni >= 0 {
		next = toks[ni].lower
		if !closed(next) {
			m, d := lx.profile(next)
			// A word that can be a noun and is not shaped like a verb form
			// reads as the head noun after a modifier ("a better plan").
			// An irregular past tense ("fell", "rose") is a verb here: "the won
			// fell" has won as its subject, not as a modifier of "fell".
			irregularPast := len(lx.exc[pVerb][next]) > 0 && !strings.HasSuffix(next, "ing")
			nextNounish = !irregularPast && (d == pNoun || (m.has(pNoun) && !strings.HasSuffix(next, "s") && !strings.HasSuffix(next, "ed")))
			nextVerbish = d == pVerb && !nextNounish
		}
	}
	pi := lx.neighbour(toks, i, -1)
	if pi < 0 {
		// First word of the sentence or clause.
		switch {
		case modals[next] || beForms[next] || haveForms[next] || nextVerbish:
			return pick(pNoun, pAdj)
		case determiners[next] || objects[next]:
			return pick(pVerb)
		}
		return lx.byShape(w, avail)
	}
	prev := toks[pi].lower
	switch {
	case modals[prev] || subjects[prev] || strings.HasSuffix(prev, "'ll") || strings.HasSuffix(prev, "'d"):
		return pick(pVerb, pAdj, pNoun)
	case haveForms[prev]:
		if participle {
			return pick(pVerb, pNoun)
		}
		return pick(pNoun, pVerb)
	case beForms[prev] || linking[prev] || strings.HasSuffix(prev, "'re") || strings.HasSuffix(prev, "'m"):
		if strings.HasSuffix(w, "ing") && avail.has(pVerb) && (prepos[next] || determiners[next] || objects[next] || prepositions[next]) {
			return pVerb // "was banging on the door", "is increasing the dose"
		}
		if participle && avail.has(pVerb) && avail.has(pAdj) && lx.defined(w, pAdj) {
			// "were held up" (passive) or "was tired" (adjective): the
			// agent's "by" says passive; otherwise the more frequent reading.
			if next == "by" {
				return pVerb
			}
			if lx.freqOf(w, pAdj) >= lx.freqOf(w, pVerb) {
				return pAdj
			}
			return pVerb
		}
		if avail.has(pAdj) && lx.defined(w, pAdj) {
			return pAdj
		}
		if participle {
			return pick(pVerb, pAdj)
		}
		return pick(pAdj, pNoun)
	case intensifier[prev]:
		if prev == "more" || prev == "most" || prev == "less" || prev == "least" {
			return pick(pAdj, pAdv, pNoun)
		}
		return pick(pAdj, pAdv)
	case prepos[prev] && strings.HasSuffix(w, "ing"):
		return pick(pVerb, pNoun) // gerund: "by banging"
	case determiners[prev] || prepos[prev] || strings.HasSuffix(prev, "'s") || isNumber(prev):
		if nextNounish && avail.has(pAdj) {
			return pAdj // "a sharp increase"
		}
		return pick(pNoun, pAdj)
	case closed(prev):
		return lx.byShape(w, avail)
	case strings.Contains(prev, "-") && !lx.known(prev):
		// A hyphenated modifier ("a three-day strike", "two-year
		// sentence") is followed by its noun.
		if nextNounish && avail.has(pAdj) {
			return pAdj
		}
		return pick(pNoun, pAdj)
	}
	_, pdom := lx.profile(prev)
	if pdom == pNoun {
		// "a round of missile launches": a noun after a preposition or a
		// determiner modifies the word, which is the head noun.
		// After a determiner the pair may be subject and verb instead ("the
		// council sanctions the plan"): an object after the word says so.
		if ppi := lx.neighbour(toks, pi, -1); ppi >= 0 && !modals[next] && !beForms[next] && !haveForms[next] &&
			(prepos[toks[ppi].lower] || (determiners[toks[ppi].lower] && !determiners[next] && !objects[next])) {
			return pick(pNoun, pVerb)
		}
	}
	if plural(lx, prev) && pdom == pVerb {
		// "Exports hit a record": a plural that starts the clause, or
		// follows a determiner, is a subject rather than a verb.
		if ppi := lx.neighbour(toks, pi, -1); ppi < 0 || determiners[toks[ppi].lower] {
			pdom = pNoun
		}
	}
	switch pdom {
	case pAdj:
		if nextNounish && avail.has(pAdj) {
			return pAdj
		}
		return pick(pNoun, pAdj)
	case pNoun:
		// "prices increase" vs "oil prices rose": a noun right before is a
		// subject when the word is not followed by a verb.
		if modals[next] || beForms[next] || haveForms[next] || nextVerbish {
			return pick(pNoun, pAdj)
		}
		if plural(lx, prev) || determiners[next] || objects[next] || isNumber(next) {
			return pick(pVerb, pNoun)
		}
		return pick(pNoun, pVerb)
	case pVerb:
		if nextNounish && avail.has(pAdj) {
			return pAdj
		}
		return pick(pNoun, pAdj, pAdv)
	}
	return lx.byShape(w, avail)
}

// freqOf sums the tagged frequencies of the lemmas w may be a form of.
func (lx *tables) freqOf(w string, p int) int {
	n := 0
	for _, l := range lx.lemmasFor(w, p) {
		f, _ := lx.freq(l, p)
		n += f
	}
	return n
}

// byShape guesses from the word's ending when the neighbours say nothing.
// In news text a word in -s that can be a plural noun usually is one.
func (lx *tables) byShape(w string, avail posMask) int {
	switch {
	case avail.has(pNoun) && plural(lx, w):
		return pNoun
	case strings.HasSuffix(w, "ly") && avail.has(pAdv):
		return pAdv
	case (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")) && avail.has(pVerb) && !lx.defined(w, pNoun):
		return pVerb
	}
	return -1
}

// plural reports whether w reads as a plural noun ("prices").
func plural(lx *tables, w string) bool {
	if !strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss") {
		return false
	}
	for _, b := range lx.morphy(w, pNoun) {
		if b != w {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if (r < '0' || r > '9') && r != ',' && r != '.' {
			return false
		}
	}
	return true
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// known reports whether w is a lemma of the lexicon.
func (lx *tables) known(w string) bool {
	_, ok := lx.find(w)
	return ok
}
