package dictionary

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		word  string
		first string // "" when nothing may be suggested
		also  []string
	}{
		{"recieve", "receive", nil},
		{"goverment", "government", nil},
		{"sanctoin", "sanction", nil},
		{"bannana", "banana", nil},
		{"nesw", "new", []string{"news"}}, // both one edit away; "new" is the commoner
		{"acommodate", "accommodate", nil},
		{"definately", "definitely", nil},
		{"Recieve", "receive", nil},
		{"qqqqqqqqq", "", nil},
		{"x", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		got := lx.Suggest(tt.word)
		if tt.first == "" {
			if len(got) > 0 {
				t.Errorf("Suggest(%q) = %q, want nothing", tt.word, got)
			}
			continue
		}
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("Suggest(%q) = %q, want %q first", tt.word, got, tt.first)
		}
		if len(got) > maxSuggestions {
			t.Errorf("Suggest(%q) gave %d, want at most %d", tt.word, len(got), maxSuggestions)
		}
		for _, w := range tt.also {
			if !slices.Contains(got, w) {
				t.Errorf("Suggest(%q) = %q, want %q among them", tt.word, got, w)
			}
		}
		if slices.Contains(got, tt.word) {
			t.Errorf("Suggest(%q) = %q includes the word itself", tt.word, got)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"receive", "recieve", 2, 1}, // swap
		{"news", "nesw", 2, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // gives up: max+1
		{"", "ab", 2, 2},
		{"abc", "abc", 2, 0},
		{"ca", "abc", 3, 3}, // optimal string alignment, not full Damerau
		{"banana", "bannana", 2, 1},
	}
	var d distBuf
	for _, tt := range tests {
		if got := d.distance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

// osa is the plain optimal-string-alignment distance, the reference the
// banded version must agree with.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestDistanceAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, rng.IntN(8))
		for i := range b {
			b[i] = "abc"[rng.IntN(3)]
		}
		return string(b)
	}
	var d distBuf
	for range 20000 {
		a, b := word(), word()
		for _, limit := range []int{1, 2, 3} {
			want := min(osa(a, b), limit+1)
			if got := d.distance(a, b, limit); got != want {
				t.Fatalf("distance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
			}
		}
	}
}
