package dictionary

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func describe(r Result) string {
	var parts []string
	for _, e := range r.Entries {
		parts = append(parts, e.Lemma+"/"+string(e.POS))
	}
	return strings.Join(parts, ", ")
}

func TestLookupWord(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		sel, ctx string
		first    string // lemma/pos of the first entry
		also     string // another entry that must be there, "" for none
	}{
		{"banging", "Someone was banging on the door.", "bang/verb", "banging/noun"},
		{"redoubled", "They redoubled their efforts.", "redouble/verb", ""},
		{"stalled", "Talks stalled in May.", "stall/verb", ""},
		{"sanctions", "The sanctions hurt exporters.", "sanction/noun", "sanction/verb"},
		{"greeted", "Crowds greeted the team.", "greet/verb", ""},
		{"exploits", "He exploits the rules.", "exploit/verb", "exploit/noun"},
		{"children", "", "child/noun", ""},
		{"geese", "", "goose/noun", ""},
		{"ran", "She ran home.", "run/verb", ""},
		{"better", "a better plan", "good/adjective", "well/adverb"},
		{"better", "", "", "better/adjective"},
		{"Sanctions", "Sanctions were imposed.", "sanction/noun", ""},
		{"Redoubled", "", "redouble/verb", ""},
		{"Korea’s", "North Korea’s leader spoke.", "North Korea/noun", "Korea/noun"},
		{"Korea's", "", "Korea/noun", ""},
		{"“Sanctions,”", "", "sanction/noun", ""},
		{"(stalled).", "", "stall/verb", ""},
		{"sanc\u00adtions", "", "sanction/noun", ""},
		{"ｂａｎｇ", "", "", "bang/verb"},
		{"well-known", "", "well-known/adjective", ""},
		{"well‑known", "", "well-known/adjective", ""}, // non-breaking hyphen
		{"hand-picked", "", "hand-pick/verb", ""},
		{"U.S.", "", "U.S./noun", ""},
		{"e-mail", "", "e-mail/noun", ""},
		{"o’clock", "", "o'clock/adverb", ""},
		{"left", "He left the room.", "leave/verb", "left/noun"},
		{"left", "Turn to the left.", "left/noun", "leave/verb"},
		{"saw", "I saw the film.", "see/verb", "saw/noun"},
		{"rates", "The bank is cutting rates.", "rate/noun", "rates/noun"}, // the commoner lemma first
		{"data", "", "data/noun", "datum/noun"},
		{"fall", "a fall in prices", "fall/noun", "fall in/verb"}, // the verb phrase waits
		{"fell", "Stocks fell sharply on Monday.", "fall/verb", ""},
	}
	for _, tt := range tests {
		r, err := lx.Lookup(tt.sel, tt.ctx)
		if err != nil {
			t.Errorf("Lookup(%q, %q): %v", tt.sel, tt.ctx, err)
			continue
		}
		got := describe(r)
		if tt.first != "" && !strings.HasPrefix(got, tt.first) {
			t.Errorf("Lookup(%q, %q) = %s; want %s first", tt.sel, tt.ctx, got, tt.first)
		}
		if tt.also != "" && !strings.Contains(", "+got+",", ", "+tt.also+",") {
			t.Errorf("Lookup(%q, %q) = %s; want it to include %s", tt.sel, tt.ctx, got, tt.also)
		}
	}
}

// A word far commoner on its own is not offered as the comparative of a
// rare adjective ("number" is "numb" + -er in WordNet's exception list;
// "offer", "matter", "customer" follow the rule for "off", "matt",
// "custom"), while real comparatives still are.
func TestLookupRareComparatives(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		sel, ctx string
		first    string // lemma/pos of the first entry
		not      string // an entry that must not be there, "" for none
	}{
		{"number", "A number of workers were hurt.", "number/noun", "numb/adjective"},
		{"number", "", "number/noun", "numb/adjective"},
		{"offer", "The offer was rejected.", "offer/noun", "off/adjective"},
		{"matter", "It is a matter of time.", "matter/noun", "matt/adjective"},
		{"customer", "", "customer/noun", "custom/adjective"},
		{"longer", "They work longer hours.", "long/adjective", ""},
		{"closer", "The two sides moved to closer ties.", "close/adjective", ""},
		{"bigger", "a bigger budget", "big/adjective", ""},
		{"numbest", "", "numb/adjective", ""},
	}
	for _, tt := range tests {
		r, err := lx.Lookup(tt.sel, tt.ctx)
		if err != nil {
			t.Errorf("Lookup(%q, %q): %v", tt.sel, tt.ctx, err)
			continue
		}
		got := describe(r)
		if tt.not != "" && strings.Contains(", "+got+",", ", "+tt.not+",") {
			t.Errorf("Lookup(%q, %q) = %s; want no %s", tt.sel, tt.ctx, got, tt.not)
		}
		if !strings.HasPrefix(got, tt.first) {
			t.Errorf("Lookup(%q, %q) = %s; want %s first", tt.sel, tt.ctx, got, tt.first)
		}
	}
}

