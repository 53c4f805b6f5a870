package dictionary

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// wsdCase is one line of testdata/wsd.tsv. def may list alternatives
// separated by "|" where two WordNet senses fit the sentence equally.
// para is the paragraph the sentence stands in, as the card sends it
// (the file writes the sentence there as "{}"); section is the
// article's section, parents first.
type wsdCase struct {
	split, word, pos, def, sentence, section, para string
	// block counts the "# Held out, added ..." comments above the line:
	// which batch of held-out sentences it was written in.
	block int
}

// wsdMode is what a scored look-up is given.
type wsdMode int

const (
	wsdBaseline wsdMode = iota // nothing: WordNet's first sense of the right part of speech
	wsdSentence                // the sentence only
	wsdFull                    // the sentence, its paragraph and the section (what the card sends)
)

// context is what the card sends for c in mode m.
func (c wsdCase) context(m wsdMode) Context {
	switch m {
	case wsdSentence:
		return Context{Sentence: c.sentence}
	case wsdFull:
		return Context{Sentence: c.sentence, Paragraph: c.para, Section: c.section}
	}
	return Context{}
}

func wsdCases(t testing.TB) []wsdCase {
	t.Helper()
	f, err := os.Open("testdata/wsd.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []wsdCase
	block := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# Held out, added") {
			block++
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 7 {
			t.Fatalf("wsd.tsv: %q has %d fields, want 7", line, len(p))
		}
		if strings.Count(p[6], "{}") != 1 || p[5] == "" {
			t.Fatalf("wsd.tsv: %q: the paragraph must hold the sentence once as {}, and the section must be given", line)
		}
		cs = append(cs, wsdCase{p[0], p[1], p[2], p[3], p[4], p[5], strings.Replace(p[6], "{}", p[4], 1), block})
	}
	return cs
}

// wsdScore counts the cases whose card leads with the sense a careful
// reader picks: the first entry's part of speech and first definition.
// baseline scores WordNet's own first sense of the right part of speech
// (what a card does that gets the part of speech right and ignores the
// sentence).
func wsdScore(t testing.TB, lx *Lexicon, cs []wsdCase, split string, mode wsdMode) (right, total int, misses []string) {
	t.Helper()
	for _, c := range cs {
		if c.split != split {
			continue
		}
		total++
		var got string
		if mode == wsdBaseline {
			res, err := lx.LookupLimits(c.word, "", Limits{})
			if err != nil {
				t.Fatalf("%s: %v", c.word, err)
			}
			for _, e := range res.Entries {
				if string(e.POS) == c.pos && len(e.Senses) > 0 {
					got = string(e.POS) + ": " + e.Senses[0].Definition
					break
				}
			}
		} else {
			res, err := lx.LookupIn(c.word, c.context(mode), DefaultLimits)
			if err != nil {
				t.Fatalf("%s: %v", c.word, err)
			}
			if len(res.Entries) > 0 && len(res.Entries[0].Senses) > 0 {
				got = string(res.Entries[0].POS) + ": " + res.Entries[0].Senses[0].Definition
			}
		}
		ok := false
		for _, def := range strings.Split(c.def, "|") { // senses a careful reader takes equally
			ok = ok || strings.HasPrefix(got, c.pos+": "+def)
		}
		if ok {
			right++
		} else {
			misses = append(misses, c.word+" in “"+c.sentence+"”\n\tgot  "+got+"\n\twant "+c.pos+": "+c.def)
		}
	}
	return right, total, misses
}

// TestSenseInContext measures the card's first sense against the
// evaluation set and fails below the bar. Run with -v to see the figures
// and the misses of the card (sentence, paragraph and section).
func TestSenseInContext(t *testing.T) {
	lx := lexicon(t)
	cs := wsdCases(t)
	if len(cs) < 60 {
		t.Fatalf("the evaluation set has %d sentences, want at least 60", len(cs))
	}
	pct := func(r, n int) float64 { return 100 * float64(r) / float64(n) }
	for _, split := range []string{"dev", "held"} {
		r, n, misses := wsdScore(t, lx, cs, split, wsdFull)
		sr, _, _ := wsdScore(t, lx, cs, split, wsdSentence)
		br, _, _ := wsdScore(t, lx, cs, split, wsdBaseline)
		t.Logf("%s: %d/%d = %.0f%% first sense right with sentence, paragraph and section; %d/%d = %.0f%% with the sentence only; WordNet's first sense of the right part of speech: %d/%d = %.0f%%",
			split, r, n, pct(r, n), sr, n, pct(sr, n), br, n, pct(br, n))
		if split == "dev" {
			for _, m := range misses {
				t.Logf("miss: %s", m)
			}
			continue
		}
		// Held out: the figures of each batch, never its misses.
		for b := 0; ; b++ {
			var bc []wsdCase
			for _, c := range cs {
				if c.block == b {
					bc = append(bc, c)
				}
			}
			if len(bc) == 0 {
				break
			}
			r, n, _ := wsdScore(t, lx, bc, split, wsdFull)
			sr, _, _ := wsdScore(t, lx, bc, split, wsdSentence)
			t.Logf("  held-out batch %d: %d/%d with paragraph and section, %d/%d with the sentence only", b, r, n, sr, n)
		}
		bar := map[string]float64{"dev": 0.72, "held": 0.57}[split] // guards what the ranking reaches today (75 % of 76, 59 % of 120); the aim is 85 %
		if float64(r) < bar*float64(n) {
			t.Errorf("%s: %d/%d right, below the bar of %.0f%%", split, r, n, 100*bar)
		}
	}
}
