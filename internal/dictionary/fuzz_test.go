package dictionary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalizeAndMorphy: cleaning is valid UTF-8 and idempotent; every
// base form morphology offers is a lemma the lexicon holds for that part
// of speech, in lower case.
//
//	go test ./internal/dictionary/ -run '^$' -fuzz FuzzNormalizeAndMorphy -fuzztime 30s
func FuzzNormalizeAndMorphy(f *testing.F) {
	for _, s := range []string{"running", "Korea’s", "ﬁnest", "ＦＵＬＬ", "geese", "mothers-in-law", "\xff\xfe", "a\u00adb", "went", "better"} {
		f.Add(s)
	}
	lx := lexicon(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("clean(%q) = %q, not valid UTF-8", s, c)
		}
		if again := clean(c); again != c {
			t.Errorf("clean(%q) = %q, again %q: not idempotent", s, c, again)
		}
		if len(s) > 64 {
			return
		}
		for _, pos := range posByIndex {
			for _, base := range lx.Morphy(strings.ToLower(c), pos) {
				if base == "" || base != strings.ToLower(base) {
					t.Errorf("Morphy(%q, %s) offered %q", c, pos, base)
					continue
				}
				if senses, err := lx.Senses(base, pos); err != nil || len(senses) == 0 {
					t.Errorf("Morphy(%q, %s) offered %q, which has no %s senses (%v)", c, pos, base, pos, err)
				}
			}
		}
	})
}