func TestLookupPhrase(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		sel, ctx string
		want     []string // leading entries, lemma/pos
		phrase   bool     // first entry is an expression
		query    string   // Query of the first entry
	}{
		{"getting", "She was getting off the train.", []string{"get off/verb", "get/verb"}, true, "getting off"},
		{"off", "She was getting off the train.", []string{"get off/verb"}, true, "getting off"},
		{"getting off", "She was getting off the train.", []string{"get off/verb"}, true, "getting off"},
		{"getting off", "", []string{"get off/verb"}, true, "getting off"},
		{"held up", "We were held up by traffic.", []string{"hold up/verb"}, true, "held up"},
		{"held", "We were held up by traffic.", []string{"hold up/verb", "hold/verb"}, true, "held up"},
		{"North Korea", "", []string{"North Korea/noun"}, true, "North Korea"},
		{"Korea", "Talks with North Korea stalled.", []string{"North Korea/noun", "Korea/noun"}, true, "North Korea"},
		{"north", "Talks with North Korea stalled.", []string{"North Korea/noun"}, true, "North Korea"},
		{"kicked the bucket", "", []string{"kick the bucket/verb"}, true, "kicked the bucket"},
		{"ice creams", "", []string{"ice cream/noun"}, true, "ice creams"},
		{"out", "They carried out the plan.", []string{"carry out/verb"}, true, "carried out"},
		{"part", "They will take part in the talks.", []string{"take part/verb"}, true, "take part"},
		{"ran", "We ran out of time.", []string{"run out/verb", "run/verb"}, true, "ran out"},
		// Not expressions: only the first or the last word may be inflected.
		{"increase", "prices increase every year", []string{"increase/verb"}, false, "increase"},
		// A selection that is no expression is explained word by word.
		{"sharp increase", "a sharp increase in prices", []string{"sharp/adjective"}, false, "sharp"},
	}
	for _, tt := range tests {
		r, err := lx.Lookup(tt.sel, tt.ctx)
		if err != nil {
			t.Errorf("Lookup(%q, %q): %v", tt.sel, tt.ctx, err)
			continue
		}
		got := describe(r)
		if !strings.HasPrefix(got, strings.Join(tt.want, ", ")) {
			t.Errorf("Lookup(%q, %q) = %s; want it to start %s", tt.sel, tt.ctx, got, strings.Join(tt.want, ", "))
			continue
		}
		if e := r.Entries[0]; e.Phrase != tt.phrase || e.Query != tt.query {
			t.Errorf("Lookup(%q, %q): first entry Phrase=%v Query=%q; want %v %q", tt.sel, tt.ctx, e.Phrase, e.Query, tt.phrase, tt.query)
		}
	}
	// "sharp increase" covers both words.
	r, _ := lx.Lookup("sharp increase", "a sharp increase in prices")
	if got := describe(r); !strings.Contains(got, "increase/noun") {
		t.Errorf(`Lookup("sharp increase") = %s; want increase/noun among them`, got)
	}
}

// The sentence decides which part of speech comes first.
func TestLookupContextPOS(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		sel, ctx string
		want     POS
	}{
		{"increase", "a sharp increase in prices", Noun},
		{"increase", "The increase was small.", Noun},
		{"increase", "Prices increase every spring.", Verb},
		{"increase", "They want to increase taxes.", Verb},
		{"increase", "We will increase the budget.", Verb},
		{"increase", "They increase it.", Verb},
		{"increase", "Increase the dose slowly.", Verb},
		{"increase", "Its increase surprised everyone.", Noun},
		{"sharp", "a sharp increase", Adjective},
		{"sharp", "The knife is very sharp.", Adjective},
		{"cold", "It was cold outside.", Adjective},
		{"cold", "She caught a cold.", Noun},
		{"run", "a long run", Noun},
		{"run", "I run every day.", Verb},
		{"ban", "The ban was lifted.", Noun},
		{"ban", "They will ban imports.", Verb},
		{"sanctions", "Russia faces new sanctions over the war.", Noun},
		{"sanctions", "The council sanctions the plan.", Verb},
		{"banging", "Someone was banging on the door.", Verb},
		{"quickly", "He ran quickly.", Adverb},
		{"fast", "a fast car", Adjective},
		{"fast", "They fast during Ramadan.", Verb},
		{"light", "Turn off the light.", Noun},
		{"light", "The box is light.", Adjective},
		{"light", "They light candles.", Verb},
		{"record", "a record of the meeting", Noun},
		{"record", "They record every call.", Verb},
		{"hit", "Exports hit a record high.", Verb},
		{"cutting", "The bank is cutting rates.", Verb},
	}
	for _, tt := range tests {
		r, err := lx.Lookup(tt.sel, tt.ctx)
		if err != nil {
			t.Errorf("Lookup(%q, %q): %v", tt.sel, tt.ctx, err)
			continue
		}
		if got := r.Entries[0].POS; got != tt.want {
			t.Errorf("Lookup(%q, %q) first POS = %s, want %s (%s)", tt.sel, tt.ctx, got, tt.want, describe(r))
		}
	}
}

