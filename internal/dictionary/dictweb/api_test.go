package dictweb_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"byline/internal/dictionary"
	"byline/internal/dictionary/dictweb"
	"byline/internal/news"
	"byline/internal/testutil"
)

var bg = context.Background()

func get(t *testing.T, app *testutil.App, word, context string, hdr ...string) (*http.Response, dictweb.Answer) {
	t.Helper()
	q := url.Values{"word": {word}}
	if context != "" {
		q.Set("context", context)
	}
	return getQ(t, app, q, hdr...)
}

// getQ asks GET /api/dictionary with the parameters q.
func getQ(t *testing.T, app *testutil.App, q url.Values, hdr ...string) (*http.Response, dictweb.Answer) {
	t.Helper()
	word := q.Get("word")
	req, _ := http.NewRequest("GET", "/api/dictionary?"+q.Encode(), nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, body := app.Do(t, req)
	var a dictweb.Answer
	if res.StatusCode != http.StatusNotModified {
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%q: Content-Type %q, want JSON", word, ct)
		}
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatalf("%q: body %q: %v", word, body, err)
		}
	}
	return res, a
}

func TestLookupInflectedWord(t *testing.T) {
	app := testutil.NewApp(t)
	res, a := get(t, app, "stalled", "A government plan to build about 270,000 homes in and around Seoul stalled in the National Assembly on Thursday.")
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	if len(a.Entries) == 0 || a.Entries[0].Lemma != "stall" || a.Entries[0].POS != "verb" {
		t.Fatalf("entries = %+v, want stall (verb) first", a.Entries)
	}
	if len(a.Entries[0].Senses) == 0 || a.Entries[0].Senses[0].Definition == "" {
		t.Errorf("no senses: %+v", a.Entries[0])
	}
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=86400" {
		t.Errorf("Cache-Control = %q", got)
	}
	if res.Header.Get("ETag") == "" {
		t.Error("no ETag")
	}
	if a.Glossary == nil || a.Bilingual == nil || a.Suggestions == nil {
		t.Errorf("empty lists must be [] not null: %+v", a)
	}
}

func TestLookupETag(t *testing.T) {
	app := testutil.NewApp(t)
	res, _ := get(t, app, "sanctions", "")
	etag := res.Header.Get("ETag")
	res2, _ := get(t, app, "sanctions", "", "If-None-Match", etag)
	if res2.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: status %d, want 304", res2.StatusCode)
	}
	if res2.Header.Get("ETag") != etag {
		t.Errorf("304 ETag = %q, want %q", res2.Header.Get("ETag"), etag)
	}
	// The same word in another sentence may be another answer, but the
	// same word and sentence are always the same answer.
	res3, _ := get(t, app, "sanctions", "")
	if res3.Header.Get("ETag") != etag {
		t.Errorf("second ETag = %q, want %q", res3.Header.Get("ETag"), etag)
	}
	// A glossary change makes a new ETag.
	must(t, app.Store.SaveGlossaryEntry(bg, &news.GlossaryEntry{Display: "sanctions", Definition: "Measures the UN Security Council imposes."}))
	app.Server.Dictionary().Invalidate()
	res4, a := get(t, app, "sanctions", "", "If-None-Match", etag)
	if res4.StatusCode != 200 || res4.Header.Get("ETag") == etag {
		t.Fatalf("after glossary change: status %d, ETag %q (old %q)", res4.StatusCode, res4.Header.Get("ETag"), etag)
	}
	if len(a.Glossary) != 1 || a.Glossary[0].Display != "sanctions" {
		t.Errorf("glossary = %+v", a.Glossary)
	}
}

