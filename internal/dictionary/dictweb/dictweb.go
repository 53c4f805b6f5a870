// Package dictweb puts the reader dictionary on the web: the look-up API
// (GET /api/dictionary) with its answer cache, the glossary's CSV format,
// and the matching of glossary and bilingual entries to what a reader
// selected (the glossary's admin pages are internal/newsroom's). The lexicon
// itself (WordNet, morphy, suggestions) lives in package dictionary,
// which knows nothing of HTTP; storage is news.GlossaryStore.
package dictweb

import (
	"container/list"
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"byline/internal/dictionary"
	"byline/internal/news"
)

// Options configure a Service.
type Options struct {
	// Lexicon is the English lexicon; nil opens the embedded one.
	Lexicon *dictionary.Lexicon
	Store   news.GlossaryStore
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// CacheEntries bounds the answer cache (default 4096 answers).
	CacheEntries int
	// CheckEvery is how often the store's glossary version is read, so
	// that a change made by another process (byline dict import) is seen
	// (default 2s). Changes made through this Service are seen at once.
	CheckEvery time.Duration
}

// Service answers dictionary look-ups and serves the glossary pages.
type Service struct {
	lx    *dictionary.Lexicon
	st    news.GlossaryStore
	log   *slog.Logger
	now   func() time.Time
	every time.Duration

	mu      sync.Mutex
	version int64     // glossary version the index and cache belong to
	checked time.Time // when version was last read from the store
	gloss   *glossIndex
	cache   *lru
}

// New builds the service. It does not decode the lexicon: call Warm in
// the background at start-up.
func New(o Options) *Service {
	s := &Service{lx: o.Lexicon, st: o.Store, log: o.Logger, now: o.Now, every: o.CheckEvery}
	if s.lx == nil {
		s.lx = dictionary.Open()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.every <= 0 {
		s.every = 2 * time.Second
	}
	n := o.CacheEntries
	if n <= 0 {
		n = 4096
	}
	s.cache = newLRU(n)
	s.gloss = &glossIndex{}
	return s
}

// Warm decodes the lexicon and loads the glossary, so that the first
// reader does not wait for either. Run it in a goroutine at start-up.
func (s *Service) Warm(ctx context.Context) {
	start := time.Now()
	if err := s.lx.Ready(); err != nil {
		s.log.Error("dictionary: lexicon unusable", "err", err)
		return
	}
	if _, _, err := s.state(ctx); err != nil {
		s.log.Warn("dictionary: glossary not loaded", "err", err)
	}
	s.log.Debug("dictionary: ready", "lemmas", s.lx.Len(), "took", time.Since(start))
}

// Invalidate makes the next look-up re-read the glossary version (the
// admin pages call it after every change).
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.checked = time.Time{}
	s.mu.Unlock()
}

// state returns the current glossary index and version, reloading the
// index and emptying the cache when the store's version moved.
func (s *Service) state(ctx context.Context) (*glossIndex, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.st == nil {
		return s.gloss, s.version, nil
	}
	if !s.checked.IsZero() && now.Sub(s.checked) < s.every && now.After(s.checked) {
		return s.gloss, s.version, nil
	}
	v, err := s.st.GlossaryVersion(ctx)
	if err != nil {
		return s.gloss, s.version, err
	}
	s.checked = now
	if v == s.version && s.gloss.loaded {
		return s.gloss, s.version, nil
	}
	entries, err := s.st.ListGlossary(ctx)
	if err != nil {
		return s.gloss, s.version, err
	}
	dicts, err := s.st.ListBilingual(ctx)
	if err != nil {
		return s.gloss, s.version, err
	}
	s.gloss = buildGlossIndex(entries)
	s.gloss.bilingual = len(dicts) > 0
	s.version = v
	s.cache.clear()
	return s.gloss, s.version, nil
}

// glossIndex finds glossary entries by their folded term, and multi-word
// terms by any of their words (so that "JoongAng" in a sentence that says
// "Korea JoongAng Daily" finds the newspaper).
type glossIndex struct {
	loaded bool
	// bilingual: some bilingual dictionary is loaded (else look-ups
	// skip the query).
	bilingual bool
	termsJSON []byte // GET /api/dictionary/terms, made on first use
	byTerm    map[string]int
	byToken   map[string][]int
	entries   []news.GlossaryEntry
}

func buildGlossIndex(entries []news.GlossaryEntry) *glossIndex {
	g := &glossIndex{loaded: true, byTerm: map[string]int{}, byToken: map[string][]int{}, entries: entries}
	for i, e := range entries {
		g.byTerm[e.Term] = i
		if toks := strings.Fields(e.Term); len(toks) > 1 {
			seen := map[string]bool{}
			for _, t := range toks {
				if !seen[t] {
					seen[t] = true
					g.byToken[t] = append(g.byToken[t], i)
				}
			}
		}
	}
	return g
}

// match returns the entries for keys (exact terms, in order), then the
// multi-word terms that hold one of keys' words and appear in the
// context, longest first.
func (g *glossIndex) match(keys []string, context string) []news.GlossaryEntry {
	if g == nil || len(g.entries) == 0 {
		return nil
	}
	var out []news.GlossaryEntry
	seen := map[int]bool{}
	for _, k := range keys {
		if i, ok := g.byTerm[k]; ok && !seen[i] {
			seen[i] = true
			out = append(out, g.entries[i])
		}
	}
	ctx := " " + news.GlossaryKey(strings.Map(func(r rune) rune {
		if strings.ContainsRune(",;:!?()[]\"“”", r) {
			return ' '
		}
		return r
	}, context)) + " "
	if len(ctx) <= 2 {
		return out
	}
	var phrases []int
	for _, k := range keys {
		for _, tok := range strings.Fields(k) {
			for _, i := range g.byToken[tok] {
				if seen[i] {
					continue
				}
				t := g.entries[i].Term
				if strings.Contains(ctx, " "+t+" ") || strings.Contains(ctx, " "+t+"'s ") || strings.Contains(ctx, " "+t+". ") {
					seen[i] = true
					phrases = append(phrases, i)
				}
			}
		}
	}
	for a := 1; a < len(phrases); a++ { // longest first; few, so insertion sort
		for b := a; b > 0 && len(g.entries[phrases[b]].Term) > len(g.entries[phrases[b-1]].Term); b-- {
			phrases[b], phrases[b-1] = phrases[b-1], phrases[b]
		}
	}
	for _, i := range phrases {
		out = append(out, g.entries[i])
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// lru is a small least-recently-used cache of encoded answers.
type lru struct {
	max   int
	ll    *list.List
	items map[string]*list.Element
}

type cached struct {
	key    string
	status int
	etag   string
	body   []byte
}

func newLRU(max int) *lru {
	return &lru{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) (*cached, bool) {
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*cached), true
}

func (c *lru) put(v *cached) {
	if el, ok := c.items[v.key]; ok {
		el.Value = v
		c.ll.MoveToFront(el)
		return
	}
	c.items[v.key] = c.ll.PushFront(v)
	for c.ll.Len() > c.max {
		el := c.ll.Back()
		c.ll.Remove(el)
		delete(c.items, el.Value.(*cached).key)
	}
}

func (c *lru) clear() {
	c.ll.Init()
	clear(c.items)
}

// Store is the glossary store (nil: none).
func (s *Service) Store() news.GlossaryStore { return s.st }

// HasStore reports whether the service keeps a glossary.
func (s *Service) HasStore() bool { return s.st != nil }
