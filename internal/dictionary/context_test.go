package dictionary

import (
	"strings"
	"testing"
)

// TestParagraphContext checks what the paragraph and the section add to
// the context: their content words that the sentence lacks, at a lower
// weight, never the clicked word itself, and nothing without a sentence
// that holds the selection.
func TestParagraphContext(t *testing.T) {
	lx := lexicon(t)
	tb, err := lx.tables()
	if err != nil {
		t.Fatal(err)
	}
	sentence := "The new president says the landslide gave him a mandate for tax reform."
	para := sentence + " Another mandate was refused. He won 58 percent of the vote."
	ctx := tokenize(clean(sentence))
	at := locate(ctx, words("mandate"))
	c := tb.newContext(ctx, at, 1, around{para: tokenize(clean(para)), section: tokenize(clean("National / Politics"))})
	if c.p["mandate"] != 0 {
		t.Errorf("the clicked word elsewhere in the paragraph is in the context (%.3f)", c.p["mandate"])
	}
	if c.p["president"] != 0 || c.w["president"] == 0 {
		t.Errorf("a sentence word: sentence %.3f, paragraph %.3f; want it in the sentence's part only", c.w["president"], c.p["president"])
	}
	if got, want := c.p["vote"], paraFactor*tb.weight("vote"); got != want || c.w["vote"] != 0 {
		t.Errorf("a paragraph word: paragraph %.3f (want %.3f), sentence %.3f (want 0)", got, want, c.w["vote"])
	}
	if got, want := c.p["politics"], sectionFactor*tb.weight("politics"); got != want {
		t.Errorf("a section word: %.3f, want %.3f", got, want)
	}

	// Without a sentence that holds the word, the paragraph and the
	// section change nothing.
	first := func(r Result) string {
		if len(r.Entries) == 0 || len(r.Entries[0].Senses) == 0 {
			return ""
		}
		return r.Entries[0].Senses[0].Definition
	}
	bare, _ := lx.LookupIn("mandate", Context{}, DefaultLimits)
	for _, pc := range []Context{{Paragraph: para, Section: "National / Politics"}, {Sentence: "No such word here.", Paragraph: para, Section: "National / Politics"}} {
		r, err := lx.LookupIn("mandate", pc, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if first(r) != first(bare) {
			t.Errorf("with sentence %q the paragraph changed the first sense to %q (alone: %q)", pc.Sentence, first(r), first(bare))
		}
	}
	// With it, they lean the order: the election result and the section
	// say which mandate this is.
	alone, _ := lx.LookupIn("mandate", Context{Sentence: sentence}, DefaultLimits)
	full, _ := lx.LookupIn("mandate", Context{Sentence: sentence, Paragraph: para, Section: "National / Politics"}, DefaultLimits)
	if first(full) == first(alone) || !strings.Contains(first(full), "electoral victory") {
		t.Errorf("with the paragraph and section the card leads with %q (sentence alone: %q), want the electoral commission", first(full), first(alone))
	}

	// Overlong paragraphs and sections are cut, not refused.
	if _, err := lx.LookupIn("mandate", Context{Sentence: sentence, Paragraph: strings.Repeat(para+" ", 500), Section: strings.Repeat("Politics ", 500)}, DefaultLimits); err != nil {
		t.Errorf("a long paragraph: %v", err)
	}
}
