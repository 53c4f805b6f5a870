// Command gen derives the dictionary's embedded lexicon from the WordNet 3.0
// database files (Debian's wordnet-base package installs them in
// /usr/share/wordnet). It is run by go generate in internal/dictionary:
//
//	go run ./internal/gen -wordnet /usr/share/wordnet -out lexicon.bin.gz
//
// The output is deterministic: the same WordNet files give the same bytes.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"byline/internal/dictionary/internal/lexfmt"
)

// posNames are the WordNet file suffixes in the order of our POS indices:
// 0 noun, 1 verb, 2 adjective, 3 adverb.
var posNames = [4]string{"noun", "verb", "adj", "adv"}

type word struct {
	text  string // as written in the data file, marker stripped
	lexID int
}

type synset struct {
	pos     int
	sstype  byte // n v a s r
	lexFile int
	words   []word
	simTo   int64 // for satellites: offset of the head synset ('&' pointer)
	// rel are the synsets whose words and glosses tell this one's topic
	// apart for sense ranking: hypernyms ('@', '@i') and topic domains
	// (';c'), as (pos, offset) pairs.
	rel [][2]int64
	// xrel are more synsets that say what this one is about, read only
	// for the synset's own signature: hyponyms ('~'), derivationally
	// related forms ('+'), meronyms and holonyms, members of a topic
	// domain ('-c'), entailments, causes and verb groups.
	xrel [][2]int64
	def  string
	exs  []string
	// frames are WordNet's generic verb frames ("Somebody ----s
	// somebody", "Somebody ----s that CLAUSE"), frame n as bit n-1, for
	// any word of the synset (see frameBit).
	frames uint32
}

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "directory holding WordNet 3.0 data.*, index.*, *.exc and cntlist.rev")
	out := flag.String("out", "lexicon.bin.gz", "output file")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	var synsets []*synset
	ids := map[[2]int64]int{} // (pos, offset) -> synset id
	for p, name := range posNames {
		err := eachLine(filepath.Join(dir, "data."+name), func(line string) error {
			if strings.HasPrefix(line, "  ") {
				return nil // licence header
			}
			off, s, err := parseData(line, p)
			if err != nil {
				return err
			}
			ids[[2]int64{int64(p), off}] = len(synsets)
			synsets = append(synsets, s)
			return nil
		})
		if err != nil {
			return err
		}
	}

	counts, err := readCounts(filepath.Join(dir, "cntlist.rev"))
	if err != nil {
		return err
	}
	// senseCount[(lemma, synset id)] is the number of times that sense was
	// tagged in the Brown-corpus concordance; it ranks lemmas by frequency.
	senseCount := map[string]uint32{}
	for id, s := range synsets {
		head := ""
		if s.sstype == 's' {
			hid, ok := ids[[2]int64{2, s.simTo}]
			if !ok {
				return fmt.Errorf("satellite synset %d has no head", id)
			}
			h := synsets[hid].words[0]
			head = fmt.Sprintf("%s:%02d", strings.ToLower(h.text), h.lexID)
		} else {
			head = ":"
		}
		for _, w := range s.words {
			lemma := strings.ToLower(w.text)
			key := fmt.Sprintf("%s%%%d:%02d:%02d:%s", lemma, ssTypeNum(s.sstype), s.lexFile, w.lexID, head)
			senseCount[lemma+"\x00"+strconv.Itoa(id)] = counts[key]
		}
	}

	type record struct {
		pos    int
		senses []int
		counts []uint32
		freq   uint32
	}
	lemmas := map[string][]record{}
	for p, name := range posNames {
		err := eachLine(filepath.Join(dir, "index."+name), func(line string) error {
			if strings.HasPrefix(line, "  ") {
				return nil
			}
			f := strings.Fields(line)
			if len(f) < 6 {
				return fmt.Errorf("index.%s: short line %q", name, line)
			}
			lemma := f[0]
			nsyn, err1 := strconv.Atoi(f[2])
			nptr, err2 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil || len(f) != 4+nptr+2+nsyn {
				return fmt.Errorf("index.%s: bad line %q", name, line)
			}
			r := record{pos: p}
			for _, o := range f[4+nptr+2:] {
				off, err := strconv.ParseInt(o, 10, 64)
				if err != nil {
					return err
				}
				id, ok := ids[[2]int64{int64(p), off}]
				if !ok {
					return fmt.Errorf("index.%s: %s points at missing synset %d", name, lemma, off)
				}
				c := senseCount[lemma+"\x00"+strconv.Itoa(id)]
				r.senses = append(r.senses, id)
				r.counts = append(r.counts, c)
				r.freq += c
			}
			lemmas[lemma] = append(lemmas[lemma], r)
			return nil
		})
		if err != nil {
			return err
		}
	}

	f := lexfmt.New()
	keys := make([]string, 0, len(lemmas))
	for k := range lemmas {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	keyID := make(map[string]uint32, len(keys))
	var (
		lkey       bytes.Buffer
		lkof, lpst = []uint32{0}, []uint32{0}
		lppo       []byte
		lpfq       []uint32
		lpss       = []uint32{0}
		sens, sncn []uint32
	)
	for i, k := range keys {
		keyID[k] = uint32(i)
		lkey.WriteString(k)
		lkof = append(lkof, uint32(lkey.Len()))
		for _, r := range lemmas[k] { // already in POS order
			lppo = append(lppo, byte(r.pos))
			lpfq = append(lpfq, r.freq)
			for i, s := range r.senses {
				sens = append(sens, uint32(s))
				sncn = append(sncn, r.counts[i])
			}
			lpss = append(lpss, uint32(len(sens)))
		}
		lpst = append(lpst, uint32(len(lppo)))
	}

	// Synset members point at their lemma; only a spelling that is not the
	// lemma with spaces (capitals mostly: "North Korea") is stored apart.
	var (
		text       bytes.Buffer
		txof       = []uint32{0}
		sypo       []byte
		sypc, sywd = []uint32{0}, []uint32{0}
		words      []uint32
		disp       bytes.Buffer
		dsof       = []uint32{0}
		wdov       []uint32 // pairs: word index, display index
	)
	piece := func(s string) {
		text.WriteString(s)
		txof = append(txof, uint32(text.Len()))
	}
	// Lexicographer files (noun.group, noun.artifact, ...) and related
	// synsets, for ranking senses by the sentence around a word.
	var (
		sylf []byte
		syro = []uint32{0}
		syrl []uint32
		syxo = []uint32{0}
		syxr []uint32
		syfr []uint32 // verb frames by synset (0 for other parts of speech)
	)
	for _, s := range synsets {
		sylf = append(sylf, byte(s.lexFile))
		syfr = append(syfr, s.frames)
		for _, r := range s.rel {
			if id, ok := ids[r]; ok {
				syrl = append(syrl, uint32(id))
			}
		}
		syro = append(syro, uint32(len(syrl)))
		for _, r := range s.xrel {
			if id, ok := ids[r]; ok && len(syxr)-int(syxo[len(syxo)-1]) < maxXrel {
				syxr = append(syxr, uint32(id))
			}
		}
		syxo = append(syxo, uint32(len(syxr)))
	}
	for _, s := range synsets {
		sypo = append(sypo, byte(s.pos))
		piece(s.def)
		for _, e := range s.exs {
			piece(e)
		}
		sypc = append(sypc, uint32(len(txof)-1))
		for _, w := range s.words {
			key := strings.ToLower(w.text)
			id, ok := keyID[key]
			if !ok {
				return fmt.Errorf("synset word %q is not in any index", w.text)
			}
			if d := strings.ReplaceAll(w.text, "_", " "); d != strings.ReplaceAll(key, "_", " ") {
				wdov = append(wdov, uint32(len(words)), uint32(len(dsof)-1))
				disp.WriteString(d)
				dsof = append(dsof, uint32(disp.Len()))
			}
			words = append(words, id)
		}
		sywd = append(sywd, uint32(len(words)))
	}

	var exc bytes.Buffer
	for p, name := range posNames {
		err := eachLine(filepath.Join(dir, name+".exc"), func(line string) error {
			fs := strings.Fields(line)
			if len(fs) < 2 {
				return nil
			}
			fmt.Fprintf(&exc, "%d %s\n", p, strings.Join(fs, " "))
			return nil
		})
		if err != nil {
			return err
		}
	}

	f.Bytes["lkey"], f.Arrays["lkof"] = lkey.Bytes(), lkof
	f.Arrays["lpst"], f.Bytes["lppo"] = lpst, lppo
	f.Arrays["lpfq"], f.Arrays["lpss"] = lpfq, lpss
	f.Arrays["sens"], f.Arrays["sncn"] = sens, sncn
	f.Bytes["sypo"], f.Arrays["sypc"], f.Arrays["sywd"] = sypo, sypc, sywd
	f.Bytes["text"], f.Arrays["txof"] = text.Bytes(), txof
	f.Arrays["word"] = words
	f.Bytes["disp"], f.Arrays["dsof"], f.Arrays["wdov"] = disp.Bytes(), dsof, wdov
	f.Bytes["excp"] = exc.Bytes()
	f.Bytes["sylf"], f.Arrays["syro"], f.Arrays["syrl"] = sylf, syro, syrl
	f.Arrays["syxo"], f.Arrays["syxr"] = syxo, syxr
	f.Arrays["syfr"] = syfr

	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %d lemmas, %d lemma/POS records, %d senses, %d synsets, %d spellings apart; %d bytes text; wrote %s (%d bytes)\n",
		len(keys), len(lppo), len(sens), len(synsets), len(dsof)-1, text.Len(), out, buf.Len())
	return nil
}

