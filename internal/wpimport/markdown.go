package wpimport

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Byline bodies are Markdown, and the renderer drops raw HTML, so
// WordPress HTML is converted: paragraphs, headings, emphasis, links,
// lists, block quotes, images, code and line breaks survive; scripts,
// styles, embeds and forms are dropped with their content; any other tag
// is dropped and its text kept.

var shortcodeRe = regexp.MustCompile(`\[/?(caption|gallery|embed|audio|video|playlist|wp_caption)\b[^\]]*\]`)
var blankLinesRe = regexp.MustCompile(`\n[ \t]*\n`)
var blockStartRe = regexp.MustCompile(`(?i)^<(p|h[1-6]|ul|ol|li|blockquote|div|figure|table|pre|hr|section|article|iframe|script|style|form)\b`)

// autop does what WordPress does when it shows a post: text separated by
// blank lines becomes paragraphs.
func autop(s string) string {
	chunks := blankLinesRe.Split(strings.ReplaceAll(s, "\r\n", "\n"), -1)
	var b strings.Builder
	for _, c := range chunks {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if blockStartRe.MatchString(c) {
			b.WriteString(c)
		} else {
			b.WriteString("<p>" + strings.ReplaceAll(c, "\n", "<br>") + "</p>")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// ToMarkdown converts WordPress post HTML to Markdown.
func ToMarkdown(src string) string {
	src = shortcodeRe.ReplaceAllString(src, "")
	src = autop(src)
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		return escapeText(src)
	}
	c := &conv{}
	for _, n := range nodes {
		c.block(n, "")
	}
	c.flush()
	out := strings.Join(c.blocks, "\n\n")
	return strings.TrimSpace(out)
}

type conv struct {
	blocks []string
	inline strings.Builder
}

// flush ends the current paragraph of loose inline content.
func (c *conv) flush() {
	if s := cleanInline(c.inline.String()); s != "" {
		c.blocks = append(c.blocks, guardLineStart(s))
	}
	c.inline.Reset()
}

func (c *conv) add(block string) {
	c.flush()
	if strings.TrimSpace(block) != "" {
		c.blocks = append(c.blocks, block)
	}
}

var dropped = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Form: true, atom.Noscript: true, atom.Template: true, atom.Svg: true, atom.Math: true, atom.Head: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Video: true, atom.Audio: true, atom.Canvas: true}

// block renders a node at block level.
func (c *conv) block(n *html.Node, _ string) {
	switch n.Type {
	case html.TextNode:
		c.inline.WriteString(escapeText(n.Data))
		return
	case html.ElementNode:
	default:
		return
	}
	if dropped[n.DataAtom] {
		return
	}
	switch n.DataAtom {
	case atom.P, atom.Figcaption, atom.Dd, atom.Dt, atom.Address:
		s := cleanInline(c.inlineOf(n))
		if n.DataAtom == atom.Figcaption && s != "" {
			s = "*" + s + "*"
		}
		c.add(guardLineStart(s))
	case atom.H1, atom.H2:
		c.add(heading("## ", c.inlineOf(n)))
	case atom.H3:
		c.add(heading("### ", c.inlineOf(n)))
	case atom.H4, atom.H5, atom.H6:
		c.add(heading("#### ", c.inlineOf(n)))
	case atom.Ul, atom.Ol:
		c.add(c.list(n, 0))
	case atom.Blockquote:
		sub := &conv{}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			sub.block(ch, "")
		}
		sub.flush()
		inner := strings.Join(sub.blocks, "\n\n")
		lines := strings.Split(inner, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight("> "+l, " ")
		}
		c.add(strings.Join(lines, "\n"))
	case atom.Pre:
		code := strings.TrimRight(textOf(n), "\n")
		fence := "```"
		for strings.Contains(code, fence) {
			fence += "`"
		}
		c.add(fence + "\n" + code + "\n" + fence)
	case atom.Hr:
		c.add("---")
	case atom.Img:
		c.add(imageMD(n))
	case atom.Br:
		c.inline.WriteString("  \n")
	case atom.Div, atom.Section, atom.Article, atom.Figure, atom.Main, atom.Header, atom.Footer, atom.Aside, atom.Nav,
		atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Dl, atom.Center:
		c.flush()
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.block(ch, "")
		}
		c.flush()
	case atom.Tr:
		var cells []string
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode {
				if s := cleanInline(c.inlineOf(ch)); s != "" {
					cells = append(cells, s)
				}
			}
		}
		c.add(guardLineStart(strings.Join(cells, " · ")))
	default:
		c.inline.WriteString(c.inlineOf(n))
	}
}

func heading(prefix, s string) string {
	s = strings.ReplaceAll(cleanInline(s), "\n", " ")
	s = strings.TrimSpace(strings.ReplaceAll(s, "  ", " "))
	if s == "" {
		return ""
	}
	return prefix + s
}

