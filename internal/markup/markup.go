// Package markup turns article Markdown into the HTML readers see and the
// plain text that search and descriptions use. Every piece of HTML it
// returns has passed an allow-list sanitizer.
package markup

import (
	"bytes"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Renderer is safe for concurrent use; make one at start-up.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	strip  *bluemonday.Policy
}

// New builds the Markdown renderer and the sanitizer policies.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("id").Matching(bluemonday.SpaceSeparatedTokens).OnElements("h2", "h3", "h4")
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return &Renderer{md: md, policy: p, strip: bluemonday.StrictPolicy()}
}

// HTML renders Markdown to sanitized HTML. Raw HTML in the source is
// dropped by goldmark's default (unsafe off) and anything else the
// sanitizer does not allow is removed.
func (r *Renderer) HTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes()))
}

// Text renders Markdown to plain text: paragraphs separated by blank
// lines, no markup.
func (r *Renderer) Text(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return src
	}
	// Block ends become line breaks before the tags are stripped.
	s := buf.String()
	for _, tag := range []string{"</p>", "</h2>", "</h3>", "</h4>", "</li>", "</blockquote>", "<br>", "<br />"} {
		s = strings.ReplaceAll(s, tag, tag+"\n")
	}
	s = html.UnescapeString(r.strip.Sanitize(s))
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n\n")
}

// Summary cuts text to at most n characters at a word boundary, adding an
// ellipsis when it cut.
func Summary(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	cut := 0
	for i := range text {
		if utf8.RuneCountInString(text[:i]) > n {
			break
		}
		if text[i] == ' ' {
			cut = i
		}
	}
	if cut == 0 {
		cut = len(string([]rune(text)[:n]))
	}
	return strings.TrimRight(text[:cut], " ,;:.") + "…"
}

// WordCount counts words of plain text.
func WordCount(text string) int { return len(strings.Fields(text)) }

// Highlight escapes a snippet and turns the storage engine's highlight
// markers into <mark> elements.
func Highlight(snippet, start, end string) template.HTML {
	s := template.HTMLEscapeString(snippet)
	s = strings.ReplaceAll(s, start, "<mark>")
	s = strings.ReplaceAll(s, end, "</mark>")
	// Unbalanced markers (a snippet cut mid-match) must not leave an open tag.
	if o, c := strings.Count(s, "<mark>"), strings.Count(s, "</mark>"); o > c {
		s += strings.Repeat("</mark>", o-c)
	}
	return template.HTML(s)
}
