package news

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The term tracker counts how often phrases appear in the archive, per
// day, week or month.
//
// Matching rule (one rule for counting, snippets and every engine): text
// and phrase are cut into tokens by TrackerTokens (NFKC, lowercase, runs
// of letters, digits and marks; punctuation and spaces separate), and a
// phrase matches where its tokens follow each other. So "self-reliance"
// matches "Self-Reliance" and "self reliance". Runs of Hangul (and Han,
// kana) are cut into overlapping two-character tokens, so that "자력갱생"
// matches inside "자력갱생의" or "우리식자력갱생" as a Korean reader
// expects of a word with particles or in a compound. A one-syllable
// Korean phrase matches only a one-syllable word.

// Limits of a tracker query.
const (
	MaxTrackerPhrases   = 5
	MaxTrackerPhraseLen = 80 // characters
	MaxTrackerTokens    = 12
	MaxTrackerBuckets   = 400
	MaxTrackerTitle     = 120
)

// TrackerInterval is the width of a bucket.
type TrackerInterval string

const (
	IntervalDay   TrackerInterval = "day"
	IntervalWeek  TrackerInterval = "week"
	IntervalMonth TrackerInterval = "month"
)

// TrackerMeasure is what a bucket counts.
type TrackerMeasure string

const (
	// MeasureArticles: articles containing the phrase at least once.
	MeasureArticles TrackerMeasure = "articles"
	// MeasureOccurrences: every occurrence of the phrase.
	MeasureOccurrences TrackerMeasure = "occurrences"
)

// TrackerScope limits counting to part of the archive. The zero value is
// the whole archive.
type TrackerScope struct {
	Kind string // "", "section", "author" or "tag"
	// SectionID, AuthorID or Tag, by Kind.
	SectionID int64
	AuthorID  int64
	Tag       string
}

// Scope kinds.
const (
	ScopeArchive = ""
	ScopeSection = "section"
	ScopeAuthor  = "author"
	ScopeTag     = "tag"
)

// Validate checks the scope and normalises its tag.
func (s *TrackerScope) Validate() error {
	switch s.Kind {
	case ScopeArchive:
		*s = TrackerScope{}
	case ScopeSection:
		if s.SectionID <= 0 {
			return Invalid("scope", "choose a section")
		}
		s.AuthorID, s.Tag = 0, ""
	case ScopeAuthor:
		if s.AuthorID <= 0 {
			return Invalid("scope", "choose an author")
		}
		s.SectionID, s.Tag = 0, ""
	case ScopeTag:
		s.Tag = NormalizeTag(s.Tag)
		if s.Tag == "" || utf8.RuneCountInString(s.Tag) > MaxTagLen {
			return Invalid("scope", "choose a tag")
		}
		s.SectionID, s.AuthorID = 0, 0
	default:
		return Invalid("scope", "unknown scope %q", s.Kind)
	}
	return nil
}

// TrackerPhrase is a phrase as asked and its tokens.
type TrackerPhrase struct {
	Text   string
	Tokens []string
}

// Pattern is the phrase in the stored token form (see TrackerDoc): the
// text to look for in a document's token string.
func (p TrackerPhrase) Pattern() string { return TrackerDoc(p.Tokens) }

// ParseTrackerPhrases checks up to MaxTrackerPhrases phrases, drops
// blanks and duplicates, and tokenises them.
func ParseTrackerPhrases(in []string) ([]TrackerPhrase, error) {
	var out []TrackerPhrase
	seen := map[string]bool{}
	for _, raw := range in {
		text := strings.Join(strings.Fields(raw), " ")
		if text == "" {
			continue
		}
		if !utf8.ValidString(text) {
			return nil, Invalid("phrases", "a phrase is not valid UTF-8 text")
		}
		if utf8.RuneCountInString(text) > MaxTrackerPhraseLen {
			return nil, Invalid("phrases", "a phrase is longer than %d characters", MaxTrackerPhraseLen)
		}
		toks := TrackerTokens(text)
		if len(toks) == 0 {
			return nil, Invalid("phrases", "%q has no letters or digits to look for", text)
		}
		if len(toks) > MaxTrackerTokens {
			return nil, Invalid("phrases", "%q is too long a phrase to track", text)
		}
		key := TrackerDoc(toks)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, TrackerPhrase{Text: text, Tokens: toks})
	}
	if len(out) == 0 {
		return nil, Invalid("phrases", "give at least one phrase to track")
	}
	if len(out) > MaxTrackerPhrases {
		return nil, Invalid("phrases", "track at most %d phrases at once", MaxTrackerPhrases)
	}
	return out, nil
}

