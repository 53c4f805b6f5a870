package markup

import (
	"bytes"
	"fmt"
	"html"
	"sort"
	"strings"

	xhtml "golang.org/x/net/html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Raw HTML in a body is never shown: goldmark drops it (unsafe off). The
// transformer below decides what happens around that rule, in one place:
//   - an allowlisted embed (a paragraph holding only its URL, or pasted
//     embed code such as <iframe src=…>) becomes an embed placeholder;
//   - the text inside <script>, <style> and similar elements is dropped
//     with them, so it never reaches the page or the plain text;
//   - every dropped element is counted, so the editor can be told.

// Removed is one kind of HTML element not shown on the page.
type Removed struct {
	Tag   string `json:"tag"` // lower case, without brackets: "script"
	Count int    `json:"count"`
	Embed bool   `json:"embed"` // pasted embed code, replaced by the embed it names
}

// Report says which HTML elements of a body are not shown on the page.
type Report struct {
	Removed []Removed
}

// Empty reports whether nothing was removed.
func (r Report) Empty() bool { return len(r.Removed) == 0 }

// String reads like "removed: <script> (2), <iframe> (replaced by an
// embed)", or "" when nothing was removed.
func (r Report) String() string {
	if r.Empty() {
		return ""
	}
	var parts []string
	for _, x := range r.Removed {
		s := "<" + x.Tag + ">"
		if x.Count > 1 {
			s += fmt.Sprintf(" (%d)", x.Count)
		}
		if x.Embed {
			s += " (replaced by an embed)"
		}
		parts = append(parts, s)
	}
	return "removed: " + strings.Join(parts, ", ")
}

func (r *Report) add(tag string, embed bool) {
	for i := range r.Removed {
		if r.Removed[i].Tag == tag && r.Removed[i].Embed == embed {
			r.Removed[i].Count++
			return
		}
	}
	r.Removed = append(r.Removed, Removed{Tag: tag, Count: 1, Embed: embed})
}

var reportKey = parser.NewContextKey()

// textOnly are elements whose content is not prose: their text goes with them.
var textOnly = map[string]bool{"script": true, "style": true, "textarea": true, "title": true, "noscript": true,
	"iframe": true, "object": true, "template": true, "svg": true, "math": true, "select": true}

// kindEmbed is the AST node of an embed placeholder.
var kindEmbed = ast.NewNodeKind("Embed")

type embedNode struct {
	ast.BaseBlock
	E Embed
	// from is the HTML block it replaced, if any, and end the offset in
	// the block's text where the embed code ended, for Normalize.
	from *ast.HTMLBlock
	end  int
}

func (n *embedNode) Kind() ast.NodeKind { return kindEmbed }
func (n *embedNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Link": n.E.Link}, nil)
}

type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	rep := &Report{}
	var paras []*ast.Paragraph
	var raws []ast.Node // HTML blocks and inline raw HTML, in document order
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Paragraph:
			paras = append(paras, n)
		case *ast.HTMLBlock, *ast.RawHTML:
			raws = append(raws, n)
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paras {
		if e, ok := paragraphEmbed(p, src); ok {
			p.Parent().ReplaceChild(p.Parent(), p, &embedNode{E: e})
		}
	}
	for _, n := range raws {
		if b, ok := n.(*ast.HTMLBlock); ok {
			code := blockSource(b, src)
			if e, tag, end, ok := embedCode(code); ok {
				rep.add(tag, true)
				b.Parent().ReplaceChild(b.Parent(), b, &embedNode{E: e, from: b, end: end})
				countTags(code[end:], rep)
				continue
			}
			countTags(code, rep)
			continue
		}
		// Inline raw HTML: one node per tag. Drop what lies between a
		// script-like start tag and its end tag.
		r := n.(*ast.RawHTML)
		if r.Parent() == nil {
			continue // already removed with a script's text
		}
		var code []byte
		for i := 0; i < r.Segments.Len(); i++ {
			seg := r.Segments.At(i)
			code = append(code, seg.Value(src)...)
		}
		name, start := tagName(code)
		if name == "" {
			continue
		}
		if start {
			rep.add(name, false)
		}
		if !start || !textOnly[name] || bytes.HasSuffix(bytes.TrimSpace(code), []byte("/>")) {
			continue
		}
		for next := r.NextSibling(); next != nil; {
			after := next.NextSibling()
			if raw, ok := next.(*ast.RawHTML); ok {
				var c []byte
				for i := 0; i < raw.Segments.Len(); i++ {
					seg := raw.Segments.At(i)
					c = append(c, seg.Value(src)...)
				}
				if n, st := tagName(c); n == name && !st {
					break
				}
				if n, st := tagName(c); n != "" && st {
					rep.add(n, false)
				}
			}
			next.Parent().RemoveChild(next.Parent(), next)
			next = after
		}
	}
	pc.Set(reportKey, rep)
}

