package dictionary

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"byline/internal/dictionary/internal/lexfmt"
)

//go:embed lexicon.bin.gz
var lexiconGz []byte

// Error kinds. Lookup wraps them; compare with errors.Is.
var (
	// ErrNotFound: nothing in the lexicon matches. The Result returned with
	// it still carries spelling suggestions.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: a selection that is empty or too long to be a word or an
	// expression, or a bilingual dictionary file that is malformed.
	ErrInvalid = errors.New("invalid input")
)

// POS is a part of speech as WordNet knows them.
type POS string

// The four WordNet parts of speech. Satellite adjectives count as Adjective.
const (
	Noun      POS = "noun"
	Verb      POS = "verb"
	Adjective POS = "adjective"
	Adverb    POS = "adverb"
)

// pos indices, the order of WordNet's files and of our tables.
const (
	pNoun = iota
	pVerb
	pAdj
	pAdv
	numPOS
)

var posByIndex = [numPOS]POS{Noun, Verb, Adjective, Adverb}

func posIndex(p POS) int {
	for i, q := range posByIndex {
		if q == p {
			return i
		}
	}
	return -1
}

// Lexicon is the English lexicon. It is safe for concurrent use.
//
// Decoding the embedded data takes about 120 ms of one core (see
// BenchmarkLoad), so Open defers it to the first look-up and Load does it
// at once. Either way it happens once per Lexicon.
type Lexicon struct {
	once sync.Once
	t    *tables
	err  error
}

// tables is the decoded lexicon, immutable once built. They are flat
// arrays indexed by number, as the generator wrote them (see
// internal/lexfmt): lemmas sorted by key (lower case, '_' between words),
// each with lemma/POS records, each record with its synsets in WordNet's
// sense order (most frequent first).
type tables struct {
	keys   string   // lemma keys, concatenated in sorted order
	keyOff []uint32 // len = lemmas+1

	recStart []uint32 // lemma -> its records, len = lemmas+1
	recPOS   []byte   // record -> pos index
	recFreq  []uint32 // record -> tagged occurrences in the concordance (sum over senses)
	recSense []uint32 // record -> its senses, len = records+1

	senses     []uint32 // sense -> synset id
	senseCount []uint32 // sense -> tagged occurrences

	synPOS   []byte
	synPiece []uint32 // synset -> pieces of text: definition, then examples; len = synsets+1
	text     string
	textOff  []uint32
	synWord  []uint32 // synset -> its member words; len = synsets+1
	words    []uint32 // member word -> lemma id
	disp     string   // spellings that differ from the key ("North Korea")
	dispOff  []uint32
	override []uint32 // pairs (word index, spelling index), sorted by word index

	lexFile   []byte   // synset -> lexicographer file (see lexFileNames)
	relStart  []uint32 // synset -> its related synsets in rel; len = synsets+1
	rel       []uint32 // hypernyms and topic domains, for sense ranking
	xrelStart []uint32 // synset -> more related synsets in xrel; len = synsets+1
	xrel      []uint32 // hyponyms, derived forms, parts and wholes, domain members: a sense's own signature
	frames    []uint32 // synset -> WordNet's verb frames, frame n as bit n-1 (see internal/gen frameBit)

	exc    [numPOS]map[string][]string
	bucket []uint32 // see buildBuckets

	// lemmaCache holds the lemmatized content words of recently read
	// definitions and examples, direct-mapped by piece index (bounded).
	lemmaCache [1 << 16]atomic.Pointer[pieceLemmas]

	suggOnce sync.Once
	sugg     suggestIndex
}

// Open returns the lexicon without decoding it; the first method call
// that needs the data decodes it. Call Ready in the background at start-up
// to take that cost off the first reader's request.
func Open() *Lexicon { return &Lexicon{} }

// Load returns the lexicon decoded.
func Load() (*Lexicon, error) {
	lx := Open()
	if err := lx.Ready(); err != nil {
		return nil, err
	}
	return lx, nil
}

