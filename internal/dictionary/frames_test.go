package dictionary

import (
	"strings"
	"testing"
)

// TestVerbFrames checks what the words after a verb say about its frames:
// a person or a thing as object, a clause, an infinitive, nothing, and no
// guess for a passive or a noun.
func TestVerbFrames(t *testing.T) {
	lx := lexicon(t)
	tb, err := lx.tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sentence, word string
		want           uint32
	}{
		{"The company fired 200 workers after the orders dried up.", "fired", framesPerson},
		{"Police charged the driver with negligence.", "charged", framesPerson},
		{"The ministry fired him on Monday.", "fired", framesPerson},
		{"The North may launch another ballistic missile.", "launch", framesThing},
		{"The summit will address the shortage of care workers.", "address", framesThing},
		{"The court ruled that the law violated the right to privacy.", "ruled", framesThat},
		{"The opposition vowed to block the bill.", "vowed", framesToInf},
		{"The defendant appealed against the verdict.", "appealed", framesAlone},
		{"Prices fell.", "fell", framesAlone},
		{"She appealed to the court.", "appealed", framesTo},
		{"The driver was charged with negligence.", "charged", 0},
		{"The third round of launches ended.", "launches", 0},
	} {
		toks := tokenize(clean(c.sentence))
		at := locate(toks, words(c.word))
		if at < 0 {
			t.Fatalf("%q not found in %q", c.word, c.sentence)
		}
		if got := tb.verbFrames(toks, at); got != c.want {
			t.Errorf("%s in %q: frames %b, want %b", c.word, c.sentence, got, c.want)
		}
	}
}

// TestFramesRank checks that the frames reach the card: a clause after
// "ruled" leads with deciding, a person after "fired" with dismissing.
func TestFramesRank(t *testing.T) {
	lx := lexicon(t)
	for _, c := range []struct{ word, sentence, want string }{
		{"ruled", "The Constitutional Court ruled that the law violated the right to privacy.", "decide with authority"},
		{"fired", "The company fired 200 workers after the shipbuilding orders dried up.", "terminate the employment of"},
	} {
		res, err := lx.Lookup(c.word, c.sentence)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entries) == 0 || len(res.Entries[0].Senses) == 0 || !strings.HasPrefix(res.Entries[0].Senses[0].Definition, c.want) {
			t.Errorf("%s in %q: got %+v, want first sense %q", c.word, c.sentence, res.Entries, c.want)
		}
	}
}