// paragraphEmbed recognises a paragraph holding only an allowlisted URL
// (bare, or in <angle brackets>).
func paragraphEmbed(p *ast.Paragraph, src []byte) (Embed, bool) {
	lines := p.Lines()
	if lines.Len() != 1 {
		return Embed{}, false
	}
	seg := lines.At(0)
	s := strings.TrimSpace(string(seg.Value(src)))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	return ParseEmbed(s)
}

func blockSource(b *ast.HTMLBlock, src []byte) []byte {
	var buf []byte
	for i := 0; i < b.Lines().Len(); i++ {
		seg := b.Lines().At(i)
		buf = append(buf, seg.Value(src)...)
	}
	if b.HasClosure() {
		buf = append(buf, b.ClosureLine.Value(src)...)
	}
	return buf
}

// embedCode finds the embed that pasted embed code names: an iframe of an
// allowlisted player, or a provider's blockquote snippet (X's
// "twitter-tweet", Instagram's "instagram-media") with the post's link.
// end is the offset just after the snippet (its loader <script> included),
// so text after it in the same HTML block is kept.
func embedCode(code []byte) (e Embed, tag string, end int, ok bool) {
	z := xhtml.NewTokenizer(bytes.NewReader(code))
	pos, depth := 0, 0
	for {
		tt := z.Next()
		pos += len(z.Raw())
		switch tt {
		case xhtml.ErrorToken:
			return e, tag, pos, ok
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			t := z.Token()
			attr := func(k string) string {
				for _, a := range t.Attr {
					if a.Key == k {
						return a.Val
					}
				}
				return ""
			}
			if ok && depth == 0 {
				// After the snippet: only its loader script belongs to it.
				if t.Data == "script" && attr("src") != "" {
					for z.Next() != xhtml.ErrorToken {
						pos += len(z.Raw())
						if name, _ := z.TagName(); string(name) == "script" && z.Token().Type == xhtml.EndTagToken {
							break
						}
					}
					end = pos
					continue
				}
				return e, tag, end, true
			}
			switch {
			case tag == "" && t.Data == "iframe":
				if pe, good := ParseEmbed(attr("src")); good {
					e, tag, ok, depth = pe, "iframe", true, 1
				}
			case tag == "" && t.Data == "blockquote":
				cls := " " + attr("class") + " "
				if strings.Contains(cls, " twitter-tweet ") || strings.Contains(cls, " instagram-media ") {
					tag, depth = "blockquote", 1
					if pe, good := ParseEmbed(attr("data-instgrm-permalink")); good {
						e, ok = pe, true
					}
				}
			case tag == "blockquote" && t.Data == "blockquote" && tt == xhtml.StartTagToken:
				depth++
			case tag == "blockquote" && t.Data == "a" && !ok:
				if pe, good := ParseEmbed(attr("href")); good && (pe.Provider == "x" || pe.Provider == "instagram") {
					e, ok = pe, true
				}
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			if tag != "" && string(name) == tag && depth > 0 {
				depth--
				if depth == 0 {
					if !ok {
						return Embed{}, "", 0, false
					}
					end = pos
				}
			}
		case xhtml.TextToken:
			if ok && depth == 0 && len(bytes.TrimSpace(z.Raw())) > 0 {
				return e, tag, end, true
			}
		}
		if tag == "" && tt != xhtml.TextToken && tt != xhtml.CommentToken {
			return Embed{}, "", 0, false // embed code starts with its element
		}
	}
}

func countTags(code []byte, rep *Report) {
	z := xhtml.NewTokenizer(bytes.NewReader(code))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			rep.add(string(name), false)
		}
	}
}

