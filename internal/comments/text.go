// Package comments owns the rules of reader comments: what a comment may
// hold (250 graphemes of NFC-normalised plain text), how it is shown
// (escaped, links made rel="nofollow ugc"), the moderation rules (banned
// words, spam rules, rate limits, automatic hold after reports, bans),
// and the comment service the API, the reader pages and the moderators'
// pages (internal/newsroom) call.
package comments

import (
	"html/template"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"

	"byline/internal/news"
)

// MaxGraphemes is how many characters (as a reader counts them) a comment
// may hold. comments.js counts the same way with Intl.Segmenter.
const MaxGraphemes = 250

// MaxNameGraphemes bounds a display name.
const MaxNameGraphemes = 40

// Length counts user-perceived characters: a Hangul syllable, an emoji
// with modifiers, a flag each count as one.
func Length(s string) int { return uniseg.GraphemeClusterCount(s) }

// NormalizeBody checks and cleans a comment: valid UTF-8, NFC, Windows
// line ends made plain, control characters (except line breaks) dropped,
// runs of blank lines shortened, trimmed, not empty, at most 250
// characters.
func NormalizeBody(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", news.Invalid("body", "the comment is not valid UTF-8 text")
	}
	s = clean(s, true)
	if blank(s) {
		return "", news.Invalid("body", "write something first: an empty comment cannot be posted")
	}
	if n := Length(s); n > MaxGraphemes {
		return "", news.Invalid("body", "a comment holds at most %d characters; this one has %d", MaxGraphemes, n)
	}
	return s, nil
}

// NormalizeName cleans a display name: one line, at most 40 characters.
func NormalizeName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", news.Invalid("name", "the name is not valid UTF-8 text")
	}
	s = clean(s, false)
	if blank(s) {
		return "", news.Invalid("name", "please choose a display name")
	}
	if Length(s) > MaxNameGraphemes {
		g := uniseg.NewGraphemes(s)
		var b strings.Builder
		for i := 0; i < MaxNameGraphemes && g.Next(); i++ {
			b.WriteString(g.Str())
		}
		s = strings.TrimSpace(b.String())
	}
	return s, nil
}

// blank reports whether s shows nothing: only spaces and invisible
// format characters (zero-width space, joiners).
func blank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.In(r, unicode.Cf) }) == ""
}

var blankLines = regexp.MustCompile(`\n{3,}`)

func clean(s string, multiline bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			if multiline {
				return r
			}
			return ' '
		case r == '\t':
			return ' '
		case r == '\u200d' || r == '\u200c': // joiners build emoji and Indic text
			return r
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', r == '\ufeff',
			r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069': // bidi overrides
			return -1
		}
		return r
	}, s)
	if multiline {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
		}
		s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	} else {
		s = strings.Join(strings.Fields(s), " ")
	}
	// NFC last: removing a control character can bring a letter and a
	// combining mark together ("A\x05\u0311"), which composes only now.
	return strings.TrimSpace(norm.NFC.String(s))
}

var linkRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'` + "`" + `]+`)

// CountLinks counts the links in a body.
func CountLinks(s string) int { return len(linkRE.FindAllStringIndex(s, -1)) }

// HTML shows a plain-text comment: escaped, line breaks kept, links as
// anchors that pass no reputation (rel="nofollow ugc").
func HTML(body string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range linkRE.FindAllStringIndex(body, -1) {
		start, end := m[0], m[1]
		// Trailing punctuation belongs to the sentence, not the link.
		for end > start && strings.ContainsRune(".,;:!?)]}'", rune(body[end-1])) {
			end--
		}
		b.WriteString(escapeLines(body[last:start]))
		link := body[start:end]
		href := link
		if !strings.HasPrefix(strings.ToLower(href), "http") {
			href = "https://" + href
		}
		b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `" rel="nofollow ugc noopener" target="_blank">` + template.HTMLEscapeString(link) + `</a>`)
		last = end
	}
	b.WriteString(escapeLines(body[last:]))
	return template.HTML(b.String())
}

func escapeLines(s string) string {
	return strings.ReplaceAll(template.HTMLEscapeString(s), "\n", "<br>\n")
}