func TestLookupErrors(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		sel  string
		want error
	}{
		{"", ErrInvalid},
		{"   ", ErrInvalid},
		{"...!?", ErrInvalid},
		{"one two three four five six seven eight nine", ErrInvalid},
		{strings.Repeat("a", 300), ErrInvalid},
		{"recieve", ErrNotFound},
		{"qwxzvj", ErrNotFound},
		{"12345", ErrNotFound},
	}
	for _, tt := range tests {
		_, err := lx.Lookup(tt.sel, "")
		if !errors.Is(err, tt.want) {
			t.Errorf("Lookup(%q) error = %v, want %v", tt.sel, err, tt.want)
		}
	}
	r, err := lx.Lookup("recieve", "I did not recieve it.")
	if !errors.Is(err, ErrNotFound) || len(r.Suggestions) == 0 || r.Suggestions[0] != "receive" {
		t.Errorf("Lookup(recieve) = %v, %+v; want ErrNotFound with receive suggested first", err, r)
	}
}

func TestLookupLimits(t *testing.T) {
	lx := lexicon(t)
	r, err := lx.Lookup("run", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Entries) > DefaultLimits.Entries {
		t.Errorf("%d entries, want at most %d", len(r.Entries), DefaultLimits.Entries)
	}
	for _, e := range r.Entries {
		if len(e.Senses) > DefaultLimits.Senses {
			t.Errorf("%s/%s: %d senses, want at most %d", e.Lemma, e.POS, len(e.Senses), DefaultLimits.Senses)
		}
		for _, s := range e.Senses {
			if len(s.Examples) > DefaultLimits.Examples || len(s.Synonyms) > DefaultLimits.Synonyms {
				t.Errorf("%s/%s: sense %q has %d examples, %d synonyms", e.Lemma, e.POS, s.Definition, len(s.Examples), len(s.Synonyms))
			}
		}
	}
	// "run" as a verb has 41 senses in WordNet 3.0.
	var verb Entry
	for _, e := range r.Entries {
		if e.Lemma == "run" && e.POS == Verb {
			verb = e
		}
	}
	if got := len(verb.Senses) + verb.MoreSenses; got != 41 {
		t.Errorf("run/verb: %d shown + %d more = %d, want 41", len(verb.Senses), verb.MoreSenses, got)
	}
	all, err := lx.LookupLimits("run", "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all.Entries {
		if e.Lemma == "run" && e.POS == Verb && (len(e.Senses) != 41 || e.MoreSenses != 0) {
			t.Errorf("Limits{}: run/verb has %d senses (%d more), want 41", len(e.Senses), e.MoreSenses)
		}
	}
	senses, err := lx.Senses("get off", Verb)
	if err != nil || len(senses) != 11 {
		t.Errorf(`Senses("get off", verb) = %d senses, %v; want 11`, len(senses), err)
	}
	if _, err := lx.Senses("xyzzy", Noun); !errors.Is(err, ErrNotFound) {
		t.Errorf("Senses(xyzzy) error = %v, want ErrNotFound", err)
	}
}

// WordNet glosses hold the definition and quoted examples; they arrive
// split, and synonyms leave out the lemma itself.
func TestEntryContent(t *testing.T) {
	lx := lexicon(t)
	senses, err := lx.Senses("redouble", Verb)
	if err != nil {
		t.Fatal(err)
	}
	s := senses[0]
	if s.Definition == "" || strings.Contains(s.Definition, `"`) {
		t.Errorf("definition = %q, want text without quoted examples", s.Definition)
	}
	if len(s.Examples) == 0 || strings.HasPrefix(s.Examples[0], `"`) {
		t.Errorf("examples = %q, want unquoted examples", s.Examples)
	}
	for _, syn := range s.Synonyms {
		if syn == "redouble" {
			t.Errorf("synonyms %q include the lemma", s.Synonyms)
		}
	}
	r, _ := lx.Lookup("North Korea", "")
	if e := r.Entries[0]; len(e.Senses[0].Synonyms) == 0 || !strings.Contains(strings.Join(e.Senses[0].Synonyms, "|"), "Democratic People's Republic of Korea") {
		t.Errorf("North Korea synonyms = %q, want the official name with its capitals", e.Senses[0].Synonyms)
	}
}

