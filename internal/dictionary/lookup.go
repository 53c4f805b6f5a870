package dictionary

import (
	"fmt"
	"sort"
	"strings"
)

// Entry explains one lemma as one part of speech.
type Entry struct {
	// Query is the text this entry explains, as the reader's page has it:
	// the selection, or the expression around it ("getting off").
	Query string `json:"query"`
	// Lemma is the base form as WordNet writes it ("get off", "North Korea").
	Lemma  string `json:"lemma"`
	Phrase bool   `json:"phrase"`
	POS    POS    `json:"pos"`
	// Senses in WordNet's order, most frequent first, cut to the Limits.
	Senses []Sense `json:"senses"`
	// MoreSenses counts the senses the Limits left out.
	MoreSenses int `json:"more_senses,omitempty"`
}

// Result answers one Lookup.
type Result struct {
	// Query is the selection as understood (cleaned of punctuation).
	Query   string  `json:"query"`
	Entries []Entry `json:"entries"`
	// Suggestions are close spellings, given when nothing was found.
	Suggestions []string `json:"suggestions,omitempty"`
}

// Limits bound the size of a Result. Zero in a field means no limit.
type Limits struct {
	Entries  int // entries in the result
	Senses   int // senses per entry
	Examples int // examples per sense
	Synonyms int // synonyms per sense
}

// DefaultLimits keep a word card small enough to read at a glance.
var DefaultLimits = Limits{Entries: 8, Senses: 5, Examples: 3, Synonyms: 6}

// Lookup explains what a reader selected on a page. selection is the word
// or words selected; context, which may be empty, is the sentence around
// them and lets Lookup offer the expression the word belongs to ("getting"
// in "getting off the train" gives "get off" first, then "get") and put
// the part of speech that fits the sentence first ("a sharp increase":
// noun; "prices increase": verb).
//
// When nothing is found the error wraps ErrNotFound and the Result still
// carries spelling suggestions; an empty or overlong selection gives
// ErrInvalid.
func (lx *Lexicon) Lookup(selection, context string) (Result, error) {
	return lx.LookupLimits(selection, context, DefaultLimits)
}

// LookupLimits is Lookup with explicit limits; Limits{} returns everything.
func (lx *Lexicon) LookupLimits(selection, context string, lim Limits) (Result, error) {
	return lx.LookupIn(selection, Context{Sentence: context}, lim)
}

// Context is what the page says around a selection. The sentence picks
// the expression and the part of speech and weighs most in the order of
// the senses; the paragraph and the section only lean that order ("a
// club" in a story of arrests and drugs under National / Social
// Affairs). Each may be empty.
type Context struct {
	// Sentence is the sentence the selection is in.
	Sentence string
	// Paragraph is the text around the sentence: its paragraph, or the
	// sentences before and after it (the sentence may be part of it).
	Paragraph string
	// Section names the article's section, parents first
	// ("Business / Finance").
	Section string
}

// LookupIn is Lookup with the sentence, its paragraph and the article's
// section, and explicit limits (Limits{} returns everything).
func (lx *Lexicon) LookupIn(selection string, c Context, lim Limits) (Result, error) {
	t, err := lx.tables()
	if err != nil {
		return Result{}, err
	}
	return t.lookup(selection, c, lim)
}

