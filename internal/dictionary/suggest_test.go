package dictionary

import (
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