func TestResultJSON(t *testing.T) {
	lx := lexicon(t)
	r, err := lx.Lookup("sanctions", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	e := got["entries"].([]any)[0].(map[string]any)
	for _, k := range []string{"query", "lemma", "phrase", "pos", "senses"} {
		if _, ok := e[k]; !ok {
			t.Errorf("entry JSON %s lacks %q", b, k)
		}
	}
	s := e["senses"].([]any)[0].(map[string]any)
	if _, ok := s["definition"]; !ok {
		t.Errorf("sense JSON lacks definition: %v", s)
	}
}

func TestOpenIsLazy(t *testing.T) {
	lx := Open()
	if lx.t != nil {
		t.Fatal("Open decoded the lexicon")
	}
	if n := lx.Len(); n < 140000 {
		t.Errorf("Len = %d, want the whole of WordNet (147306)", n)
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want string // words joined by |
	}{
		{"She was getting off the train.", "She|was|getting|off|the|train"},
		{"North Korea’s leader", "North|Korea's|leader"},
		{"the U.S. and e.g. Mr. Smith", "the|U.S.|and|e.g.|Mr|Smith"},
		{"well-known, o'clock; students' books", "well-known|o'clock|students|books"},
		{"“quoted” (words) — dash", "quoted|words|dash"},
		{"", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, w := range words(clean(tt.in)) {
			got = append(got, w.text)
		}
		if g := strings.Join(got, "|"); g != tt.want {
			t.Errorf("words(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

// FuzzLookup feeds arbitrary selections and contexts through the
// normaliser, the tagger and the phrase finder: nothing may panic, and
// every answer must be well-formed.
func FuzzLookup(f *testing.F) {
	for _, s := range [][2]string{
		{"banging", "Someone was banging on the door."},
		{"getting", "She was getting off the train."},
		{"Korea’s", "North Korea’s leader"},
		{"U.S.", "the U.S. and"},
		{"-", "- - -"},
		{"'s", "'s's"},
		{"a-", "a- -a"},
		{"\xff\xfe", "\x00"},
		{"ﬁ", "ligature ﬁ"},
		{"one two three four five six seven eight", ""},
	} {
		f.Add(s[0], s[1])
	}
	lx := lexicon(f)
	f.Fuzz(func(t *testing.T, sel, ctx string) {
		r, err := lx.Lookup(sel, ctx)
		if err != nil {
			if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Lookup(%q, %q): unexpected error %v", sel, ctx, err)
			}
			if len(r.Entries) != 0 {
				t.Fatalf("Lookup(%q, %q): entries with error %v", sel, ctx, err)
			}
			return
		}
		if len(r.Entries) == 0 {
			t.Fatalf("Lookup(%q, %q): no entries and no error", sel, ctx)
		}
		if !utf8.ValidString(r.Query) {
			t.Fatalf("Lookup(%q, %q): query %q is not UTF-8", sel, ctx, r.Query)
		}
		for _, e := range r.Entries {
			if e.Lemma == "" || len(e.Senses) == 0 || posIndex(e.POS) < 0 {
				t.Fatalf("Lookup(%q, %q): malformed entry %+v", sel, ctx, e)
			}
		}
	})
}

// One Lexicon serves every request: the lazy decoding and the suggestion
// index must be safe to start from many goroutines at once (go test -race).
func TestConcurrentUse(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a second lexicon")
	}
	lx := Open()
	done := make(chan error)
	for i := range 4 {
		go func() {
			var err error
			switch i % 2 {
			case 0:
				_, err = lx.Lookup("getting", "She was getting off the train.")
			case 1:
				if len(lx.Suggest("recieve")) == 0 {
					err = errors.New("no suggestions")
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestPrepositionExpression checks that an expression of a preposition
// and the word ("on trial") gives way to the noun when the sentence fits
// one of the noun's senses clearly better, and leads otherwise ("at
// stake", "on time").
func TestPrepositionExpression(t *testing.T) {
	lx := lexicon(t)
	for _, c := range []struct{ word, sentence, lemma string }{
		{"trial", "The former minister went on trial on charges of leaking state secrets.", "trial"},
		{"stake", "Thousands of jobs are at stake in the merger talks.", "at stake"},
		{"time", "The trains arrived on time despite the snow.", "on time"},
		{"board", "Ten crew members were on board the ship.", "on board"},
	} {
		res, err := lx.Lookup(c.word, c.sentence)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entries) == 0 || res.Entries[0].Lemma != c.lemma {
			t.Errorf("%s in %q: first entry %+v, want %q", c.word, c.sentence, res.Entries, c.lemma)
		}
	}
}
