package dictweb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"hash/fnv"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"byline/internal/dictionary"
	"byline/internal/news"
	"byline/internal/respond"
)

// Limits of a look-up request.
const (
	MaxWordRunes      = 200
	MaxContextBytes   = 2000
	MaxParagraphBytes = 4000
	MaxSectionRunes   = 120
)

// Answer is the JSON body of GET /api/dictionary: WordNet's entries,
// the newsroom glossary's (shown first by the card), bilingual
// translations, and spelling suggestions when nothing was found.
type Answer struct {
	Query       string                `json:"query"`
	Entries     []dictionary.Entry    `json:"entries"`
	Glossary    []news.GlossaryEntry  `json:"glossary"`
	Bilingual   []news.BilingualEntry `json:"bilingual"`
	Suggestions []string              `json:"suggestions"`
	Error       *respond.ErrorDetail  `json:"error,omitempty"`
}

// MaxTerms bounds the glossary terms the card's script underlines.
const MaxTerms = 5000

// ServeTerms answers GET /api/dictionary/terms: the glossary's terms
// (folded, longest first), so that the card's script can underline their
// first use in an article while the tool is on. The page itself never
// changes: the underlining is the reader's own, in the browser.
func (s *Service) ServeTerms(w http.ResponseWriter, r *http.Request) {
	g, version, err := s.state(r.Context())
	if err != nil {
		s.log.WarnContext(r.Context(), "dictionary: glossary version", "err", err)
	}
	s.mu.Lock()
	body := g.termsJSON
	if body == nil {
		terms := make([]string, 0, min(len(g.entries), MaxTerms))
		for _, e := range g.entries {
			if len(terms) < MaxTerms {
				terms = append(terms, e.Term)
			}
		}
		sort.SliceStable(terms, func(i, j int) bool { return len(terms[i]) > len(terms[j]) })
		body, _ = json.Marshal(struct {
			Version int64    `json:"version"`
			Terms   []string `json:"terms"`
		}{version, terms})
		body = append(body, '\n')
		g.termsJSON = body
	}
	s.mu.Unlock()
	etag := `"t` + strconv.FormatInt(version, 10) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=300")
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// ServeLookup answers GET /api/dictionary?word=…&context=…&para=…&section=….
// Answers are the same for everyone, so they carry a day-long public
// cache lifetime and an ETag that changes with the glossary version; they
// are also kept in memory.
func (s *Service) ServeLookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	word := q.Get("word")
	pc := dictionary.Context{Sentence: q.Get("context"), Paragraph: q.Get("para"), Section: q.Get("section")}
	if msg, field := checkInput(word, pc); msg != "" {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		respond.JSON(w, http.StatusBadRequest, Answer{Query: "", Entries: []dictionary.Entry{}, Glossary: []news.GlossaryEntry{}, Bilingual: []news.BilingualEntry{},
			Suggestions: []string{}, Error: &respond.ErrorDetail{Code: news.KindInvalid.String(), Message: msg, Field: field}})
		return
	}
	c, err := s.lookup(r.Context(), word, pc)
	if err != nil {
		s.log.ErrorContext(r.Context(), "dictionary lookup", "err", err)
		w.Header().Set("Cache-Control", "no-store")
		respond.JSON(w, http.StatusServiceUnavailable, Answer{Entries: []dictionary.Entry{}, Glossary: []news.GlossaryEntry{}, Bilingual: []news.BilingualEntry{},
			Suggestions: []string{}, Error: &respond.ErrorDetail{Code: "unavailable", Message: "The dictionary is not available right now. Please try again."}})
		return
	}
	h := w.Header()
	h.Set("ETag", c.etag)
	h.Set("Vary", "Accept-Encoding")
	if c.status == http.StatusOK {
		h.Set("Cache-Control", "public, max-age=86400")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, c.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(c.body)))
	w.WriteHeader(c.status)
	if r.Method != http.MethodHead {
		w.Write(c.body)
	}
}