func ssTypeNum(t byte) int {
	return strings.IndexByte("nvars", t) + 1
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		if err := fn(sc.Text()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}

// parseData reads one synset line of a data.* file:
// offset lex_filenum ss_type w_cnt (word lex_id)... p_cnt (ptr)... [frames] | gloss
func parseData(line string, pos int) (int64, *synset, error) {
	head, gloss, ok := strings.Cut(line, " | ")
	if !ok {
		head = strings.TrimSpace(line)
	}
	f := strings.Fields(head)
	if len(f) < 6 {
		return 0, nil, fmt.Errorf("short synset line")
	}
	off, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, nil, err
	}
	lexFile, err := strconv.Atoi(f[1])
	if err != nil {
		return 0, nil, err
	}
	s := &synset{pos: pos, sstype: f[2][0], lexFile: lexFile}
	wcnt, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil {
		return 0, nil, err
	}
	i := 4
	for j := 0; j < int(wcnt); j++ {
		if i+1 >= len(f) {
			return 0, nil, fmt.Errorf("truncated word list")
		}
		lexID, err := strconv.ParseInt(f[i+1], 16, 32)
		if err != nil {
			return 0, nil, err
		}
		s.words = append(s.words, word{text: stripMarker(f[i]), lexID: int(lexID)})
		i += 2
	}
	pcnt, err := strconv.Atoi(f[i])
	if err != nil {
		return 0, nil, err
	}
	i++
	for j := 0; j < pcnt; j++ {
		if i+3 >= len(f) {
			return 0, nil, fmt.Errorf("truncated pointer list")
		}
		if f[i] == "&" && s.sstype == 's' && s.simTo == 0 {
			s.simTo, _ = strconv.ParseInt(f[i+1], 10, 64)
		}
		if f[i] == "@" || f[i] == "@i" || f[i] == ";c" {
			o, err := strconv.ParseInt(f[i+1], 10, 64)
			if p := strings.IndexByte("nvar", f[i+2][0]); err == nil && p >= 0 {
				s.rel = append(s.rel, [2]int64{int64(p), o})
			}
		}
		if xrelPointers[f[i]] {
			o, err := strconv.ParseInt(f[i+1], 10, 64)
			if p := strings.IndexByte("nvar", f[i+2][0]); err == nil && p >= 0 && !containsRel(s.xrel, int64(p), o) {
				s.xrel = append(s.xrel, [2]int64{int64(p), o})
			}
		}
		i += 4
	}
	// Verb frames: f_cnt, then "+ f_num w_num" triples.
	if pos == 1 && i < len(f) {
		fcnt, err := strconv.Atoi(f[i])
		if err != nil {
			return 0, nil, fmt.Errorf("frame count: %w", err)
		}
		i++
		for j := 0; j < fcnt && i+2 < len(f); j++ {
			n, err := strconv.Atoi(f[i+1])
			if err != nil {
				return 0, nil, fmt.Errorf("frame: %w", err)
			}
			s.frames |= frameBit(n)
			i += 3
		}
	}
	s.def, s.exs = splitGloss(gloss)
	return off, s, nil
}

