package dictionary

import (
	"strings"
	"testing"

	"byline/internal/dictionary/internal/lexfmt"
)

// A damaged lexicon must fail to load, not panic on some later look-up.
func TestCorruptTablesRejected(t *testing.T) {
	good, err := lexfmt.Read(lexiconGz)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fromFile(good); err != nil {
		t.Fatalf("the embedded lexicon does not validate: %v", err)
	}
	tests := []struct {
		name   string
		damage func(f *lexfmt.File)
		want   string
	}{
		{"missing section", func(f *lexfmt.File) { delete(f.Arrays, "sens") }, "missing sections"},
		{"synset out of range", func(f *lexfmt.File) { f.Arrays["sens"][0] = 1 << 30 }, "sense synsets"},
		{"word out of range", func(f *lexfmt.File) { f.Arrays["word"][5] = 1 << 30 }, "word lemmas"},
		{"offsets decrease", func(f *lexfmt.File) { f.Arrays["txof"][10] = 0 }, "text offsets"},
		{"short text", func(f *lexfmt.File) { f.Bytes["text"] = f.Bytes["text"][:10] }, "text offsets"},
		{"bad pos", func(f *lexfmt.File) { f.Bytes["lppo"][0] = 9 }, "record POS"},
		{"odd overrides", func(f *lexfmt.File) { f.Arrays["wdov"] = f.Arrays["wdov"][:3] }, "overrides"},
	}
	for _, tt := range tests {
		f, _ := lexfmt.Read(lexiconGz)
		tt.damage(f)
		_, err := fromFile(f)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}