// tagName reads the element name of one raw inline tag and whether it is
// a start tag; comments and declarations give "".
func tagName(code []byte) (string, bool) {
	z := xhtml.NewTokenizer(bytes.NewReader(code))
	switch z.Next() {
	case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
		name, _ := z.TagName()
		return string(name), true
	case xhtml.EndTagToken:
		name, _ := z.TagName()
		return string(name), false
	}
	return "", false
}

// embedRenderer writes the placeholder: a figure whose box reserves the
// frame's shape, holding a plain link to the provider's page. The
// reader's script (site.js) adds a button that loads the frame on click;
// without script, or in print, the link is what remains. textOnly mode
// writes nothing (plain text has no embeds).
type embedRenderer struct{ textOnly bool }

func (r embedRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindEmbed, r.render)
}

func (r embedRenderer) render(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering || r.textOnly {
		return ast.WalkSkipChildren, nil
	}
	e := n.(*embedNode).E
	esc := html.EscapeString
	fmt.Fprintf(w, `<figure class="embed embed-%s">`+
		`<div class="embed-box embed-%s" data-embed-frame="%s" data-embed-title="%s" data-embed-name="%s">`+
		`<a class="embed-link" href="%s">%s</a></div></figure>`+"\n",
		esc(e.Provider), esc(e.Shape), esc(e.Frame), esc(e.Title), esc(e.Name), esc(e.Link), esc(e.Action))
	return ast.WalkSkipChildren, nil
}

// normalize rewrites pasted embed code at the top level of the body into
// the embed's URL on a paragraph of its own, so the body stores URLs.
func normalize(doc ast.Node, src []byte) string {
	type cut struct {
		start, stop int
		url         string
	}
	var cuts []cut
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		n, ok := c.(*embedNode)
		if !ok || n.from == nil || n.from.Lines().Len() == 0 {
			continue
		}
		b := n.from
		// A top-level block's lines are contiguous in the source.
		start := b.Lines().At(0).Start
		stop := start + n.end
		for stop < len(src) && (src[stop] == ' ' || src[stop] == '\t') {
			stop++
		}
		// Back to the line's start (an indent of up to three spaces).
		for start > 0 && src[start-1] != '\n' {
			start--
		}
		cuts = append(cuts, cut{start, stop, n.E.Link})
	}
	if len(cuts) == 0 {
		return string(src)
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].start < cuts[j].start })
	var out strings.Builder
	last := 0
	for _, c := range cuts {
		out.Write(src[last:c.start])
		// A blank line before and after the URL makes it a paragraph of its own.
		if s := out.String(); s != "" && !strings.HasSuffix(s, "\n\n") {
			if strings.HasSuffix(s, "\n") {
				out.WriteString("\n")
			} else {
				out.WriteString("\n\n")
			}
		}
		out.WriteString(c.url + "\n")
		last = c.stop
		if rest := src[last:]; len(rest) > 0 && rest[0] != '\n' && !bytes.HasPrefix(rest, []byte("\r\n")) {
			out.WriteString("\n")
		}
	}
	out.WriteString(string(src[last:]))
	return out.String()
}