// checkInput refuses what cannot be a word on a page: nothing, too much,
// broken UTF-8, markup or control characters; and text around it that is
// too long or broken, or a section name that is not one.
func checkInput(word string, pc dictionary.Context) (msg, field string) {
	sentence := pc.Sentence
	switch {
	case !utf8.ValidString(word):
		return "the word is not valid UTF-8 text", "word"
	case strings.TrimSpace(word) == "":
		return "give a word to look up: ?word=…", "word"
	case utf8.RuneCountInString(word) > MaxWordRunes:
		return "the word is longer than " + strconv.Itoa(MaxWordRunes) + " characters", "word"
	case strings.ContainsAny(word, "<>"):
		return "the word contains markup", "word"
	case strings.ContainsFunc(word, unicode.IsControl):
		return "the word contains control characters", "word"
	case !utf8.ValidString(sentence):
		return "the context is not valid UTF-8 text", "context"
	case len(sentence) > MaxContextBytes:
		return "the context is longer than " + strconv.Itoa(MaxContextBytes) + " bytes", "context"
	case !utf8.ValidString(pc.Paragraph):
		return "the paragraph is not valid UTF-8 text", "para"
	case len(pc.Paragraph) > MaxParagraphBytes:
		return "the paragraph is longer than " + strconv.Itoa(MaxParagraphBytes) + " bytes", "para"
	case !utf8.ValidString(pc.Section):
		return "the section is not valid UTF-8 text", "section"
	case utf8.RuneCountInString(pc.Section) > MaxSectionRunes:
		return "the section is longer than " + strconv.Itoa(MaxSectionRunes) + " characters", "section"
	case strings.ContainsAny(pc.Section, "<>"):
		return "the section contains markup", "section"
	case strings.ContainsFunc(pc.Section, unicode.IsControl):
		return "the section contains control characters", "section"
	}
	return "", ""
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// lookup returns the encoded answer for word in its context, from the
// cache when it can.
func (s *Service) lookup(ctx context.Context, word string, pc dictionary.Context) (*cached, error) {
	g, version, err := s.state(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "dictionary: glossary version", "err", err)
	}
	// The key is a digest: with a paragraph a question may be 6 KB, and
	// the cache keeps thousands.
	sum := sha256.Sum256([]byte(word + "\x00" + pc.Sentence + "\x00" + pc.Paragraph + "\x00" + pc.Section))
	key := strconv.FormatInt(version, 10) + "\x00" + string(sum[:])
	s.mu.Lock()
	c, ok := s.cache.get(key)
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	a, status, err := s.answer(ctx, g, word, pc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	h := fnv.New64a()
	h.Write(buf.Bytes())
	c = &cached{key: key, status: status, body: buf.Bytes(),
		etag: `"d` + strconv.FormatInt(version, 10) + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`}
	s.mu.Lock()
	if s.version == version {
		s.cache.put(c)
	}
	s.mu.Unlock()
	return c, nil
}

// Answer looks word up in the lexicon, the glossary and the bilingual
// dictionaries. The status is 200 when any of them knows it, 404 (with
// suggestions) when none does, 400 when the lexicon calls the selection
// invalid and nothing else matched.
func (s *Service) Answer(ctx context.Context, word string, pc dictionary.Context) (Answer, int, error) {
	g, _, err := s.state(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "dictionary: glossary version", "err", err)
	}
	return s.answer(ctx, g, word, pc)
}

func (s *Service) answer(ctx context.Context, g *glossIndex, word string, pc dictionary.Context) (Answer, int, error) {
	sentence := pc.Sentence
	res, lerr := s.lx.LookupIn(word, pc, dictionary.DefaultLimits)
	if lerr != nil && !errors.Is(lerr, dictionary.ErrNotFound) && !errors.Is(lerr, dictionary.ErrInvalid) {
		return Answer{}, 0, lerr
	}
	a := Answer{Query: res.Query, Entries: res.Entries, Suggestions: res.Suggestions}
	if a.Query == "" {
		a.Query = strings.Join(strings.Fields(word), " ")
	}
	if a.Entries == nil {
		a.Entries = []dictionary.Entry{}
	}
	if a.Suggestions == nil {
		a.Suggestions = []string{}
	}
	keys := lookupKeys(word, res)
	a.Glossary = g.match(keys, sentence)
	if a.Glossary == nil {
		a.Glossary = []news.GlossaryEntry{}
	}
	a.Bilingual = []news.BilingualEntry{}
	if s.st != nil && len(keys) > 0 && g.bilingual {
		bk := keys
		for _, e := range a.Glossary {
			bk = appendKey(bk, e.Term)
		}
		bl, err := s.st.BilingualLookup(ctx, bk, 6)
		if err != nil {
			return Answer{}, 0, err
		}
		if bl != nil {
			a.Bilingual = bl
		}
	}
	found := len(a.Entries) > 0 || len(a.Glossary) > 0 || len(a.Bilingual) > 0
	switch {
	case found:
		a.Suggestions = []string{}
		return a, http.StatusOK, nil
	case errors.Is(lerr, dictionary.ErrInvalid):
		a.Error = &respond.ErrorDetail{Code: news.KindInvalid.String(), Message: "that selection is too long to be a word or an expression", Field: "word"}
		return a, http.StatusBadRequest, nil
	default:
		a.Error = &respond.ErrorDetail{Code: news.KindNotFound.String(), Message: "no dictionary entry for " + strconv.Quote(a.Query)}
		return a, http.StatusNotFound, nil
	}
}

// lookupKeys are the folded forms a glossary term or a bilingual
// headword may have: the selection as the reader has it, without a
// possessive, as the lexicon understood it, and the lemmas it found.
func lookupKeys(word string, res dictionary.Result) []string {
	var keys []string
	k := news.GlossaryKey(word)
	keys = appendKey(keys, k)
	keys = appendKey(keys, strings.TrimSuffix(k, "'s"))
	keys = appendKey(keys, news.GlossaryKey(res.Query))
	for _, e := range res.Entries {
		keys = appendKey(keys, news.GlossaryKey(e.Lemma))
	}
	return keys
}

func appendKey(keys []string, k string) []string {
	if k == "" {
		return keys
	}
	for _, x := range keys {
		if x == k {
			return keys
		}
	}
	return append(keys, k)
}