// bigramScript: scripts written without spaces between (Korean particles
// attach to the word), cut into two-character tokens.
func bigramScript(r rune) bool {
	return unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// TrackerToken is a token and where it is in the text it came from.
type TrackerToken struct {
	Text       string
	Start, End int // byte offsets
}

// TrackerTokensAt cuts already normalised text (see TrackerNormalize)
// into tokens with their byte offsets.
func TrackerTokensAt(text string) []TrackerToken {
	var out []TrackerToken
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !wordRune(r) {
			i += n
			continue
		}
		start := i
		bi := bigramScript(r)
		j := i
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !wordRune(r2) || (bigramScript(r2) != bi && !unicode.IsMark(r2)) {
				break
			}
			j += n2
		}
		if !bi {
			out = append(out, TrackerToken{Text: text[start:j], Start: start, End: j})
		} else {
			// Overlapping pairs of characters; a run of one is itself.
			var pos []int
			for k := start; k < j; {
				_, n2 := utf8.DecodeRuneInString(text[k:])
				pos = append(pos, k)
				k += n2
			}
			pos = append(pos, j)
			if len(pos) == 2 {
				out = append(out, TrackerToken{Text: text[start:j], Start: start, End: j})
			}
			for k := 0; k+2 < len(pos); k++ {
				out = append(out, TrackerToken{Text: text[pos[k]:pos[k+2]], Start: pos[k], End: pos[k+2]})
			}
		}
		i = j
	}
	return out
}

// TrackerNormalize folds text the way the tracker compares it: NFKC and
// lowercase.
func TrackerNormalize(text string) string {
	return strings.ToLower(norm.NFKC.String(text))
}

// TrackerTokens is the token list of text.
func TrackerTokens(text string) []string {
	toks := TrackerTokensAt(TrackerNormalize(text))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// TrackerDoc is the stored form of a token list: each token between
// bars ("|self||reliance|"). A phrase occurs where its own form occurs,
// and occurrences never share a character, so an engine counts them as
// (length(doc) - length(replace(doc, phrase, ”))) / length(phrase).
// Tokens hold no bar (bars are punctuation).
func TrackerDoc(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('|')
		b.WriteString(t)
		b.WriteByte('|')
	}
	return b.String()
}

// TrackerFind gives the byte ranges of the phrase's occurrences in
// normalised text (see TrackerNormalize), without overlaps.
func TrackerFind(text string, p TrackerPhrase) [][2]int {
	toks := TrackerTokensAt(text)
	var out [][2]int
	n := len(p.Tokens)
	for i := 0; n > 0 && i+n <= len(toks); i++ {
		ok := true
		for k := 0; k < n; k++ {
			if toks[i+k].Text != p.Tokens[k] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, [2]int{toks[i].Start, toks[i+n-1].End})
			i += n - 1
		}
	}
	return out
}

// TrackerDay is a calendar day in the paper's time zone, counted in days
// since 1970-01-01. Buckets are made of days.
type TrackerDay int

