package store

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"byline/internal/news"
)

// Search, the parts both engines share: what is indexed beside the words
// (an article's bylines, tags, section and dateline; Hangul bigrams), how a
// reader's text becomes terms, snippets and spelling suggestions. Each
// engine keeps only its full-text query (FTS5 or tsvector) and its
// vocabulary upsert.

// MaxQueryWords bounds the work one search can ask for.
const MaxQueryWords = 12

// How many of the newest matches a search ranks (both engines): ranking
// every match of a common word costs time in proportion to the archive.
// 500, not 1,000: a third less CPU a search on SQLite over 100,000
// articles (bench/README.md), and the newest 500 matches still cover
// months of a daily paper; older ones are reached with the date filter,
// which ranks FilteredCandidates. 1,000, not 5,000: 100 pages of results
// in the section or dates asked for, where 5,000 cost 9-17 ms a search on
// SQLite and up to 79 ms on PostgreSQL over 100,000 articles ("housing"
// in Business), 2-3.5 and 11-24 ms now.
const (
	SearchCandidates   = 500
	FilteredCandidates = 1000
)

// isHangul tells a precomposed Hangul syllable (U+AC00–U+D7A3), the range
// the bigram index covers; PostgreSQL's backfill uses the same range.
func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// SearchGrams returns the Hangul bigrams of texts, space-separated, each
// run of syllables in order: "올빼미버스" gives "올빼 빼미 미버 버스". Korean
// writes particles and compounds without spaces, so a word index alone
// cannot find "올빼미" inside "올빼미버스"; a phrase of the query's bigrams
// can. A single syllable gives nothing.
func SearchGrams(texts ...string) string {
	var b strings.Builder
	for _, t := range texts {
		var prev rune
		for _, r := range t {
			if !isHangul(r) {
				prev = 0
				continue
			}
			if prev != 0 {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteRune(prev)
				b.WriteRune(r)
			}
			prev = r
		}
	}
	return b.String()
}