func (lx *tables) lookup(selection string, pc Context, lim Limits) (Result, error) {
	sel := clean(truncate(selection, 4*maxSelectionBytes))
	sw := words(sel)
	var parts []string
	for _, t := range sw {
		parts = append(parts, t.text)
	}
	res := Result{Query: strings.Join(parts, " "), Entries: []Entry{}}
	if len(sw) == 0 {
		return res, fmt.Errorf("dictionary: empty selection: %w", ErrInvalid)
	}
	if len(sw) > maxSelectionWords || len(res.Query) > maxSelectionBytes {
		return res, fmt.Errorf("dictionary: selection longer than %d words or %d bytes: %w", maxSelectionWords, maxSelectionBytes, ErrInvalid)
	}

	ctx := tokenize(clean(truncate(pc.Sentence, maxContextBytes)))
	at := locate(ctx, sw)

	b := builder{lx: lx, lim: lim, seen: map[string]bool{}}
	if at >= 0 {
		b.ctx = lx.newContext(ctx, at, len(sw), around{
			para:    tokenize(clean(truncate(pc.Paragraph, maxParagraphBytes))),
			section: tokenize(clean(truncate(pc.Section, maxSectionBytes))),
		})
	}
	if len(sw) == 1 {
		var (
			order   []int
			guessed bool
			later   [][]token // expressions of another part of speech
		)
		if at >= 0 {
			order, guessed = lx.posGuess(ctx, at)
			for _, win := range windows(ctx, at) {
				ws := ctx[win[0]:win[1]]
				// "a fall in prices": the sentence wants a noun, so the
				// verb "fall in" that the word would head waits until
				// after the noun "fall".
				if guessed && order[0] == pNoun && win[0] == at && !lx.phraseHasPOS(ws, pNoun, b.forms) {
					later = append(later, ws)
					continue
				}
				// "went on trial on charges of ...": the expression "on
				// trial" (in the process of being tested) does not lead
				// when the sentence fits a sense of the noun clearly
				// better than any of the expression's.
				if guessed && order[0] == pNoun && win[0] == at-1 && win[1] == at+1 && prepos[ctx[at-1].lower] &&
					!lx.phraseHasPOS(ws, pNoun, b.forms) && lx.nounFitsBetter(&b, ws, ctx[at]) {
					later = append(later, ws)
					continue
				}
				// "run for president": the verb "run for" means only
				// what one sense of "run" means (they share the synset),
				// so it does not lead; the word's senses, ranked by the
				// sentence, do.
				if lx.phraseInWord(ws, ctx[at], b.forms) {
					later = append(later, ws)
					continue
				}
				b.phrase(ws, order)
			}
		} else {
			order = lx.posOrder(sw, 0)
		}
		found := b.word(sw[0], order)
		for _, ws := range later {
			b.phrase(ws, order)
		}
		if !found {
			// A hyphenated word unknown as a whole: explain its parts.
			if ps := strings.Split(sw[0].text, "-"); len(ps) > 1 {
				for _, p := range ps {
					if p != "" {
						b.word(token{text: p, lower: strings.ToLower(p), word: true}, lx.posOrder(words(p), 0))
					}
				}
			}
		}
	} else {
		sctx, off := sw, 0
		if at >= 0 {
			sctx, off = ctx, at
		}
		if !b.phrase(sw, lx.posOrder(sctx, off)) {
			b.cover(sw, sctx, off)
		}
	}
	res.Entries = b.entries
	if res.Entries == nil {
		res.Entries = []Entry{} // JSON [] rather than null
	}
	if lim.Entries > 0 && len(res.Entries) > lim.Entries {
		res.Entries = res.Entries[:lim.Entries]
	}
	if len(res.Entries) == 0 {
		res.Suggestions = lx.suggest(res.Query)
		return res, fmt.Errorf("dictionary: %q: %w", res.Query, ErrNotFound)
	}
	return res, nil
}

// builder collects entries without duplicates.
type builder struct {
	lx        *tables
	lim       Limits
	ctx       context         // the sentence's content words, for sense order
	seen      map[string]bool // key + pos
	entries   []Entry
	formCache map[string][]string
}

// forms is wordForms, remembered: the windows around a word share words.
func (b *builder) forms(w string) []string {
	if fs, ok := b.formCache[w]; ok {
		return fs
	}
	if b.formCache == nil {
		b.formCache = map[string][]string{}
	}
	fs := b.lx.wordForms(w)
	b.formCache[w] = fs
	return fs
}

func (b *builder) add(query, key string, p int) bool {
	id := key + "/" + string(rune('0'+p))
	if b.seen[id] {
		return false
	}
	e, ok := b.lx.entry(key, p, b.lim, b.ctx)
	if !ok {
		return false
	}
	b.seen[id] = true
	e.Query = query
	b.entries = append(b.entries, e)
	return true
}

// word adds the entries of one word: for each part of speech in order,
// its lemmas as Morphy finds them. It reports whether it added any.
func (b *builder) word(t token, order []int) bool {
	for _, v := range variants(t.text) {
		found := false
		for _, p := range order {
			for _, l := range b.lx.lemmasFor(v, p) {
				if b.add(t.text, l, p) {
					found = true
				}
			}
		}
		if found {
			return true
		}
	}
	return false
}