// Ready decodes the lexicon if that has not happened yet and reports
// whether it is usable.
func (lx *Lexicon) Ready() error {
	lx.once.Do(func() {
		lx.t, lx.err = decode(lexiconGz)
	})
	return lx.err
}

func (lx *Lexicon) tables() (*tables, error) {
	if err := lx.Ready(); err != nil {
		return nil, err
	}
	return lx.t, nil
}

func decode(gz []byte) (*tables, error) {
	f, err := lexfmt.Read(gz)
	if err != nil {
		return nil, fmt.Errorf("dictionary: load lexicon: %w", err)
	}
	t, err := fromFile(f)
	if err != nil {
		return nil, fmt.Errorf("dictionary: load lexicon: %w", err)
	}
	return t, nil
}

func fromFile(f *lexfmt.File) (*tables, error) {
	var missing []string
	arr := func(name string) []uint32 {
		a, ok := f.Arrays[name]
		if !ok {
			missing = append(missing, name)
		}
		return a
	}
	byt := func(name string) []byte {
		b, ok := f.Bytes[name]
		if !ok {
			missing = append(missing, name)
		}
		return b
	}
	lx := &tables{
		keys:       string(byt("lkey")),
		keyOff:     arr("lkof"),
		recStart:   arr("lpst"),
		recPOS:     bytes.Clone(byt("lppo")),
		recFreq:    arr("lpfq"),
		recSense:   arr("lpss"),
		senses:     arr("sens"),
		senseCount: arr("sncn"),
		synPOS:     bytes.Clone(byt("sypo")),
		synPiece:   arr("sypc"),
		text:       string(byt("text")),
		textOff:    arr("txof"),
		synWord:    arr("sywd"),
		words:      arr("word"),
		disp:       string(byt("disp")),
		dispOff:    arr("dsof"),
		override:   arr("wdov"),
		lexFile:    byt("sylf"),
		relStart:   arr("syro"),
		rel:        arr("syrl"),
		xrelStart:  arr("syxo"),
		xrel:       arr("syxr"),
		frames:     arr("syfr"),
	}
	excText := byt("excp")
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing sections %v", missing)
	}
	if err := lx.validate(); err != nil {
		return nil, err
	}
	lx.buildBuckets()
	for i := range lx.exc {
		lx.exc[i] = map[string][]string{}
	}
	for _, line := range strings.Split(string(excText), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || len(f[0]) != 1 || f[0][0] < '0' || f[0][0] >= '0'+numPOS {
			continue
		}
		p := int(f[0][0] - '0')
		lx.exc[p][f[1]] = append(lx.exc[p][f[1]], f[2:]...)
	}
	return lx, nil
}

// validate checks that every table index stays in range, so a corrupt
// lexicon fails at load rather than with a panic on some later look-up.
func (lx *tables) validate() error {
	nLem := len(lx.keyOff) - 1
	nRec := len(lx.recPOS)
	nSyn := len(lx.synPOS)
	checks := []struct {
		name string
		ok   bool
	}{
		{"lemma offsets", nLem > 0 && monotone(lx.keyOff, len(lx.keys))},
		{"records", len(lx.recStart) == nLem+1 && monotone(lx.recStart, nRec)},
		{"record freq", len(lx.recFreq) == nRec},
		{"record senses", len(lx.recSense) == nRec+1 && monotone(lx.recSense, len(lx.senses))},
		{"sense counts", len(lx.senseCount) == len(lx.senses)},
		{"sense synsets", below(lx.senses, nSyn)},
		{"synset text", len(lx.synPiece) == nSyn+1 && monotone(lx.synPiece, len(lx.textOff)-1)},
		{"text offsets", len(lx.textOff) > 0 && monotone(lx.textOff, len(lx.text))},
		{"synset words", len(lx.synWord) == nSyn+1 && monotone(lx.synWord, len(lx.words))},
		{"word lemmas", below(lx.words, nLem)},
		{"spellings", len(lx.dispOff) > 0 && monotone(lx.dispOff, len(lx.disp))},
		{"overrides", len(lx.override)%2 == 0},
		{"lexicographer files", len(lx.lexFile) == nSyn},
		{"related synsets", len(lx.relStart) == nSyn+1 && monotone(lx.relStart, len(lx.rel)) && below(lx.rel, nSyn)},
		{"more related synsets", len(lx.xrelStart) == nSyn+1 && monotone(lx.xrelStart, len(lx.xrel)) && below(lx.xrel, nSyn)},
		{"verb frames", len(lx.frames) == nSyn},
	}
	for _, c := range checks {
		if !c.ok {
			return fmt.Errorf("corrupt table: %s", c.name)
		}
	}
	for i := 0; i < len(lx.override); i += 2 {
		if int(lx.override[i]) >= len(lx.words) || int(lx.override[i+1]) >= len(lx.dispOff)-1 {
			return errors.New("corrupt table: overrides")
		}
	}
	for _, p := range lx.recPOS {
		if p >= numPOS {
			return errors.New("corrupt table: record POS")
		}
	}
	for _, p := range lx.synPOS {
		if p >= numPOS {
			return errors.New("corrupt table: synset POS")
		}
	}
	return nil
}

