package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSplitGloss(t *testing.T) {
	tests := []struct {
		gloss string
		def   string
		exs   []string
	}{
		{`an entity that has physical existence  `, "an entity that has physical existence", nil},
		{`a tangible and visible entity; an entity that can cast a shadow; "it was full of rackets, balls and other objects"  `,
			"a tangible and visible entity; an entity that can cast a shadow", []string{"it was full of rackets, balls and other objects"}},
		{`(usually followed by 'to') having the necessary means; "able to swim"; "she was able to program her computer"`,
			"(usually followed by 'to') having the necessary means", []string{"able to swim", "she was able to program her computer"}},
		{`give voice to; "he voiced his concern; she agreed"`, "give voice to", []string{"he voiced his concern; she agreed"}},
		{`a remark; "to be or not to be" - Shakespeare`, "a remark", []string{"to be or not to be - Shakespeare"}},
		// Unbalanced quotes, as a few WordNet glosses have them.
		{`having a toe of a kind; "long-toed; "five-toed"`, "having a toe of a kind", []string{"long-toed", "five-toed"}},
		{`fueled by wood; "a wood-burning stove'`, "fueled by wood", []string{"a wood-burning stove"}},
		{``, "", nil},
	}
	for _, tt := range tests {
		def, exs := splitGloss(tt.gloss)
		if def != tt.def || !reflect.DeepEqual(exs, tt.exs) {
			t.Errorf("splitGloss(%q) = %q, %q; want %q, %q", tt.gloss, def, exs, tt.def, tt.exs)
		}
	}
}

func TestStripMarker(t *testing.T) {
	for in, want := range map[string]string{"galore(ip)": "galore", "outback(a)": "outback", "ready_to_hand(p)": "ready_to_hand", "able": "able"} {
		if got := stripMarker(in); got != want {
			t.Errorf("stripMarker(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGeneratedUpToDate regenerates the lexicon from the WordNet files,
// when they are installed (Debian: apt-get install wordnet-base), and
// checks the committed file is exactly what the generator makes.
func TestGeneratedUpToDate(t *testing.T) {
	const dir = "/usr/share/wordnet"
	if _, err := os.Stat(filepath.Join(dir, "data.noun")); err != nil {
		t.Skip("WordNet files not installed; apt-get install wordnet-base to run this test")
	}
	if testing.Short() {
		t.Skip("regenerating takes seconds")
	}
	out := filepath.Join(t.TempDir(), "lexicon.bin.gz")
	if err := run(dir, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../lexicon.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("generated lexicon (%d bytes) differs from the committed one (%d bytes); run go generate ./internal/dictionary", len(got), len(want))
	}
}