func TestLookupGlossaryAndBilingual(t *testing.T) {
	app := testutil.NewApp(t)
	must(t, app.Store.SaveGlossaryEntry(bg, &news.GlossaryEntry{Display: "Korea JoongAng Daily", Definition: "The English edition of the JoongAng Ilbo.", POS: "proper noun", Korean: "코리아중앙데일리"}))
	must(t, app.Store.SaveGlossaryEntry(bg, &news.GlossaryEntry{Display: "denuclearization", Definition: "Giving up nuclear weapons.", POS: "noun"}))
	must(t, app.Store.ReplaceBilingual(bg, "en-ko", []news.BilingualEntry{{Headword: "stall", Translation: "교착 상태에 빠지다"}, {Headword: "denuclearization", Translation: "비핵화"}}))
	app.Server.Dictionary().Invalidate()

	res, a := get(t, app, "stalled", "The bill stalled.")
	if res.StatusCode != 200 || len(a.Bilingual) != 1 || a.Bilingual[0].Translation != "교착 상태에 빠지다" || a.Bilingual[0].Dictionary != "en-ko" {
		t.Errorf("stalled: status %d, bilingual %+v", res.StatusCode, a.Bilingual)
	}
	// A word WordNet lacks is found in the glossary (and translated).
	res, a = get(t, app, "Denuclearization", "")
	if res.StatusCode != 200 || len(a.Glossary) != 1 || a.Glossary[0].Definition != "Giving up nuclear weapons." || len(a.Bilingual) != 1 {
		t.Errorf("denuclearization: status %d, %+v", res.StatusCode, a)
	}
	// One word of a multi-word term finds it when the sentence has it.
	res, a = get(t, app, "JoongAng", "He told the Korea JoongAng Daily on Monday.")
	if res.StatusCode != 200 || len(a.Glossary) != 1 || a.Glossary[0].Korean != "코리아중앙데일리" {
		t.Errorf("JoongAng: status %d, glossary %+v", res.StatusCode, a.Glossary)
	}
	res, a = get(t, app, "Daily", "A daily newspaper.")
	if res.StatusCode != 200 || len(a.Glossary) != 0 {
		t.Errorf("daily outside the term: glossary %+v", a.Glossary)
	}
}

func TestLookupRefusals(t *testing.T) {
	app := testutil.NewApp(t)
	for _, tc := range []struct {
		name, word, context string
		want                int
	}{
		{"empty", "", "", 400},
		{"spaces", "   ", "", 400},
		{"long", strings.Repeat("a", 10000), "", 400},
		{"long words", strings.Repeat("word ", 2000), "", 400},
		{"html", "<script>alert(1)</script>", "", 400},
		{"html tag", "<b>stall</b>", "", 400},
		{"invalid utf-8", "st\xffall", "", 400},
		{"invalid utf-8 context", "stall", "the \xff bill", 400},
		{"control", "stall\x00", "", 400},
		{"long context", "stall", strings.Repeat("x ", 5000), 400},
		{"korean", "북한", "", 404},
		{"cyrillic", "привет", "", 404},
		{"unknown", "qzxqzx", "", 404},
		{"punctuation", "!!!", "", 400},
	} {
		res, a := get(t, app, tc.word, tc.context)
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d (%+v)", tc.name, res.StatusCode, tc.want, a.Error)
			continue
		}
		if a.Error == nil || a.Error.Message == "" {
			t.Errorf("%s: no error message", tc.name)
		}
	}
	// The paragraph and the section: too long, broken or not a name.
	for _, tc := range []struct {
		name, para, section, field string
	}{
		{"invalid utf-8 paragraph", "The bill \xff stalled.", "", "para"},
		{"long paragraph", "", "", "para"},
		{"invalid utf-8 section", "", "Busi\xffness", "section"},
		{"long section", "", strings.Repeat("Business / ", 20), "section"},
		{"section markup", "", "<script>alert(1)</script>", "section"},
		{"section control", "", "Business\x00", "section"},
		{"section newline", "", "Business\nFinance", "section"},
	} {
		if tc.name == "long paragraph" {
			tc.para = strings.Repeat("The bill stalled. ", dictweb.MaxParagraphBytes/18+1)
		}
		q := url.Values{"word": {"stall"}, "context": {"The bill stalled."}, "para": {tc.para}, "section": {tc.section}}
		res, a := getQ(t, app, q)
		if res.StatusCode != 400 || a.Error == nil || a.Error.Message == "" || a.Error.Field != tc.field {
			t.Errorf("%s: status %d, error %+v; want 400 naming %q", tc.name, res.StatusCode, a.Error, tc.field)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tc.name, cc)
		}
	}
	// At the limits, both are fine.
	q := url.Values{"word": {"stall"}, "context": {"The bill stalled."},
		"para": {strings.Repeat("x", dictweb.MaxParagraphBytes)}, "section": {strings.Repeat("한", dictweb.MaxSectionRunes)}}
	if res, a := getQ(t, app, q); res.StatusCode != 200 {
		t.Errorf("paragraph and section at their limits: status %d, error %+v", res.StatusCode, a.Error)
	}

	// A near miss gets suggestions.
	res, a := get(t, app, "sanctoins", "")
	if res.StatusCode != 404 || len(a.Suggestions) == 0 || a.Suggestions[0] != "sanctions" && a.Suggestions[0] != "sanction" {
		t.Errorf("sanctoins: status %d, suggestions %v", res.StatusCode, a.Suggestions)
	}
}

