package dictionary

import "strings"

// detachment rules of WordNet's morph.c, in its order: the first rule that
// yields a lemma of the part of speech wins.
var rules = [numPOS][][2]string{
	pNoun: {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	pVerb: {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	pAdj:  {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	pAdv:  nil, // adverbs use the exception list only
}

// Morphy returns the base forms of word as pos, the way WordNet's morphy
// finds them: the exception list first (ran -> run, better -> good), else
// the first detachment rule that gives a known lemma (sanctions ->
// sanction). When both fail for a doubled final consonant, it also undoes
// the doubling (a rule WordNet leaves to its exception lists, which miss
// some words). The word itself is not included; it is the caller's to try.
// word is taken as lower case with '_' or ' ' between words.
func (lx *Lexicon) Morphy(word string, pos POS) []string {
	t, err := lx.tables()
	p := posIndex(pos)
	if err != nil || p < 0 {
		return nil
	}
	return t.morphy(keyOf(word), p)
}

func (lx *tables) morphy(w string, p int) []string {
	if bases, ok := lx.exc[p][w]; ok {
		var out []string
		for _, b := range bases {
			if b != w && lx.defined(b, p) && !contains(out, b) {
				out = append(out, b)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	if strings.Contains(w, "_") {
		return lx.morphCollocation(w, p)
	}
	if b := lx.morphWord(w, p); b != "" {
		return []string{b}
	}
	return nil
}

// morphWord is morph.c's morphword without the exception list: one word,
// rules in order, first defined result.
func (lx *tables) morphWord(w string, p int) string {
	if b, ok := lx.exc[p][w]; ok {
		for _, b := range b {
			if b != w && lx.defined(b, p) {
				return b
			}
		}
	}
	base, end := w, ""
	switch p {
	case pAdv:
		return ""
	case pNoun:
		if strings.HasSuffix(w, "ful") && len(w) > 3 {
			// "handsful" -> "handful": morph the part before "ful".
			base, end = w[:len(w)-3], "ful"
		} else if strings.HasSuffix(w, "ss") || len(w) <= 2 {
			return ""
		}
	}
	for _, r := range rules[p] {
		if !strings.HasSuffix(base, r[0]) {
			continue
		}
		c := base[:len(base)-len(r[0])] + r[1]
		if c != base && c != "" && lx.defined(c, p) {
			return c + end
		}
	}
	if end != "" {
		return ""
	}
	return lx.undouble(w, p)
}

// undouble handles inflections that double the final consonant ("stopped",
// "bigger"). WordNet lists most in its exception files; this catches the
// rest, and only after the plain rules failed.
func (lx *tables) undouble(w string, p int) string {
	var sufs []string
	switch p {
	case pVerb:
		sufs = []string{"ed", "ing"}
	case pAdj:
		sufs = []string{"er", "est"}
	default:
		return ""
	}
	for _, s := range sufs {
		if !strings.HasSuffix(w, s) {
			continue
		}
		stem := w[:len(w)-len(s)]
		n := len(stem)
		if n < 3 || stem[n-1] != stem[n-2] || !strings.ContainsRune("bdgklmnprtvz", rune(stem[n-1])) {
			continue
		}
		if c := stem[:n-1]; lx.defined(c, p) {
			return c
		}
	}
	return ""
}

// prepositions that make a verb collocation in morph.c ("getting_off").
var prepositions = map[string]bool{
	"to": true, "at": true, "of": true, "on": true, "off": true, "in": true, "out": true, "up": true,
	"down": true, "from": true, "with": true, "into": true, "for": true, "about": true, "between": true,
}

// morphCollocation follows morph.c's morphstr for expressions: a verb with a
// preposition morphs the verb and keeps the rest ("held_up" -> "hold_up");
// otherwise each word is morphed on its own and the result must be a lemma
// ("attorneys_general" -> "attorney_general").
func (lx *tables) morphCollocation(w string, p int) []string {
	parts := strings.Split(w, "_")
	if p == pVerb && len(parts) > 1 {
		hasPrep := false
		for _, x := range parts[1:] {
			if prepositions[x] {
				hasPrep = true
			}
		}
		if hasPrep {
			rest := "_" + strings.Join(parts[1:], "_")
			var cands []string
			cands = append(cands, lx.exc[pVerb][parts[0]]...)
			for _, r := range rules[pVerb] {
				if strings.HasSuffix(parts[0], r[0]) {
					cands = append(cands, parts[0][:len(parts[0])-len(r[0])]+r[1])
				}
			}
			if b := lx.undouble(parts[0], pVerb); b != "" {
				cands = append(cands, b)
			}
			for _, c := range cands {
				if c != parts[0] && lx.defined(c+rest, pVerb) {
					return []string{c + rest}
				}
			}
			return nil
		}
	}
	changed := false
	for i, x := range parts {
		if b := lx.morphWord(x, p); b != "" {
			parts[i] = b
			changed = true
		}
	}
	if out := strings.Join(parts, "_"); changed && lx.defined(out, p) {
		return []string{out}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