// frameBit maps WordNet's verb frame n (1..35) to its bit: n-1 for
// 1..32; the three later frames join the one they read like for ranking
// (33 "Somebody ----s VERB-ing" has none; 34 "It ----s that
// CLAUSE" -> 26 "Somebody ----s that CLAUSE", 35 "Something ----s
// INFINITIVE" -> 28 "Somebody ----s to INFINITIVE").
func frameBit(n int) uint32 {
	switch {
	case n >= 1 && n <= 32:
		return 1 << (n - 1)
	case n == 34:
		return 1 << 25
	case n == 35:
		return 1 << 27
	}
	return 0
}

// xrelPointers are the pointer symbols read into synset.xrel.
var xrelPointers = map[string]bool{"~": true, "+": true, "%m": true, "#m": true, "%p": true, "#p": true, "%s": true, "#s": true,
	"-c": true, "*": true, ">": true, "$": true}

// maxXrel bounds the related synsets kept per synset: a few very general
// synsets ("person", "city") have hundreds of hyponyms, which would cost
// look-up time and space and say little about them.
const maxXrel = 48

func containsRel(rs [][2]int64, p, o int64) bool {
	for _, r := range rs {
		if r == [2]int64{p, o} {
			return true
		}
	}
	return false
}

// stripMarker removes the syntactic markers WordNet appends to some
// adjectives: (a) prenominal, (p) predicate, (ip) immediately postnominal.
func stripMarker(w string) string {
	for _, m := range []string{"(a)", "(p)", "(ip)"} {
		if strings.HasSuffix(w, m) {
			return w[:len(w)-len(m)]
		}
	}
	return w
}