// monotone reports whether a starts at 0, never decreases and ends at end.
func monotone(a []uint32, end int) bool {
	if len(a) == 0 || a[0] != 0 || int(a[len(a)-1]) != end {
		return false
	}
	for i := 1; i < len(a); i++ {
		if a[i] < a[i-1] {
			return false
		}
	}
	return true
}

func below(a []uint32, n int) bool {
	for _, v := range a {
		if int(v) >= n {
			return false
		}
	}
	return true
}

// Len reports the number of lemmas (words and expressions), or 0 if the
// lexicon cannot be decoded.
func (lx *Lexicon) Len() int {
	t, err := lx.tables()
	if err != nil {
		return 0
	}
	return t.Len()
}

func (lx *tables) Len() int { return len(lx.keyOff) - 1 }

func (lx *tables) key(i int) string {
	return lx.keys[lx.keyOff[i]:lx.keyOff[i+1]]
}

// bucketOf is the first two bytes of a key (a missing byte counts as 0,
// which sorts first, as the shorter key does).
func bucketOf(key string) int {
	switch len(key) {
	case 0:
		return 0
	case 1:
		return int(key[0]) << 8
	}
	return int(key[0])<<8 | int(key[1])
}

// buildBuckets fills lx.bucket: keys with bucketOf b are the ids
// bucket[b] up to bucket[b+1]. It narrows every binary search to a few
// dozen neighbouring keys.
func (lx *tables) buildBuckets() {
	lx.bucket = make([]uint32, 1<<16+1)
	n := lx.Len()
	id := 0
	for b := 0; b <= 1<<16; b++ {
		for id < n && bucketOf(lx.key(id)) < b {
			id++
		}
		lx.bucket[b] = uint32(id)
	}
}

// find returns the position of key (lower case, '_' between words) among
// the sorted lemma keys, and whether it is there.
func (lx *tables) find(key string) (int, bool) {
	b := bucketOf(key)
	lo, hi := int(lx.bucket[b]), int(lx.bucket[b+1])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if lx.key(m) < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < lx.Len() && lx.key(lo) == key
}

// hasPrefix reports whether some lemma key starts with prefix.
func (lx *tables) hasPrefix(prefix string) bool {
	i, _ := lx.find(prefix)
	return i < lx.Len() && strings.HasPrefix(lx.key(i), prefix)
}

// record returns the record of lemma id for pos, or -1.
func (lx *tables) record(id, p int) int {
	for r := lx.recStart[id]; r < lx.recStart[id+1]; r++ {
		if int(lx.recPOS[r]) == p {
			return int(r)
		}
	}
	return -1
}

// defined reports whether key is a lemma of pos (WordNet's is_defined).
func (lx *tables) defined(key string, p int) bool {
	id, ok := lx.find(key)
	return ok && lx.record(id, p) >= 0
}

// posMask is a set of pos indices.
type posMask uint8

func (m posMask) has(p int) bool { return m&(1<<p) != 0 }