func TestLookupBadRawQuery(t *testing.T) {
	app := testutil.NewApp(t)
	for _, raw := range []string{"word=%FF%FE", "word=%3Cb%3E", "word=a%00b", "word=&word=stall", "word=%E2%80%AE"} {
		req, _ := http.NewRequest("GET", "/api/dictionary?"+raw, nil)
		res, _ := app.Do(t, req)
		if res.StatusCode >= 500 {
			t.Errorf("%s: status %d", raw, res.StatusCode)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestGlossaryTerms(t *testing.T) {
	app := testutil.NewApp(t)
	must(t, app.Store.SaveGlossaryEntry(bg, &news.GlossaryEntry{Display: "Juche", Definition: "x"}))
	must(t, app.Store.SaveGlossaryEntry(bg, &news.GlossaryEntry{Display: "Korea JoongAng Daily", Definition: "y"}))
	app.Server.Dictionary().Invalidate()
	res, body := app.Do(t, mustReq(t, "GET", "/api/dictionary/terms"))
	var got struct {
		Version int64    `json:"version"`
		Terms   []string `json:"terms"`
	}
	if err := json.Unmarshal(body, &got); err != nil || res.StatusCode != 200 {
		t.Fatalf("terms: status %d, %s", res.StatusCode, body)
	}
	if strings.Join(got.Terms, "|") != "korea joongang daily|juche" {
		t.Errorf("terms = %q, want longest first", got.Terms)
	}
	req := mustReq(t, "GET", "/api/dictionary/terms")
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	if res, _ := app.Do(t, req); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d", res.StatusCode)
	}
}

// Look-ups in parallel with glossary changes: run with -race.
func TestLookupConcurrentWithChanges(t *testing.T) {
	app := testutil.NewApp(t)
	h := app.Server.Handler()
	svc := app.Server.Dictionary()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			e := news.GlossaryEntry{Display: "term" + strconv.Itoa(i), Definition: "d"}
			if err := app.Store.SaveGlossaryEntry(bg, &e); err != nil {
				t.Error(err)
				return
			}
			svc.Invalidate()
		}
	}()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 50; i++ {
				for _, p := range []string{"/api/dictionary?word=term" + strconv.Itoa(i%20), "/api/dictionary?word=stalled", "/api/dictionary/terms"} {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
					if rec.Code >= 500 {
						t.Errorf("%s: status %d", p, rec.Code)
					}
				}
			}
		})
	}
	wg.Wait()
	<-done
	// Once the changes are over, every term is found.
	svc.Invalidate()
	for i := 0; i < 20; i++ {
		if res, a := get(t, app, "term"+strconv.Itoa(i), ""); res.StatusCode != 200 || len(a.Glossary) != 1 {
			t.Errorf("term%d: status %d, glossary %+v", i, res.StatusCode, a.Glossary)
		}
	}
}

// The demo paper ships its glossary and English–Korean word list: a demo
// reader sees both on the card.
func TestDemoGlossaryAndWordList(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	for _, c := range []struct{ word, context, korean string }{
		{"KCNA", "North Korea's KCNA said the launch succeeded.", "조선중앙통신"},
		{"Sinmun", "The Rodong Sinmun carried the speech.", "노동신문"},
		{"Assembly", "The bill stalled in the National Assembly on Monday.", "국회"},
		{"kimjang", "", "김장"},
	} {
		res, a := get(t, app, c.word, c.context)
		if res.StatusCode != 200 || len(a.Glossary) == 0 || a.Glossary[0].Korean != c.korean {
			t.Errorf("%s: status %d, glossary %+v; want the demo entry (%s)", c.word, res.StatusCode, a.Glossary, c.korean)
		}
	}
	res, a := get(t, app, "missiles", "It fired two missiles.")
	if res.StatusCode != 200 || len(a.Bilingual) == 0 || a.Bilingual[0].Translation != "미사일" || a.Bilingual[0].Dictionary != "demo-en-ko" {
		t.Errorf("missiles: status %d, bilingual %+v; want 미사일 from demo-en-ko", res.StatusCode, a.Bilingual)
	}
	if len(a.Entries) == 0 {
		t.Errorf("missiles: no WordNet entry beside the translation")
	}
}