// lemmasFor lists the lemmas of pos that w may be a form of: w itself
// and what Morphy gives, the more frequent first ("rates" -> "rate" before
// the rarer noun "rates"; "saw" -> "see" before "saw"). At equal
// frequency an exception-list base comes first, then w, then a rule base.
func (lx *tables) lemmasFor(w string, p int) []string {
	var out []string
	m := lx.morphy(w, p)
	if p == pAdj && len(m) > 0 {
		m = lx.dropRareComparatives(w, m)
	}
	_, isExc := lx.exc[p][w]
	if isExc {
		out = append(out, m...)
	}
	if lx.defined(w, p) && !contains(out, w) {
		out = append(out, w)
	}
	if !isExc {
		for _, x := range m {
			if !contains(out, x) {
				out = append(out, x)
			}
		}
	}
	if len(out) > 1 {
		sort.SliceStable(out, func(i, j int) bool {
			fi, _ := lx.freq(out[i], p)
			fj, _ := lx.freq(out[j], p)
			return fi > fj
		})
	}
	return out
}

// dropRareComparatives drops the adjectives w would be the comparative or
// superlative of when w is, far more often, a word of its own: "number" is
// in WordNet's exception list as the comparative of "numb" (3 tagged uses
// against 220 of the noun and verb), "buffer" and "trigger" follow the
// rule for "buff" and "trig". Comparatives of adjectives in real use stay
// ("longer", "closer", "lighter": their adjectives are the common ones).
func (lx *tables) dropRareComparatives(w string, bases []string) []string {
	own := 0
	for p := 0; p < numPOS; p++ {
		if p != pAdj {
			f, _ := lx.freq(w, p)
			own += f
		}
	}
	if own < rareComparativeFloor {
		return bases
	}
	out := bases[:0:0]
	for _, b := range bases {
		if f, _ := lx.freq(b, pAdj); b == w || f*rareComparativeRatio >= own {
			out = append(out, b)
		}
	}
	return out
}

// A comparative reading is dropped when the word's own uses number at
// least rareComparativeFloor and rareComparativeRatio times the
// adjective's.
const (
	rareComparativeFloor = 5
	rareComparativeRatio = 10
)

// phraseHasPOS reports whether ws is an expression of part of speech p.
func (lx *tables) phraseHasPOS(ws []token, p int, forms func(string) []string) bool {
	for _, k := range lx.phraseKeys(ws, forms) {
		if lx.defined(k, p) {
			return true
		}
	}
	return false
}

// phraseInWord reports whether every sense of the expression ws is also
// a sense of the word w (WordNet puts both in one synset, as "run" and
// "run for").
func (lx *tables) phraseInWord(ws []token, w token, forms func(string) []string) bool {
	keys := lx.phraseKeys(ws, forms)
	if len(keys) == 0 {
		return false
	}
	var mine []uint32
	for _, v := range variants(w.lower) {
		for p := 0; p < numPOS; p++ {
			for _, l := range lx.lemmasFor(v, p) {
				id, _ := lx.find(l)
				if r := lx.record(id, p); r >= 0 {
					mine = append(mine, lx.senses[lx.recSense[r]:lx.recSense[r+1]]...)
				}
			}
		}
	}
	for _, k := range keys {
		id, _ := lx.find(k)
		for r := lx.recStart[id]; r < lx.recStart[id+1]; r++ {
			for _, syn := range lx.senses[lx.recSense[r]:lx.recSense[r+1]] {
				if !containsU32(mine, syn) {
					return false
				}
			}
		}
	}
	return true
}

func containsU32(list []uint32, v uint32) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// phrase adds the entries of ws read as one expression, and reports
// whether ws is one.
func (b *builder) phrase(ws []token, order []int) bool {
	keys := b.lx.phraseKeys(ws, b.forms)
	if len(keys) == 0 {
		return false
	}
	q := joinText(ws)
	found := false
	for _, p := range order {
		for _, k := range keys {
			if b.add(q, k, p) {
				found = true
			}
		}
	}
	return found
}

// cover explains a selection that is not one expression: the longest
// expressions inside it, left to right, and single words between them.
// The selection starts at ctx[off], which the tagger reads around.
func (b *builder) cover(sw, ctx []token, off int) {
	for i := 0; i < len(sw); {
		n := 1
		for k := len(sw) - i; k >= 2; k-- {
			if len(b.lx.phraseKeys(sw[i:i+k], b.forms)) > 0 {
				n = k
				break
			}
		}
		order := b.lx.posOrder(ctx, off+i)
		if n > 1 {
			b.phrase(sw[i:i+n], order)
		} else {
			b.word(sw[i], order)
		}
		i += n
	}
}

