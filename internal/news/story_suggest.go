package news

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
)

// SuggestWindow is how far back suggestions compare an article with a
// story's entries.
const SuggestWindow = 30 * 24 * time.Hour

// Weights of the three signals of a suggestion, and the least score
// worth offering. Tags are the editors' own judgement, so they weigh most;
// shared names (people, places, bodies) say more than shared words.
const (
	suggestTagWeight    = 0.45
	suggestEntityWeight = 0.35
	suggestTextWeight   = 0.20
	// SuggestMinScore: below it a story is not offered.
	SuggestMinScore = 0.12
	// FlagMinScore: a dormant story matched at least this well is flagged
	// on the dashboard.
	FlagMinScore = 0.2
)

// StorySuggestion is an open story offered for an article, with why.
type StorySuggestion struct {
	Story    Story
	Score    float64
	Tags     []string // shared tags
	Entities []string // shared names
	Text     float64  // cosine similarity of the words
}

// SuggestStories ranks candidate stories for an article by shared tags,
// shared names (capitalised words and runs of them, Hangul words) and
// text similarity, best first, at most limit, leaving out stories the
// article is already in and those scoring under SuggestMinScore.
func SuggestStories(a Article, cands []StoryCandidate, limit int) []StorySuggestion {
	text := a.Headline + "\n" + a.Dek + "\n" + a.BodyText
	if a.BodyText == "" {
		text += "\n" + a.Body
	}
	aTags := map[string]bool{}
	for _, t := range a.Tags {
		aTags[NormalizeTag(t)] = true
	}
	aEnt := Entities(text)
	aVec := wordVector(text)
	var out []StorySuggestion
	for _, c := range cands {
		member := false
		for _, id := range c.ArticleIDs {
			if id == a.ID && a.ID != 0 {
				member = true
			}
		}
		if member || !c.Story.Open() {
			continue
		}
		s := StorySuggestion{Story: c.Story}
		for _, t := range c.Tags {
			if aTags[t] {
				s.Tags = append(s.Tags, t)
			}
		}
		cEnt := Entities(c.Text)
		for e := range aEnt {
			if cEnt[e] {
				s.Entities = append(s.Entities, e)
			}
		}
		sort.Strings(s.Entities)
		s.Text = cosine(aVec, wordVector(c.Text))
		tagScore := jaccard(len(s.Tags), len(aTags), len(c.Tags))
		entScore := 0.0
		if n := min(len(aEnt), len(cEnt)); n > 0 {
			// Shared names against the smaller set, saturating at three:
			// three shared names are as telling as ten.
			entScore = math.Min(1, float64(len(s.Entities))/math.Min(3, float64(n)))
		}
		s.Score = suggestTagWeight*tagScore + suggestEntityWeight*entScore + suggestTextWeight*s.Text
		if s.Score >= SuggestMinScore {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Story.ID > out[j].Story.ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func jaccard(shared, a, b int) float64 {
	if union := a + b - shared; union > 0 {
		return float64(shared) / float64(union)
	}
	return 0
}

// nameStop are capitalised words that begin sentences or are too common
// to be names.
var nameStop = map[string]bool{
	"The": true, "A": true, "An": true, "In": true, "On": true, "At": true, "It": true, "He": true, "She": true, "They": true,
	"We": true, "I": true, "But": true, "And": true, "Or": true, "If": true, "As": true, "This": true, "That": true, "These": true,
	"Those": true, "His": true, "Her": true, "Its": true, "Their": true, "Our": true, "For": true, "With": true, "By": true,
	"From": true, "To": true, "Of": true, "After": true, "Before": true, "When": true, "While": true, "There": true, "What": true,
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true, "Sunday": true,
	"Mr": true, "Ms": true, "Mrs": true, "Dr": true, "Update": true, "Updated": true, "Analysis": true, "Some": true, "Most": true,
	"About": true, "More": true, "Many": true, "No": true, "Not": true, "So": true, "Yet": true, "Also": true, "Then": true,
}

// Entities finds the names in text: runs of capitalised words ("Joint
// Chiefs of Staff" gives "joint chiefs", "staff"), all-capital acronyms,
// and Hangul words of two syllables or more, lowercased.
func Entities(text string) map[string]bool {
	out := map[string]bool{}
	var run []string
	flush := func() {
		if len(run) > 0 {
			out[strings.ToLower(strings.Join(run, " "))] = true
			run = run[:0]
		}
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'')
	}) {
		w = strings.Trim(w, "-'")
		rs := []rune(w)
		switch {
		case len(rs) >= 2 && isHangul(rs[0]):
			flush()
			out[w] = true
		case len(rs) >= 2 && unicode.IsUpper(rs[0]) && !nameStop[w]:
			run = append(run, w)
		default:
			flush()
		}
	}
	flush()
	return out
}

func isHangul(r rune) bool { return unicode.Is(unicode.Hangul, r) }

// wordStop are words too common to tell stories apart.
var wordStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for that with was were are has have had his her its their they them this these those
		from into than then when where which while who whom what will would could should said says say also about after before over under
		more most some such only other been being not but all any can may might one two three new year years last first week month
		there here out off our you your she him just very much many made make like per since until upon onto because`) {
		wordStop[w] = true
	}
}

func wordVector(text string) map[string]float64 {
	v := map[string]float64{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) < 3 || wordStop[w] {
			continue
		}
		v[w]++
	}
	return v
}

func cosine(a, b map[string]float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var dot, na, nb float64
	for w, x := range a {
		na += x * x
		if y, ok := b[w]; ok {
			dot += x * y
		}
	}
	for _, y := range b {
		nb += y * y
	}
	return dot / (math.Sqrt(na) * math.Sqrt(nb))
}
