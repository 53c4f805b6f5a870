package dictionary

import (
	"strings"
	"testing"
)

// TestSlots checks which word the sentence ties to the selection: a
// verb's object, a noun's modifier, the verb a noun is the object of.
func TestSlots(t *testing.T) {
	lx := lexicon(t)
	tb, err := lx.tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sentence, word   string
		object, mod, gov string
	}{
		{"The North may launch another ballistic missile.", "launch", "missile", "", ""},
		{"The court ruled that the law violated the right to privacy.", "ruled", "", "court", ""}, // "court" if "ruled" were a noun
		{"The ruling party will hold a convention in August.", "convention", "", "", "hold"},
		{"Seoul ended a week of joint air drills.", "drills", "", "air", ""},
		{"The landslide gave him a mandate for tax reform.", "mandate", "", "", "gave"},
		{"Prices fell.", "fell", "", "", ""},
	} {
		toks := tokenize(clean(c.sentence))
		at := locate(toks, words(c.word))
		if at < 0 {
			t.Fatalf("%q not found in %q", c.word, c.sentence)
		}
		obj := tb.verbSlot(toks, at)
		mod, gov := tb.nounSlots(toks, at)
		if obj.word != c.object || mod.word != c.mod || gov.word != c.gov {
			t.Errorf("%s in %q: object %q, modifier %q, governor %q; want %q, %q, %q", c.word, c.sentence, obj.word, mod.word, gov.word, c.object, c.mod, c.gov)
		}
	}
}

// TestSlotsRank checks that the examples reach the card: "hold a
// convention" is like WordNet's "hold a reception", not "hold the
// baby".
func TestSlotsRank(t *testing.T) {
	lx := lexicon(t)
	res, err := lx.Lookup("hold", "The ruling party will hold a convention to choose its new leader in August.")
	if err != nil {
		t.Fatal(err)
	}
	want := "organize or be responsible for"
	if len(res.Entries) == 0 || len(res.Entries[0].Senses) == 0 || !strings.HasPrefix(res.Entries[0].Senses[0].Definition, want) {
		t.Errorf("got %+v, want first sense %q", res.Entries, want)
	}
}