// The card asks the API, so the API must rank senses by the sentence
// exactly as the dictionary does: the same word leads with a different
// sense in two sentences, and each answer's first sense is the library's.
func TestLookupRanksBySentence(t *testing.T) {
	app := testutil.NewApp(t)
	lx, err := dictionary.Load()
	if err != nil {
		t.Fatal(err)
	}
	firsts := map[string]bool{}
	for _, c := range []struct{ word, context string }{
		{"bill", "Families will see their electricity bill rise by about 5 percent from next month."},
		{"bill", "The bill would become law only if the Assembly voted for it."},
		{"cabinet", "The president reshuffled his cabinet, replacing four ministers after the by-election defeat."},
	} {
		res, a := get(t, app, c.word, c.context)
		want, err := lx.Lookup(c.word, c.context)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || len(a.Entries) == 0 || len(a.Entries[0].Senses) == 0 {
			t.Fatalf("%s in %q: status %d, %d entries", c.word, c.context, res.StatusCode, len(a.Entries))
		}
		got, w := a.Entries[0].Senses[0].Definition, want.Entries[0].Senses[0].Definition
		if got != w || a.Entries[0].POS != want.Entries[0].POS {
			t.Errorf("%s in %q: API leads with %s %q, the dictionary with %s %q", c.word, c.context, a.Entries[0].POS, got, want.Entries[0].POS, w)
		}
		if c.word == "bill" {
			firsts[got] = true
		}
	}
	if len(firsts) != 2 {
		t.Errorf("bill leads with %v in both sentences; want a different sense for the electricity bill and the bill passed", firsts)
	}
}

// TestLookupReadsParagraphAndSection: the paragraph and the section the
// card sends change the order of the senses as the library's ranking
// does, and answers for different paragraphs are not mixed up in the
// cache.
func TestLookupReadsParagraphAndSection(t *testing.T) {
	app := testutil.NewApp(t)
	lx, err := dictionary.Load()
	if err != nil {
		t.Fatal(err)
	}
	pc := dictionary.Context{
		Sentence:  "The new president says the landslide gave him a mandate for tax reform.",
		Paragraph: "The new president says the landslide gave him a mandate for tax reform. He won 58 percent of the vote, the largest share since direct elections began in 1987.",
		Section:   "National / Politics",
	}
	first := func(a dictweb.Answer) string {
		if len(a.Entries) == 0 || len(a.Entries[0].Senses) == 0 {
			return ""
		}
		return string(a.Entries[0].POS) + ": " + a.Entries[0].Senses[0].Definition
	}
	want, err := lx.LookupIn("mandate", pc, dictionary.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := lx.LookupIn("mandate", dictionary.Context{Sentence: pc.Sentence}, dictionary.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	w := string(want.Entries[0].POS) + ": " + want.Entries[0].Senses[0].Definition
	wAlone := string(alone.Entries[0].POS) + ": " + alone.Entries[0].Senses[0].Definition
	if w == wAlone {
		t.Fatalf("the library leads with %q with or without the paragraph; the test needs an example where they differ", w)
	}
	for i := 0; i < 2; i++ { // the second time from the cache
		_, a := getQ(t, app, url.Values{"word": {"mandate"}, "context": {pc.Sentence}, "para": {pc.Paragraph}, "section": {pc.Section}})
		if got := first(a); got != w {
			t.Errorf("with paragraph and section (try %d): API leads with %q, the library with %q", i+1, got, w)
		}
		_, a = get(t, app, "mandate", pc.Sentence)
		if got := first(a); got != wAlone {
			t.Errorf("sentence only (try %d): API leads with %q, the library with %q", i+1, got, wAlone)
		}
	}
}