// phraseKeys returns the lexicon keys that the words ws may be forms of as
// one expression, joined by '_' (or by '-' for two words). As in English,
// only one word may be inflected: the first, for a verb with its particle
// or object ("getting off" -> "get_off", "held up" -> "hold_up", "kicked
// the bucket"), or the last, for a compound noun ("ice creams"). That keeps
// "prices increase" from reading as the noun "price increase".
func (lx *tables) phraseKeys(ws []token, forms func(string) []string) []string {
	if len(ws) < 2 {
		return nil
	}
	surface := make([]string, len(ws))
	for i, t := range ws {
		surface[i] = t.lower
	}
	// Most words start no expression: one binary search per form says so.
	starts := false
	for _, f := range append([]string{surface[0]}, forms(surface[0])...) {
		if lx.hasPrefix(f+"_") || (len(ws) == 2 && lx.hasPrefix(f+"-")) {
			starts = true
			break
		}
	}
	if !starts {
		return nil
	}
	var keys []string
	try := func(parts []string, verbOnly bool) {
		seps := []string{"_"}
		if len(parts) == 2 {
			seps = append(seps, "-")
		}
		for _, sep := range seps {
			k := strings.Join(parts, sep)
			id, ok := lx.find(k)
			if !ok || contains(keys, k) || (verbOnly && lx.record(id, pVerb) < 0) {
				continue
			}
			keys = append(keys, k)
		}
	}
	try(surface, false)
	parts := make([]string, len(ws))
	for _, end := range []int{0, len(ws) - 1} {
		for _, f := range forms(surface[end]) {
			copy(parts, surface)
			parts[end] = f
			try(parts, end == 0)
		}
	}
	return keys
}

// wordForms lists what one word of an expression may stand for besides
// itself: without a possessive, and its base forms in any part of speech.
func (lx *tables) wordForms(w string) []string {
	var fs []string
	for _, v := range variants(w)[1:] {
		if !strings.Contains(v, "_") {
			fs = append(fs, v)
		}
	}
	for p := 0; p < numPOS; p++ {
		for _, m := range lx.morphy(w, p) {
			if m != w && !contains(fs, m) {
				fs = append(fs, m)
			}
		}
	}
	return fs
}

// maxPhraseWords is the longest expression looked for around a word.
const maxPhraseWords = 4

// windows lists the spans [start, end) of ctx that contain word at and may
// be an expression: runs of words without punctuation between them,
// longest first, those starting at the word before those reaching left.
func windows(ctx []token, at int) [][2]int {
	lo, hi := at, at+1
	for lo > 0 && ctx[lo-1].word && at-(lo-1) < maxPhraseWords {
		lo--
	}
	for hi < len(ctx) && ctx[hi].word && hi-at < maxPhraseWords {
		hi++
	}
	var out [][2]int
	for n := maxPhraseWords; n >= 2; n-- {
		for s := at; s >= lo && s > at-n; s-- {
			if s+n <= hi {
				out = append(out, [2]int{s, s + n})
			}
		}
	}
	return out
}

// locate finds the selected words in the context tokens and returns the
// index of the first, or -1.
func locate(ctx, sel []token) int {
outer:
	for i := range ctx {
		j, k := i, 0
		for ; k < len(sel); j++ {
			if j >= len(ctx) || !ctx[j].word {
				continue outer
			}
			if ctx[j].lower != sel[k].lower {
				continue outer
			}
			k++
		}
		return i
	}
	return -1
}

func joinText(ws []token) string {
	parts := make([]string, len(ws))
	for i, t := range ws {
		parts[i] = t.text
	}
	return strings.Join(parts, " ")
}

// nounFitsBetter reports whether the sentence fits a noun sense of w
// clearly better (by the overlap) than every sense of the expression ws.
func (lx *tables) nounFitsBetter(b *builder, ws []token, w token) bool {
	best := func(id, p int) float64 {
		v := 0.0
		for r := lx.recStart[id]; r < lx.recStart[id+1]; r++ {
			if p >= 0 && int(lx.recPOS[r]) != p {
				continue
			}
			for s := lx.recSense[r]; s < lx.recSense[r+1]; s++ {
				v = max(v, lx.overlap(b.ctx, lx.senses[s], id))
			}
		}
		return v
	}
	phrase := 0.0
	for _, k := range lx.phraseKeys(ws, b.forms) {
		if id, ok := lx.find(k); ok {
			phrase = max(phrase, best(id, -1))
		}
	}
	noun := 0.0
	for _, l := range lx.lemmasFor(w.lower, pNoun) {
		if id, ok := lx.find(l); ok {
			noun = max(noun, best(id, pNoun))
		}
	}
	return noun >= 0.2 && noun >= 2*phrase
}