func (lx *tables) piece(i uint32) string {
	return lx.text[lx.textOff[i]:lx.textOff[i+1]]
}

// spelling returns how member word w is written.
func (lx *tables) spelling(w int) string {
	ov := lx.override
	i := sort.Search(len(ov)/2, func(i int) bool { return int(ov[2*i]) >= w })
	if i < len(ov)/2 && int(ov[2*i]) == w {
		d := ov[2*i+1]
		return lx.disp[lx.dispOff[d]:lx.dispOff[d+1]]
	}
	return strings.ReplaceAll(lx.key(int(lx.words[w])), "_", " ")
}

// Sense is one meaning of a lemma.
type Sense struct {
	Definition string   `json:"definition"`
	Examples   []string `json:"examples,omitempty"`
	Synonyms   []string `json:"synonyms,omitempty"`
}

// sense builds the Sense of synset syn for lemma id, keeping at most
// maxEx examples and maxSyn synonyms (0 means all).
func (lx *tables) sense(syn uint32, lemma int, maxEx, maxSyn int) (Sense, string) {
	var s Sense
	lo, hi := lx.synPiece[syn], lx.synPiece[syn+1]
	if lo < hi {
		s.Definition = lx.piece(lo)
		for p := lo + 1; p < hi && (maxEx == 0 || len(s.Examples) < maxEx); p++ {
			s.Examples = append(s.Examples, lx.piece(p))
		}
	}
	self := ""
	for w := lx.synWord[syn]; w < lx.synWord[syn+1]; w++ {
		if int(lx.words[w]) == lemma {
			self = lx.spelling(int(w))
			continue
		}
		if maxSyn == 0 || len(s.Synonyms) < maxSyn {
			s.Synonyms = append(s.Synonyms, lx.spelling(int(w)))
		}
	}
	return s, self
}

// Senses returns every sense of lemma as pos, in WordNet's order (most
// frequent first), with all examples and synonyms. lemma is matched case-
// insensitively; spaces and underscores are equivalent.
func (lx *Lexicon) Senses(lemma string, pos POS) ([]Sense, error) {
	t, err := lx.tables()
	if err != nil {
		return nil, err
	}
	e, ok := t.entry(keyOf(lemma), posIndex(pos), Limits{}, context{})
	if !ok {
		return nil, fmt.Errorf("dictionary: %q as %s: %w", lemma, pos, ErrNotFound)
	}
	return e.Senses, nil
}

// keyOf turns a lemma as written into its lexicon key.
func keyOf(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "_"))
}

// entry builds the Entry for a lemma key and pos, within lim.
func (lx *tables) entry(key string, p int, lim Limits, c context) (Entry, bool) {
	if p < 0 {
		return Entry{}, false
	}
	id, ok := lx.find(key)
	if !ok {
		return Entry{}, false
	}
	r := lx.record(id, p)
	if r < 0 {
		return Entry{}, false
	}
	e := Entry{POS: posByIndex[p], Phrase: strings.Contains(key, "_")}
	lo, hi := lx.recSense[r], lx.recSense[r+1]
	order := lx.rankSenses(c, lo, hi, id)
	for i, s := range order {
		if lim.Senses > 0 && len(e.Senses) == lim.Senses {
			e.MoreSenses = len(order) - i
			break
		}
		sense, self := lx.sense(lx.senses[s], id, lim.Examples, lim.Synonyms)
		if e.Lemma == "" {
			e.Lemma = self
		}
		e.Senses = append(e.Senses, sense)
	}
	if e.Lemma == "" {
		e.Lemma = strings.ReplaceAll(key, "_", " ")
	}
	return e, true
}

// freq returns how often key was seen as pos in WordNet's tagged corpus.
func (lx *tables) freq(key string, p int) (tagged, senses int) {
	id, ok := lx.find(key)
	if !ok {
		return 0, 0
	}
	r := lx.record(id, p)
	if r < 0 {
		return 0, 0
	}
	return int(lx.recFreq[r]), int(lx.recSense[r+1] - lx.recSense[r])
}
