package storetest

import (
	"fmt"
	"testing"

	"byline/internal/news"
)

func init() { register("BilingualLargeImport", testBilingualLargeImport) }

// testBilingualLargeImport loads a dictionary larger than one INSERT
// carries and checks that every usable entry arrives, counted once, and
// that one headword's several senses come back in file order.
func testBilingualLargeImport(t *testing.T, s news.Store) {
	var in []news.BilingualEntry
	for i := range 450 {
		in = append(in, news.BilingualEntry{Headword: fmt.Sprintf("word%03d", i), Translation: fmt.Sprintf("낱말 %d", i)})
		if i%100 == 0 {
			in = append(in, news.BilingualEntry{Headword: "", Translation: "no headword, skipped"})
		}
	}
	// Senses of "bank" far apart in the file, across batches.
	for _, at := range []int{3, 199, 200, 401} {
		in[at] = news.BilingualEntry{Headword: "Bank", Translation: fmt.Sprintf("sense at %d", at)}
	}
	must(t, s.ReplaceBilingual(ctx, "big", in))
	list, err := s.ListBilingual(ctx)
	must(t, err)
	if len(list) != 1 || list[0].Entries != 450 {
		t.Fatalf("ListBilingual = %+v, want one dictionary of 450 entries", list)
	}
	got, err := s.BilingualLookup(ctx, []string{"word449", "bank", "word000"}, 100)
	must(t, err)
	var seq []string
	for _, e := range got {
		seq = append(seq, e.Translation)
	}
	if want := "[낱말 449 sense at 3 sense at 199 sense at 200 sense at 401 낱말 0]"; fmt.Sprint(seq) != want {
		t.Errorf("BilingualLookup = %v, want %s", seq, want)
	}
	must(t, s.RemoveBilingual(ctx, "big"))
}