// splitGloss separates a WordNet gloss into its definition and its quoted
// examples: `definition; "example one"; "example two"`. A few glosses have
// unbalanced quotes; for those, semicolons alone separate the parts.
func splitGloss(g string) (def string, examples []string) {
	g = strings.TrimSpace(g)
	parts, ok := splitTopLevel(g)
	if !ok {
		parts = strings.Split(g, ";")
	}
	var defs []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if p[0] == '"' {
			e := strings.TrimSpace(strings.Trim(p, `"'`))
			// An attribution may follow the closing quote: `"..." - Shakespeare`.
			if i := strings.LastIndexByte(p, '"'); i > 0 && i < len(p)-1 {
				e = strings.TrimSpace(p[1:i]) + " " + strings.TrimSpace(p[i+1:])
			}
			if e != "" {
				examples = append(examples, strings.ReplaceAll(e, `"`, ""))
			}
			continue
		}
		defs = append(defs, p)
	}
	return strings.Join(defs, "; "), examples
}

func splitTopLevel(g string) ([]string, bool) {
	var parts []string
	in := false
	start := 0
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case '"':
			in = !in
		case ';':
			if !in {
				parts = append(parts, g[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, g[start:])
	return parts, !in
}

func readCounts(path string) (map[string]uint32, error) {
	m := map[string]uint32{}
	err := eachLine(path, func(line string) error {
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil
		}
		n, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			return err
		}
		m[f[0]] = uint32(n)
		return nil
	})
	return m, err
}
