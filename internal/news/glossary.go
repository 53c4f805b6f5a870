package news

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// GlossaryEntry is a newsroom's own explanation of a name or term that no
// general dictionary has (agencies, newspapers, places, people, slogans,
// newer words). The reader dictionary shows it before WordNet's senses.
type GlossaryEntry struct {
	ID int64 `json:"-"`
	// Term is the lookup key: the display form folded by GlossaryKey.
	Term string `json:"term"`
	// Display is the term as it is written ("Korea JoongAng Daily").
	Display    string    `json:"display"`
	Definition string    `json:"definition"`
	POS        string    `json:"pos,omitempty"`
	Korean     string    `json:"korean,omitempty"`
	Note       string    `json:"note,omitempty"`
	Links      []string  `json:"links,omitempty"`
	UpdatedAt  time.Time `json:"-"`
	UpdatedBy  string    `json:"-"`
}

// Limits of glossary fields, in characters.
const (
	MaxGlossaryTerm       = 120
	MaxGlossaryDefinition = 2000
	MaxGlossaryPOS        = 40
	MaxGlossaryKorean     = 500
	MaxGlossaryNote       = 1000
	MaxGlossaryLinks      = 5
	MaxGlossaryLink       = 500
)

// GlossaryKey folds a term for matching: curly quotes made straight,
// runs of spaces, underscores and dashes between words made one space,
// outer punctuation dropped, lower case.
func GlossaryKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch r {
		case '\u2018', '\u2019', '\u02bc':
			r = '\''
		case '\u201c', '\u201d':
			r = '"'
		case '_', '\u00a0':
			r = ' '
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) && r != '.' && r != '&' && r != '\''
	})
}

// Validate trims the fields, fills Term from Display and checks limits.
func (e *GlossaryEntry) Validate() error {
	e.Display = strings.Join(strings.Fields(e.Display), " ")
	e.Definition = strings.TrimSpace(e.Definition)
	e.POS = strings.TrimSpace(e.POS)
	e.Korean = strings.TrimSpace(e.Korean)
	e.Note = strings.TrimSpace(e.Note)
	e.Term = GlossaryKey(e.Display)
	for _, f := range []struct{ name, v string }{{"term", e.Display}, {"definition", e.Definition}, {"pos", e.POS}, {"korean", e.Korean}, {"note", e.Note}} {
		if !utf8.ValidString(f.v) {
			return Invalid(f.name, "%s is not valid UTF-8 text", f.name)
		}
		if strings.ContainsFunc(f.v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
			return Invalid(f.name, "%s contains control characters", f.name)
		}
	}
	switch {
	case e.Term == "":
		return Invalid("term", "the term is required")
	case utf8.RuneCountInString(e.Display) > MaxGlossaryTerm:
		return Invalid("term", "the term is longer than %d characters", MaxGlossaryTerm)
	case e.Definition == "":
		return Invalid("definition", "the definition is required")
	case utf8.RuneCountInString(e.Definition) > MaxGlossaryDefinition:
		return Invalid("definition", "the definition is longer than %d characters", MaxGlossaryDefinition)
	case utf8.RuneCountInString(e.POS) > MaxGlossaryPOS:
		return Invalid("pos", "the part of speech is longer than %d characters", MaxGlossaryPOS)
	case utf8.RuneCountInString(e.Korean) > MaxGlossaryKorean:
		return Invalid("korean", "the Korean translation is longer than %d characters", MaxGlossaryKorean)
	case utf8.RuneCountInString(e.Note) > MaxGlossaryNote:
		return Invalid("note", "the note is longer than %d characters", MaxGlossaryNote)
	case len(e.Links) > MaxGlossaryLinks:
		return Invalid("links", "at most %d links", MaxGlossaryLinks)
	}
	links := e.Links[:0]
	for _, l := range e.Links {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http" && !(u.Scheme == "" && strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//"))) || len(l) > MaxGlossaryLink {
			return Invalid("links", "link %q is not an http(s) address or a path of this site", l)
		}
		links = append(links, l)
	}
	e.Links = links
	return nil
}

// BilingualEntry is one headword of a bilingual dictionary (English to
// Korean, say) that a newsroom owns or licenses.
type BilingualEntry struct {
	Dictionary  string `json:"dictionary"`
	Headword    string `json:"headword"`
	Translation string `json:"translation"`
	Note        string `json:"note,omitempty"`
}

// BilingualDictionary describes one imported bilingual dictionary.
type BilingualDictionary struct {
	Name       string
	Entries    int
	ImportedAt time.Time
}

// MaxDictionaryName bounds a bilingual dictionary's name.
const MaxDictionaryName = 80

// ValidDictionaryName checks a bilingual dictionary's name: 1 to 80
// letters, digits, spaces, dots, dashes or underscores.
func ValidDictionaryName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > MaxDictionaryName || strings.TrimSpace(name) != name {
		return Invalid("name", "a dictionary name has 1 to %d characters without outer spaces", MaxDictionaryName)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" .-_", r) {
			return Invalid("name", "a dictionary name may hold letters, digits, spaces, '.', '-' and '_'")
		}
	}
	return nil
}

// GlossaryStore keeps the newsroom glossary and bilingual dictionaries.
// Every write bumps a version number so that caches of dictionary answers
// (in this process or another) know to start afresh.
type GlossaryStore interface {
	// ListGlossary returns every entry, by term.
	ListGlossary(ctx context.Context) ([]GlossaryEntry, error)
	GlossaryEntryByID(ctx context.Context, id int64) (GlossaryEntry, error)
	// SaveGlossaryEntry validates e and creates it (ID 0) or updates it;
	// a term that another entry has is a conflict.
	SaveGlossaryEntry(ctx context.Context, e *GlossaryEntry) error
	DeleteGlossaryEntry(ctx context.Context, id int64) error
	// ImportGlossary creates or replaces (by term) every entry in one
	// transaction: all or nothing. It returns how many were new.
	ImportGlossary(ctx context.Context, entries []GlossaryEntry, by string) (created int, err error)
	// GlossaryVersion changes whenever the glossary or a bilingual
	// dictionary changes.
	GlossaryVersion(ctx context.Context) (int64, error)

	// ReplaceBilingual loads a bilingual dictionary under name, replacing
	// one of that name, in one transaction.
	ReplaceBilingual(ctx context.Context, name string, entries []BilingualEntry) error
	ListBilingual(ctx context.Context) ([]BilingualDictionary, error)
	RemoveBilingual(ctx context.Context, name string) error
	// BilingualLookup returns the entries whose headword folds (by
	// GlossaryKey) to one of keys, by dictionary name and key order.
	BilingualLookup(ctx context.Context, keys []string, limit int) ([]BilingualEntry, error)
}