// DayOf is the day of t in loc.
func DayOf(t time.Time, loc *time.Location) TrackerDay {
	y, m, d := t.In(loc).Date()
	return TrackerDay(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Date is the day's date (midnight UTC of that calendar day).
func (d TrackerDay) Date() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// TrackerDayCount is what one phrase counts on one day.
type TrackerDayCount struct {
	Day         TrackerDay
	Articles    int
	Occurrences int
}

// TrackerCountQuery asks for the day counts of phrases over [From, To).
type TrackerCountQuery struct {
	Phrases  []TrackerPhrase
	Scope    TrackerScope
	From, To TrackerDay
	// Now is the clock for what readers can see.
	Now time.Time
	// Editor counts what is published but not yet visible (embargoed,
	// dated in the future) too.
	Editor bool
}

// TrackerArticle is an article that contains a phrase, with its text for
// snippets.
type TrackerArticle struct {
	ID          int64
	Slug        string
	Headline    string
	PublishedAt time.Time
	Occurrences int
	Text        string // headline, dek and body text
}

// Tracker is a saved tracker query.
type Tracker struct {
	ID       int64
	Slug     string // permalink
	Title    string
	Phrases  []string
	Interval TrackerInterval
	Measure  TrackerMeasure
	Share    bool // as a share of all articles in the bucket
	Scope    TrackerScope
	Buckets  int // how many buckets back from now
	// Published trackers have a public page and may be embedded.
	Published bool
	// Alerts: spikes are announced by webhook.
	Alerts    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks and normalises a tracker.
func (t *Tracker) Validate() error {
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		return Invalid("title", "title is required")
	}
	if utf8.RuneCountInString(t.Title) > MaxTrackerTitle || !utf8.ValidString(t.Title) {
		return Invalid("title", "title is longer than %d characters", MaxTrackerTitle)
	}
	if t.Slug == "" {
		t.Slug = Slugify(t.Title)
	}
	if !ValidSlug(t.Slug) {
		return Invalid("slug", "slug must be lowercase letters, digits and single hyphens")
	}
	ps, err := ParseTrackerPhrases(t.Phrases)
	if err != nil {
		return err
	}
	t.Phrases = t.Phrases[:0]
	for _, p := range ps {
		t.Phrases = append(t.Phrases, p.Text)
	}
	if err := t.Interval.Validate(); err != nil {
		return err
	}
	if err := t.Measure.Validate(); err != nil {
		return err
	}
	if t.Buckets <= 0 || t.Buckets > MaxTrackerBuckets {
		return Invalid("buckets", "between 1 and %d buckets", MaxTrackerBuckets)
	}
	return t.Scope.Validate()
}

// Validate checks an interval.
func (i TrackerInterval) Validate() error {
	switch i {
	case IntervalDay, IntervalWeek, IntervalMonth:
		return nil
	}
	return Invalid("interval", "interval is day, week or month")
}

// Validate checks a measure.
func (m TrackerMeasure) Validate() error {
	switch m {
	case MeasureArticles, MeasureOccurrences:
		return nil
	}
	return Invalid("measure", "measure is articles or occurrences")
}

// TrackerCountsKeep is how long counts nobody asks for are kept.
const TrackerCountsKeep = 30 * 24 * time.Hour

// TrackerStore keeps the term tracker: saved trackers, the per-day
// article totals, and phrase counts.
type TrackerStore interface {
	// IndexTrackerQueue brings up to limit queued articles (every write
	// to an article, its tags or bylines queues it) into the tracker's
	// index and the per-day totals, with days in loc, and returns how many
	// it took. Several servers may run it at once.
	IndexTrackerQueue(ctx context.Context, loc *time.Location, limit int) (int, error)
	// TrackerQueueLen is how many articles wait for IndexTrackerQueue.
	TrackerQueueLen(ctx context.Context) (int, error)
	// TrackerCounts gives, per phrase (in order), the days of [From, To)
	// on which it occurs, in day order.
	TrackerCounts(ctx context.Context, q TrackerCountQuery) ([][]TrackerDayCount, error)
	// TrackerTotals gives the number of articles per day of [From, To)
	// in the scope (days without articles left out), in day order.
	TrackerTotals(ctx context.Context, q TrackerCountQuery) ([]TrackerDayCount, error)
	// TrackerArticles lists the articles of [From, To) that contain
	// q.Phrases[0], most occurrences first, then newest.
	TrackerArticles(ctx context.Context, q TrackerCountQuery, limit int) ([]TrackerArticle, error)

	CreateTracker(ctx context.Context, t *Tracker) error
	UpdateTracker(ctx context.Context, t *Tracker) error
	DeleteTracker(ctx context.Context, id int64) error
	TrackerByID(ctx context.Context, id int64) (Tracker, error)
	TrackerBySlug(ctx context.Context, slug string) (Tracker, error)
	ListTrackers(ctx context.Context) ([]Tracker, error)
	// PruneTrackerCounts drops the kept counts (see TrackerCounts) of
	// phrases and scopes nobody asked for since before, and returns how
	// many day counts went.
	PruneTrackerCounts(ctx context.Context, before time.Time) (int, error)
	// MarkTrackerSpike records that a spike of the tracker's phrase in the
	// bucket starting on day was announced; false when it already was (by
	// this server or another).
	MarkTrackerSpike(ctx context.Context, trackerID int64, phrase string, day TrackerDay, at time.Time) (bool, error)
}
