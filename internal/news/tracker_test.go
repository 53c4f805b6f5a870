package news

import (
	"reflect"
	"testing"
)

func TestTrackerTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Self-Reliance!", []string{"self", "reliance"}},
		{"자력갱생의 기치", []string{"자력", "력갱", "갱생", "생의", "기치"}},
		{"북 K팝", []string{"북", "k", "팝"}},
		{"ＡＢＣ 2026", []string{"abc", "2026"}},
		{"--", nil},
	} {
		got := TrackerTokens(c.in)
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("TrackerTokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTrackerFind(t *testing.T) {
	ps, err := ParseTrackerPhrases([]string{"self-reliance", "자력갱생", "reliance"})
	if err != nil {
		t.Fatal(err)
	}
	text := TrackerNormalize("Self reliance. 우리식자력갱생을 강조; self-reliance and SELF-RELIANCE's reliance")
	for i, want := range []int{3, 1, 4} {
		if got := len(TrackerFind(text, ps[i])); got != want {
			t.Errorf("%q found %d times, want %d", ps[i].Text, got, want)
		}
	}
	r := TrackerFind(text, ps[1])
	if got := text[r[0][0]:r[0][1]]; got != "자력갱생" {
		t.Errorf("the Korean match covers %q, want 자력갱생", got)
	}
	// The stored form counts the same.
	doc := TrackerDoc(TrackerTokens(text))
	for i, want := range []int{3, 1, 4} {
		pat := ps[i].Pattern()
		n := 0
		for j := 0; ; {
			k := indexFrom(doc, pat, j)
			if k < 0 {
				break
			}
			n++
			j = k + len(pat)
		}
		if n != want {
			t.Errorf("%q occurs %d times in the stored form, want %d", ps[i].Text, n, want)
		}
	}
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestParseTrackerPhrasesRefuses(t *testing.T) {
	for _, in := range [][]string{nil, {" "}, {"a", "b", "c", "d", "e", "f"}, {"!!!"}, {string(make([]byte, 200))}} {
		if _, err := ParseTrackerPhrases(in); KindOf(err) != KindInvalid {
			t.Errorf("ParseTrackerPhrases(%q) = %v, want invalid", in, err)
		}
	}
	ps, err := ParseTrackerPhrases([]string{"Self-reliance", "self reliance", "자력갱생"})
	if err != nil || len(ps) != 2 {
		t.Errorf("duplicates not folded: %v %v", ps, err)
	}
}