// SearchWords returns the distinct words of texts that the spelling
// vocabulary keeps: runs of 3 to 24 ASCII letters, lower-cased, sorted
// (writers upsert them in one order, so two never wait on each other in
// a cycle). PostgreSQL's backfill splits the same way.
func SearchWords(texts ...string) []string {
	seen := map[string]bool{}
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if len(w) >= 3 && len(w) <= 24 {
				seen[w] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// IndexArticleSQL refreshes what an article is found by beside its text:
// search_meta holds its dateline, section name, bylines and tags;
// search_grams the Hangul bigrams (the first argument, from SearchGrams).
// The second argument is the article's id. Both engines run it in the
// transaction that writes the article, after its bylines and tags.
const IndexArticleSQL = `UPDATE articles SET search_meta = ` + searchMetaExpr + `, search_grams = ? WHERE id = ?`

// searchMetaExpr is search_meta computed from the article's row and its
// relations; the migrations that add the column use the same expression.
const searchMetaExpr = `articles.dateline || ' ' || coalesce((SELECT name FROM sections WHERE id = articles.section_id), '') || ' ' ||
	coalesce((SELECT string_agg(au.name, ' ' ORDER BY aa.position) FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = articles.id), '') || ' ' ||
	coalesce((SELECT string_agg(t.tag, ' ' ORDER BY t.position) FROM article_tags t WHERE t.article_id = articles.id), '')`

// reindexAuthor and reindexSection refresh search_meta of the articles a
// renamed author or section appears in.
const (
	reindexAuthorSQL  = `UPDATE articles SET search_meta = ` + searchMetaExpr + ` WHERE id IN (SELECT article_id FROM article_authors WHERE author_id = ?)`
	reindexSectionSQL = `UPDATE articles SET search_meta = ` + searchMetaExpr + ` WHERE section_id = ?`
)

// FillHits gives the hits' articles their bylines and tags with the
// engine's fill (one query for the page, not one a hit).
func FillHits(ctx context.Context, hits []news.SearchHit, fill func(context.Context, []news.Article) error) error {
	list := make([]news.Article, len(hits))
	for i := range hits {
		list[i] = hits[i].Article
	}
	if err := fill(ctx, list); err != nil {
		return err
	}
	for i := range hits {
		hits[i].Article = list[i]
	}
	return nil
}

// QueryTerm is one word of a reader's search. Grams is set for a word of
// two or more Hangul syllables: its bigrams, which engines match as a
// phrase in the bigram index as an alternative to the whole word.
type QueryTerm struct {
	Word  string
	Grams string
}

// ParseSearch splits a reader's text into terms: runs of letters and
// digits, at most MaxQueryWords. Everything else, quotes and operators
// included, separates words, so no input reaches an engine's query syntax.
func ParseSearch(text string) []QueryTerm {
	fields := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(fields) > MaxQueryWords {
		fields = fields[:MaxQueryWords]
	}
	out := make([]QueryTerm, 0, len(fields))
	for _, f := range fields {
		out = append(out, QueryTerm{Word: f, Grams: SearchGrams(f)})
	}
	return out
}

// Snippet picks the passage of an article that shows a reader why it
// matched, with the matched words between news.HighlightStart and
// HighlightEnd. The passage never crosses a block (a paragraph or subhead
// of the body; the headline, dek and the byline/tag line are blocks of
// their own): it is the window of at most snippetWords words with the most
// distinct matched terms, body first, then dek, headline and meta. An
// ellipsis marks where the block was cut.
func Snippet(terms []QueryTerm, headline, dek, body, meta string) string {
	ms := matchers(terms)
	blocks := strings.Split(body, "\n\n")
	blocks = append(blocks, dek, headline, meta)
	var best []string
	var bestHit []int
	bestStart, bestScore := 0, 0
	var buf []byte
	for _, b := range blocks {
		if !mayMatch(ms, b, &buf) {
			continue
		}
		words := strings.Fields(b)
		hit, start, score := scoreBlock(ms, words)
		if score > bestScore {
			best, bestHit, bestStart, bestScore = words, hit, start, score
			if score == min(len(ms), 31) {
				// No later block can do better than every term (the first
				// best block wins): the rest need not be read.
				break
			}
		}
	}
	if bestScore == 0 {
		// Nothing to mark (a word matched through stemming the marker does
		// not know): the body's opening.
		words := strings.Fields(blocks[0])
		if len(words) == 0 {
			words = strings.Fields(dek)
		}
		return window(words, make([]int, len(words)), 0, ms)
	}
	return window(best, bestHit, bestStart, ms)
}

const snippetWords = 28

// matcher is a query term prepared for matching many words.
type matcher struct {
	word   string // as typed
	lower  string // lower-case
	stem   string // lower-case, stemmed; "" for a Hangul term
	hangul bool
	ascii  bool // lower is ASCII
}

// mayMatch tells cheaply whether any term can match a word of block: a
// matching word holds the term's stem (or the word itself). The block is
// lower-cased byte by byte into buf (ASCII letters only: the terms it
// looks for are ASCII, see asciiLower), which strings.ToLower did a
// rune at a time with an allocation for every block of every hit.
func mayMatch(ms []matcher, block string, buf *[]byte) bool {
	var lower []byte
	fold := -1 // foldsToASCII(block), once known
	for _, m := range ms {
		if m.hangul {
			if strings.Contains(block, m.word) {
				return true
			}
			continue
		}
		if fold < 0 {
			fold = 0
			if foldsToASCII(block) {
				fold = 1
			}
		}
		if !m.ascii || fold == 1 {
			// A term with other letters, or a block with a letter whose
			// lower case is ASCII: lower-case it as before.
			lb := strings.ToLower(block)
			if strings.Contains(lb, m.lower) || (len(m.stem) >= 3 && strings.Contains(lb, m.stem)) {
				return true
			}
			continue
		}
		if lower == nil {
			lower = asciiLower((*buf)[:0], block)
			*buf = lower
		}
		if bytes.Contains(lower, []byte(m.lower)) || (len(m.stem) >= 3 && bytes.Contains(lower, []byte(m.stem))) {
			return true
		}
	}
	return false
}

// asciiLower appends s to dst with A-Z lower-cased and every other byte
// as it is. For an ASCII term, a match in it is a match in
// strings.ToLower(s) unless s has a letter whose lower case is ASCII
// (foldsToASCII).
func asciiLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// foldsToASCII tells whether s holds the Kelvin sign or a dotted capital
// I, the two letters outside ASCII that strings.ToLower turns into ASCII
// ones ("k", "i" and a combining dot).
func foldsToASCII(s string) bool {
	return strings.Contains(s, "\u212a") || strings.Contains(s, "\u0130")
}

func matchers(terms []QueryTerm) []matcher {
	out := make([]matcher, 0, len(terms))
	for _, t := range terms {
		m := matcher{word: t.Word, lower: strings.ToLower(t.Word), hangul: t.Grams != ""}
		m.ascii = isASCII(m.lower)
		if !m.hangul {
			m.stem = stem(m.lower)
		}
		out = append(out, m)
	}
	return out
}

// scoreBlock marks which terms each word answers (bit i for term i) and
// finds the window of at most snippetWords words with the most distinct
// terms.
func scoreBlock(ms []matcher, words []string) (hit []int, start, score int) {
	if len(words) == 0 {
		return nil, 0, 0
	}
	hit = make([]int, len(words))
	any := false
	for i, w := range words {
		for j := range ms {
			if j < 31 && wordMatches(w, &ms[j]) {
				hit[i] |= 1 << j
				any = true
			}
		}
	}
	if !any {
		return hit, 0, 0
	}
	for s := 0; s < len(words); s++ {
		if hit[s] == 0 {
			continue
		}
		// Windows start a few words before their first match, so that it
		// reads in context.
		from := max(0, s-4)
		var mask int
		for i := from; i < min(len(words), from+snippetWords); i++ {
			mask |= hit[i]
		}
		if n := bitCount(mask); n > score {
			start, score = from, n
		}
	}
	return hit, start, score
}

// window writes the words of a block from start, marking matches, with an
// ellipsis where the block was cut.
func window(words []string, hit []int, start int, ms []matcher) string {
	end := min(len(words), start+snippetWords)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	for i := start; i < end; i++ {
		if i > start {
			b.WriteByte(' ')
		}
		if hit[i] != 0 {
			b.WriteString(mark(words[i], ms))
		} else {
			b.WriteString(words[i])
		}
	}
	if end < len(words) {
		b.WriteString("…")
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func bitCount(m int) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// wordMatches tells whether a word of text answers a term: the same word
// up to case and a common English ending, or, for Hangul, the term inside
// the word (a compound or a word with its particle). It runs for every
// word of a hit's text, so it allocates only for words that share the
// term's stem as a prefix.
func wordMatches(w string, m *matcher) bool {
	if m.hangul {
		return strings.Contains(w, m.word)
	}
	// Most words are plain ASCII letters: compare them directly.
	plain := true
	for i := 0; i < len(w) && plain; i++ {
		c := w[i] | 0x20
		plain = c >= 'a' && c <= 'z'
	}
	if plain {
		return partMatches(w, m)
	}
	// "Ji-won" answers "ji" and "won", as both engines index its parts.
	for len(w) > 0 {
		i := strings.IndexFunc(w, isWordRune)
		if i < 0 {
			return false
		}
		w = w[i:]
		j := strings.IndexFunc(w, func(r rune) bool { return !isWordRune(r) })
		part := w
		if j >= 0 {
			part, w = w[:j], w[j:]
		} else {
			w = ""
		}
		if partMatches(part, m) {
			return true
		}
	}
	return false
}

func partMatches(part string, m *matcher) bool {
	if strings.EqualFold(part, m.word) {
		return true
	}
	if len(m.stem) < 3 || len(part) < len(m.stem) || !strings.EqualFold(part[:len(m.stem)], m.stem) {
		return false
	}
	return stem(strings.ToLower(part)) == m.stem
}

// stem strips the endings that both engines' English stemmers remove, well
// enough to mark "expands" for "expanding"; it only decides what is
// highlighted, never what matches.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "’s")
	for _, suf := range []string{"ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s", "e", "y"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

// mark wraps the matched part of a word: for a Hangul term, the term
// inside the compound; otherwise the word without its punctuation.
func mark(w string, ms []matcher) string {
	for _, m := range ms {
		if m.hangul {
			if i := strings.Index(w, m.word); i >= 0 {
				return w[:i] + news.HighlightStart + m.word + news.HighlightEnd + w[i+len(m.word):]
			}
		}
	}
	i := strings.IndexFunc(w, isWordRune)
	j := strings.LastIndexFunc(w, isWordRune)
	if i < 0 {
		return w
	}
	_, size := utf8.DecodeRuneInString(w[j:])
	j += size
	return w[:i] + news.HighlightStart + w[i:j] + news.HighlightEnd + w[j:]
}

// SuggestSpelling offers, for a search that found little, the same words
// with each unknown one replaced by the closest word of the archive's own
// vocabulary (search_words, fed as articles are written): the smallest
// edit distance (1, or 2 for words of 6 letters or more), then the most
// frequent. It returns "" when there is nothing to offer. Candidates
// share the word's first letter and a length within 2, an index range
// scan. The vocabulary holds only public articles' words (triggers keep
// it, migration 0812); the caller still checks that the suggestion finds
// something a reader may see now (an article can be withdrawn).
func (db *DB) SuggestSpelling(ctx context.Context, text string) (string, error) {
	terms := ParseSearch(text)
	changed := false
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		w := strings.ToLower(t.Word)
		out = append(out, t.Word)
		if len(w) < 4 || len(w) > 24 || strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
			continue
		}
		var known int
		err := db.QueryRow(ctx, `SELECT count(*) FROM search_words WHERE word = ?`, w).Scan(&known)
		if err != nil {
			return "", fmt.Errorf("suggest: %w", err)
		}
		if known > 0 {
			continue
		}
		maxDist := 1
		if len(w) >= 6 {
			maxDist = 2
		}
		rows, err := db.Query(ctx, `SELECT word, n FROM search_words WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ?`,
			w[:1], string(rune(w[0]+1)), len(w)-maxDist, len(w)+maxDist)
		if err != nil {
			return "", fmt.Errorf("suggest: %w", err)
		}
		best, bestDist, bestN := "", maxDist+1, 0
		for rows.Next() {
			var c string
			var n int
			if err := rows.Scan(&c, &n); err != nil {
				rows.Close()
				return "", err
			}
			d := editDistance(w, c, maxDist)
			if d > maxDist {
				continue // too far (a tie at maxDist+1 is no candidate)
			}
			if d < bestDist || (d == bestDist && n > bestN) {
				best, bestDist, bestN = c, d, n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", fmt.Errorf("suggest: %w", err)
		}
		if best != "" {
			out[len(out)-1] = best
			changed = true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(out, " "), nil
}

// editDistance is the Damerau (optimal string alignment) distance of a and
// b, ASCII, or limit+1 once it must exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Numbered rewrites a shared query's ? placeholders as $1, $2, ... for
// code that runs it outside DB (pgstore's pgx transactions).
func Numbered(query string) string { return number(query) }
