package storetest

import (
	"fmt"
	"testing"

	"byline/internal/news"
)

// RunGlossary runs the conformance tests of the newsroom glossary and
// bilingual dictionaries. Engines that implement news.GlossaryStore call
// it beside Run.
func RunGlossary(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s news.GlossaryStore)
	}{
		{"GlossaryCRUD", testGlossaryCRUD},
		{"GlossaryImport", testGlossaryImport},
		{"Bilingual", testBilingual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			gs := s
			tc.fn(t, gs)
		})
	}
}

func version(t *testing.T, s news.GlossaryStore) int64 {
	t.Helper()
	v, err := s.GlossaryVersion(ctx)
	must(t, err)
	return v
}

func testGlossaryCRUD(t *testing.T, s news.GlossaryStore) {
	v0 := version(t, s)
	e := news.GlossaryEntry{Display: "  Korea  JoongAng Daily ", Definition: "An English-language daily in Seoul.", POS: "proper noun",
		Korean: "코리아중앙데일리", Links: []string{"https://koreajoongangdaily.joins.com", " "}, UpdatedBy: "ed@example.com"}
	must(t, s.SaveGlossaryEntry(ctx, &e))
	if e.ID == 0 || e.Term != "korea joongang daily" || e.Display != "Korea JoongAng Daily" {
		t.Fatalf("saved entry: id %d term %q display %q", e.ID, e.Term, e.Display)
	}
	v1 := version(t, s)
	if v1 <= v0 {
		t.Errorf("version after save = %d, want > %d", v1, v0)
	}
	got, err := s.GlossaryEntryByID(ctx, e.ID)
	must(t, err)
	if got.Korean != e.Korean || len(got.Links) != 1 || got.Links[0] != e.Links[0] || got.UpdatedBy != "ed@example.com" {
		t.Errorf("GlossaryEntryByID = %+v, want %+v", got, e)
	}
	dup := news.GlossaryEntry{Display: "korea joongang DAILY", Definition: "again"}
	wantKind(t, s.SaveGlossaryEntry(ctx, &dup), news.KindConflict)
	wantKind(t, s.SaveGlossaryEntry(ctx, &news.GlossaryEntry{Display: " ", Definition: "x"}), news.KindInvalid)
	wantKind(t, s.SaveGlossaryEntry(ctx, &news.GlossaryEntry{Display: "x", Definition: ""}), news.KindInvalid)
	wantKind(t, s.SaveGlossaryEntry(ctx, &news.GlossaryEntry{Display: "x", Definition: "y", Links: []string{"javascript:alert(1)"}}), news.KindInvalid)
	wantKind(t, s.SaveGlossaryEntry(ctx, &news.GlossaryEntry{ID: 9999, Display: "x", Definition: "y"}), news.KindNotFound)

	got.Definition = "The English edition of the JoongAng Ilbo."
	must(t, s.SaveGlossaryEntry(ctx, &got))
	other := news.GlossaryEntry{Display: "Juche", Definition: "North Korea's state ideology of self-reliance."}
	must(t, s.SaveGlossaryEntry(ctx, &other))
	other.Display = "Korea JoongAng Daily"
	wantKind(t, s.SaveGlossaryEntry(ctx, &other), news.KindConflict)
	list, err := s.ListGlossary(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Term != "juche" || list[1].Definition != got.Definition {
		t.Errorf("ListGlossary = %+v", list)
	}
	v2 := version(t, s)
	must(t, s.DeleteGlossaryEntry(ctx, e.ID))
	if v3 := version(t, s); v3 <= v2 {
		t.Errorf("version after delete = %d, want > %d", v3, v2)
	}
	wantKind(t, s.DeleteGlossaryEntry(ctx, e.ID), news.KindNotFound)
	_, err = s.GlossaryEntryByID(ctx, e.ID)
	wantKind(t, err, news.KindNotFound)
}

func testGlossaryImport(t *testing.T, s news.GlossaryStore) {
	must(t, s.SaveGlossaryEntry(ctx, &news.GlossaryEntry{Display: "Blue House", Definition: "old"}))
	n, err := s.ImportGlossary(ctx, []news.GlossaryEntry{
		{Display: "Blue House", Definition: "The former presidential office in Seoul."},
		{Display: "Yongsan", Definition: "The presidential office since 2022.", Korean: "용산"},
	}, "importer")
	must(t, err)
	if n != 1 {
		t.Errorf("created = %d, want 1", n)
	}
	// One bad entry refuses the whole import.
	_, err = s.ImportGlossary(ctx, []news.GlossaryEntry{{Display: "New term", Definition: "fine"}, {Display: "", Definition: "bad"}}, "importer")
	wantKind(t, err, news.KindInvalid)
	list, err := s.ListGlossary(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Definition != "The former presidential office in Seoul." || list[1].Korean != "용산" || list[1].UpdatedBy != "importer" {
		t.Errorf("after import: %+v", list)
	}
}

func testBilingual(t *testing.T, s news.GlossaryStore) {
	v0 := version(t, s)
	must(t, s.ReplaceBilingual(ctx, "en-ko", []news.BilingualEntry{
		{Headword: "sanction", Translation: "제재", Note: "noun"},
		{Headword: "North Korea", Translation: "북한"},
		{Headword: "stall", Translation: "교착 상태에 빠지다"},
		{Headword: "  ", Translation: "skipped"},
	}))
	must(t, s.ReplaceBilingual(ctx, "en-ko-2", []news.BilingualEntry{{Headword: "Sanction", Translation: "승인"}}))
	if v := version(t, s); v <= v0 {
		t.Errorf("version after import = %d, want > %d", v, v0)
	}
	got, err := s.BilingualLookup(ctx, []string{"stall", "sanction", "north korea"}, 10)
	must(t, err)
	var seq []string
	for _, e := range got {
		seq = append(seq, e.Dictionary+":"+e.Translation)
	}
	if want := "[en-ko:교착 상태에 빠지다 en-ko:제재 en-ko-2:승인 en-ko:북한]"; fmt.Sprint(seq) != want {
		t.Errorf("BilingualLookup = %v, want %s", seq, want)
	}
	// Replacing keeps nothing of the old dictionary.
	must(t, s.ReplaceBilingual(ctx, "en-ko", []news.BilingualEntry{{Headword: "stall", Translation: "멈추다"}}))
	got, err = s.BilingualLookup(ctx, []string{"sanction", "stall"}, 10)
	must(t, err)
	if len(got) != 2 || got[0].Dictionary != "en-ko-2" || got[1].Translation != "멈추다" {
		t.Errorf("after replace: %+v", got)
	}
	list, err := s.ListBilingual(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Name != "en-ko" || list[0].Entries != 1 || list[0].ImportedAt.IsZero() {
		t.Errorf("ListBilingual = %+v", list)
	}
	wantKind(t, s.ReplaceBilingual(ctx, "bad/name", nil), news.KindInvalid)
	must(t, s.RemoveBilingual(ctx, "en-ko"))
	wantKind(t, s.RemoveBilingual(ctx, "en-ko"), news.KindNotFound)
	got, err = s.BilingualLookup(ctx, []string{"stall"}, 10)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("after remove: %+v", got)
	}
	if got, err := s.BilingualLookup(ctx, nil, 10); err != nil || len(got) != 0 {
		t.Errorf("empty lookup = %v, %v", got, err)
	}
}