// inlineOf renders the children of n as inline Markdown.
func (c *conv) inlineOf(n *html.Node) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		inline(&b, ch)
	}
	return b.String()
}

func inline(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(escapeText(n.Data))
		return
	case html.ElementNode:
	default:
		return
	}
	if dropped[n.DataAtom] {
		return
	}
	inner := func() string {
		var ib strings.Builder
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			inline(&ib, ch)
		}
		return ib.String()
	}
	switch n.DataAtom {
	case atom.Em, atom.I, atom.Cite:
		wrap(b, "*", inner())
	case atom.Strong, atom.B:
		wrap(b, "**", inner())
	case atom.Code, atom.Kbd, atom.Samp:
		t := strings.ReplaceAll(textOf(n), "`", "'")
		if strings.TrimSpace(t) != "" {
			b.WriteString("`" + t + "`")
		}
	case atom.A:
		text := inner()
		href := safeURL(attr(n, "href"), true)
		if href == "" || strings.TrimSpace(text) == "" {
			b.WriteString(text)
			return
		}
		b.WriteString("[" + strings.TrimSpace(text) + "](" + href + ")")
	case atom.Img:
		b.WriteString(imageMD(n))
	case atom.Br:
		b.WriteString("  \n")
	default:
		b.WriteString(inner())
	}
}

func wrap(b *strings.Builder, mark, s string) {
	t := strings.TrimSpace(s)
	if t == "" {
		b.WriteString(s)
		return
	}
	// Emphasis marks must touch the text; keep outer spaces outside.
	if strings.HasPrefix(s, " ") {
		b.WriteString(" ")
	}
	b.WriteString(mark + t + mark)
	if strings.HasSuffix(s, " ") {
		b.WriteString(" ")
	}
}

func imageMD(n *html.Node) string {
	src := safeURL(attr(n, "src"), false)
	if src == "" {
		return ""
	}
	alt := strings.Join(strings.Fields(attr(n, "alt")), " ")
	return "![" + escapeText(alt) + "](" + src + ")"
}

// list renders ul/ol with nested lists indented.
func (c *conv) list(n *html.Node, depth int) string {
	var lines []string
	i := 0
	indent := strings.Repeat("   ", depth)
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		i++
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = itoa(i) + ". "
		}
		var b strings.Builder
		var nested []string
		for ch := li.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && (ch.DataAtom == atom.Ul || ch.DataAtom == atom.Ol) {
				nested = append(nested, c.list(ch, depth+1))
				continue
			}
			if ch.Type == html.ElementNode && ch.DataAtom == atom.P {
				b.WriteString(c.inlineOf(ch) + " ")
				continue
			}
			inline(&b, ch)
		}
		text := strings.ReplaceAll(cleanInline(b.String()), "\n", " ")
		lines = append(lines, indent+marker+text)
		lines = append(lines, nested...)
	}
	return strings.Join(lines, "\n")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// safeURL keeps http(s) URLs, site-relative paths and (for links) mailto:
// and #anchors; anything else (javascript:, data:) is dropped.
func safeURL(u string, link bool) string {
	u = strings.TrimSpace(u)
	l := strings.ToLower(u)
	ok := strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || (strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")) ||
		link && (strings.HasPrefix(l, "mailto:") || strings.HasPrefix(u, "#"))
	if !ok || strings.ContainsAny(u, " \n\t<>") {
		return ""
	}
	return strings.NewReplacer("(", "%28", ")", "%29").Replace(u)
}

var mdSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`)

// escapeText makes text literal in Markdown and folds white space as
// HTML does.
func escapeText(s string) string {
	if s != "" && strings.TrimSpace(s) == "" {
		return " "
	}
	lead := leadingSpace(s)
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\t' || r == '\r' || r == ' ' }), " ") + trailingSpace(s)
	if lead && s != "" {
		s = " " + s
	}
	return mdSpecial.Replace(s)
}

func trailingSpace(s string) string {
	if s != "" && strings.ContainsRune(" \n\t\r", rune(s[len(s)-1])) && strings.TrimSpace(s) != "" {
		return " "
	}
	return ""
}

func leadingSpace(s string) bool { return s != "" && strings.ContainsRune(" \n\t\r", rune(s[0])) }

// cleanInline trims each line and folds repeated spaces.
func cleanInline(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for i, l := range lines {
		hard := strings.HasSuffix(l, "  ") && i < len(lines)-1
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		if hard {
			l += "  "
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), " ")
}

var listLike = regexp.MustCompile(`^(\d+)([.)])(\s)`)

// guardLineStart escapes what Markdown would read as a heading, list or
// quote at the start of a paragraph.
func guardLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=':
		return `\` + s
	}
	return listLike.ReplaceAllString(s, `$1\$2$3`)
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
