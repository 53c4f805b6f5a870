package store

import (
	"strings"
	"testing"

	"byline/internal/news"
)

func TestSearchGrams(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"올빼미버스", "올빼 빼미 미버 버스"},
		{"서울 올빼미 a 가 나다", "서울 올빼 빼미 나다"},
		{"Seoul", ""},
		{"가", ""},
		{"G20정상회의", "정상 상회 회의"},
	} {
		if got := SearchGrams(c.in); got != c.want {
			t.Errorf("SearchGrams(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	terms := ParseSearch("housing loans")
	body := "Officials were worried.\n\nHousing market\n\n" + strings.Repeat("Filler words without the terms here. ", 20) +
		"Banks tightened housing loans on Monday, and housing starts fell. " + strings.Repeat("More filler follows. ", 20)
	got := Snippet(terms, "Headline", "Dek", body, "meta")
	want := "…" + strings.Repeat("", 0)
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "…") {
		t.Errorf("snippet %q: want ellipses at both cuts", got)
	}
	for _, w := range []string{"housing", "loans"} {
		if !strings.Contains(got, news.HighlightStart+w+news.HighlightEnd) {
			t.Errorf("snippet %q does not mark %s", got, w)
		}
	}
	if strings.Contains(got, "market") {
		t.Errorf("snippet %q crosses into the subhead", got)
	}
	// Stems, punctuation and hyphenated names.
	if got := Snippet(ParseSearch("expanding"), "", "", "It expands.", ""); got != "It "+news.HighlightStart+"expands"+news.HighlightEnd+"." {
		t.Errorf("stem: %q", got)
	}
	if got := Snippet(ParseSearch("won"), "", "", "By Kim Ji-won, Seoul", ""); !strings.Contains(got, news.HighlightStart+"Ji-won"+news.HighlightEnd+",") {
		t.Errorf("hyphenated: %q", got)
	}
	// No match anywhere: the body's opening, unmarked.
	if got := Snippet(ParseSearch("zebra"), "H", "D", "First paragraph.\n\nSecond.", ""); got != "First paragraph." {
		t.Errorf("no match: %q", got)
	}
}

func BenchmarkSnippet(b *testing.B) {
	terms := ParseSearch("chip exports")
	body := strings.Repeat(strings.Repeat("Chipmakers said exports of memory chips rose again as buyers stocked up before tariffs. ", 6)+"\n\n", 12)
	for b.Loop() {
		Snippet(terms, "Chip exports climb", "A dek", body, "Kim Ji-won Seoul Business chips")
	}
}

// TestMayMatchAgreesWithToLower: the byte-wise prefilter of a block keeps
// every block strings.ToLower would have kept, whatever the block's
// letters (curly quotes, Hangul, the Kelvin sign and dotted capital I,
// which lower-case to ASCII) and the term's.
func TestMayMatchAgreesWithToLower(t *testing.T) {
	old := func(ms []matcher, block string) bool {
		lower := strings.ToLower(block)
		for _, m := range ms {
			if m.hangul {
				if strings.Contains(block, m.word) {
					return true
				}
			} else if strings.Contains(lower, m.lower) || (len(m.stem) >= 3 && strings.Contains(lower, m.stem)) {
				return true
			}
		}
		return false
	}
	blocks := []string{
		"HOUSING starts fell, the ministry said.",
		"“Housing is worrying,” she said.",
		"The \u212aIM family", // Kelvin sign: lower-cases to "kim"
		"\u0130STANBUL port",  // dotted capital I: lower-cases to "i̇stanbul"
		"서울 올빼미버스 노선",
		"Exports of chips rose; Ji-won reported.",
		"Nothing to see here.",
		"Über exports",
		"",
	}
	queries := []string{"housing", "kim", "istanbul", "올빼미", "exported", "ji won", "über", "zebra", "Housing Kim"}
	var buf []byte
	for _, q := range queries {
		ms := matchers(ParseSearch(q))
		for _, b := range blocks {
			if got, want := mayMatch(ms, b, &buf), old(ms, b); got != want {
				t.Errorf("mayMatch(%q, %q) = %v, want %v", q, b, got, want)
			}
		}
	}
}
