package dictionary

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// wsdCase is one line of testdata/wsd.tsv. def may list alternatives
// separated by "|" where two WordNet senses fit the sentence equally.
type wsdCase struct {
	split, word, pos, def, sentence string
}

func wsdCases(t testing.TB) []wsdCase {
	t.Helper()
	f, err := os.Open("testdata/wsd.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []wsdCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 5 {
			t.Fatalf("wsd.tsv: %q has %d fields, want 5", line, len(p))
		}
		cs = append(cs, wsdCase{p[0], p[1], p[2], p[3], p[4]})
	}
	return cs
}

// wsdScore counts the cases whose card leads with the sense a careful
// reader picks: the first entry's part of speech and first definition.
// baseline scores WordNet's own first sense of the right part of speech
// (what a card does that gets the part of speech right and ignores the
// sentence).
func wsdScore(t testing.TB, lx *Lexicon, cs []wsdCase, split string, baseline bool) (right, total int, misses []string) {
	t.Helper()
	for _, c := range cs {
		if c.split != split {
			continue
		}
		total++
		var got string
		if baseline {
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
			res, err := lx.Lookup(c.word, c.sentence)
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
// and the misses.
func TestSenseInContext(t *testing.T) {
	lx := lexicon(t)
	cs := wsdCases(t)
	if len(cs) < 60 {
		t.Fatalf("the evaluation set has %d sentences, want at least 60", len(cs))
	}
	for _, split := range []string{"dev", "held"} {
		r, n, misses := wsdScore(t, lx, cs, split, false)
		br, _, _ := wsdScore(t, lx, cs, split, true)
		t.Logf("%s: %d/%d = %.0f%% first sense right in context; WordNet's first sense of the right part of speech: %d/%d = %.0f%%",
			split, r, n, 100*float64(r)/float64(n), br, n, 100*float64(br)/float64(n))
		for _, m := range misses {
			t.Logf("miss: %s", m)
		}
		bar := map[string]float64{"dev": 0.72, "held": 0.61}[split] // guards what the ranking reaches today (74 % of 76, 62 % of 85); the aim is 85 %
		if float64(r) < bar*float64(n) {
			t.Errorf("%s: %d/%d right, below the bar of %.0f%%", split, r, n, 100*bar)
		}
	}
}
