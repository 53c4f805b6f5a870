package dictionary

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what a reader can send; a double-click selects a word, a drag
// a few. Anything longer is not a dictionary question.
const (
	maxSelectionBytes = 200
	maxSelectionWords = 8
	maxContextBytes   = 4096
	maxParagraphBytes = 8192
	maxSectionBytes   = 400
)

// typography maps the characters that articles use in place of ASCII ones,
// so that "Korea’s" and "Korea's" look the same to the lexicon. Dashes
// between words separate them; hyphens join them.
var typography = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u2032", "'", "\u0060", "'", "\u00b4", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u00ab", `"`, "\u00bb", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", " ", "\u2013", " ", "\u2014", " ", "\u2015", " ",
	"\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
	"\u00a0", " ", "\u202f", " ", "\u2009", " ",
)

// clean normalises text from an article page: valid UTF-8, NFKC (which
// also unfolds ligatures and full-width letters) and ASCII punctuation.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	return typography.Replace(norm.NFKC.String(s))
}

// token is a word or a punctuation mark of a sentence.
type token struct {
	text  string // as written, after clean
	lower string
	word  bool
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits text into words and punctuation. Apostrophes, hyphens
// and dots stay inside a word when a letter or digit follows them ("o'clock",
// "well-known", "U.S"); a dot right after a word with inner dots is kept
// too ("U.S.").
func tokenize(s string) []token {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case isWordRune(r):
			j := i + 1
			dots := false
			for j < len(rs) {
				if isWordRune(rs[j]) {
					j++
					continue
				}
				if (rs[j] == '\'' || rs[j] == '-' || rs[j] == '.' || rs[j] == '&') && j+1 < len(rs) && isWordRune(rs[j+1]) {
					dots = dots || rs[j] == '.'
					j += 2
					continue
				}
				break
			}
			if dots && j < len(rs) && rs[j] == '.' {
				j++
			}
			t := string(rs[i:j])
			toks = append(toks, token{text: t, lower: strings.ToLower(t), word: true})
			i = j
		default:
			t := string(r)
			toks = append(toks, token{text: t, lower: t})
			i++
		}
	}
	return toks
}

// words returns the word tokens of s.
func words(s string) []token {
	var out []token
	for _, t := range tokenize(s) {
		if t.word {
			out = append(out, t)
		}
	}
	return out
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// variants lists the keys worth trying for one word as written, best
// first: the word, without a possessive, without a trailing dot, and with
// its hyphens made spaces or dropped ("e-mail", "email").
func variants(w string) []string {
	w = strings.ToLower(w)
	out := []string{w}
	add := func(s string) {
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	base := w
	if strings.HasSuffix(base, "'s") {
		base = base[:len(base)-2]
		add(base)
	}
	if strings.HasSuffix(base, ".") {
		base = strings.TrimRight(base, ".")
		add(base)
	}
	if strings.Contains(base, "-") {
		add(strings.ReplaceAll(base, "-", "_"))
		add(strings.ReplaceAll(base, "-", ""))
	}
	return out
}
