// Package markup turns article Markdown into the HTML readers see and the
// plain text that search and descriptions use. Every piece of HTML it
// returns has passed an allow-list sanitizer. It owns the rules for raw
// HTML in a body (never shown; what was dropped is reported) and for
// embeds (allowlisted providers' URLs, shown as click-to-load
// placeholders).
package markup

import (
	"bytes"
	"html"
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer is safe for concurrent use; make one at start-up.
type Renderer struct {
	md     goldmark.Markdown
	plain  goldmark.Markdown // the same, with embeds rendered as nothing
	policy *bluemonday.Policy
	strip  *bluemonday.Policy
}

// New builds the Markdown renderer and the sanitizer policies.
func New() *Renderer {
	build := func(textOnly bool) goldmark.Markdown {
		return goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.Typographer),
			goldmark.WithParserOptions(parser.WithAutoHeadingID(),
				parser.WithASTTransformers(util.Prioritized(transformer{}, 100))),
			goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(embedRenderer{textOnly: textOnly}, 100))),
		)
	}
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("id").Matching(bluemonday.SpaceSeparatedTokens).OnElements("h2", "h3", "h4")
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	// The embed placeholder's attributes; raw HTML never reaches the
	// sanitizer, so only our renderer writes them, and the frame URL may
	// name only an allowlisted frame host.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^embed[a-z -]*$`)).OnElements("figure", "div", "a")
	p.AllowAttrs("data-embed-frame").Matching(frameURL).OnElements("div")
	p.AllowAttrs("data-embed-title", "data-embed-name").Matching(regexp.MustCompile(`^[A-Za-z ]{1,40}$`)).OnElements("div")
	return &Renderer{md: build(false), plain: build(true), policy: p, strip: bluemonday.StrictPolicy()}
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

// Check reports the HTML elements of a body that are not shown on the
// page (pasted embed code of an allowlisted provider is reported as
// replaced by its embed).
func (r *Renderer) Check(src string) Report {
	pc := parser.NewContext()
	r.md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
	if rep, ok := pc.Get(reportKey).(*Report); ok {
		return *rep
	}
	return Report{}
}

// Normalize prepares a body for storage: pasted embed code (an
// <iframe src=…> of an allowlisted player, X's or Instagram's snippet) at
// the top level becomes the embed's URL on a paragraph of its own, which
// is how embeds are stored. Everything else is kept as written. It
// returns the body and the report of what the page will not show.
func (r *Renderer) Normalize(src string) (string, Report) {
	pc := parser.NewContext()
	b := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(b), parser.WithContext(pc))
	rep, _ := pc.Get(reportKey).(*Report)
	if rep == nil {
		rep = &Report{}
	}
	return normalize(doc, b), *rep
}

// Text renders Markdown to plain text: paragraphs separated by blank
// lines, no markup.
func (r *Renderer) Text(src string) string {
	var buf bytes.Buffer
	if err := r.plain.Convert([]byte(src), &buf); err != nil {
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
