// Package wpimport reads WordPress exports (WXR, an RSS dialect) as a
// stream and imports their authors, categories, tags, posts, pages,
// featured images and approved comments into Byline. Re-running an
// import creates nothing twice: every created thing is keyed by its
// WordPress id in the import map.
package wpimport

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits bound what one element of a hostile or broken file may cost.
type Limits struct {
	MaxField    int // bytes of text in one field (post content included)
	MaxChildren int // children of one element (comments, postmeta)
	MaxDepth    int
	MaxEntry    int // bytes of text in one channel entry (an item with its comments)
}

// DefaultLimits are far above what real exports hold.
var DefaultLimits = Limits{MaxField: 4 << 20, MaxChildren: 20_000, MaxDepth: 16, MaxEntry: 64 << 20}

// node is one element of a channel entry, named with the prefix the file
// uses ("wp:post_id", "content:encoded"); WXR always declares the same
// prefixes.
type node struct {
	name     string
	attrs    map[string]string
	text     strings.Builder
	children []*node
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// get is the trimmed text of the first child called name.
func (n *node) get(name string) string {
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.text.String())
	}
	return ""
}

// raw is the untrimmed text of a child (content keeps its white space).
func (n *node) raw(name string) string {
	if c := n.child(name); c != nil {
		return c.text.String()
	}
	return ""
}

func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// Error is a problem in the file, with the line it was found on.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// ErrDoctype is returned for files that declare a DOCTYPE: WordPress never
// writes one, and entity declarations are how "billion laughs" and
// external-entity attacks start.
var ErrDoctype = errors.New("the file declares a DOCTYPE with possible entity definitions; WordPress exports never do, so it is refused (protection against entity-expansion and external-entity attacks)")

// reader streams channel entries of a WXR file.
type reader struct {
	d          *xml.Decoder
	lim        Limits
	inChan     bool
	sawChannel bool
	entryBytes int
}

func newReader(r io.Reader, lim Limits) *reader {
	d := xml.NewDecoder(r)
	d.Strict = true
	// Only the five XML entities (and character references) are known;
	// an undeclared entity is a syntax error, never an expansion.
	d.Entity = nil
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "utf-8" || l == "utf8" || l == "us-ascii" {
			return in, nil
		}
		return nil, fmt.Errorf("the file is encoded as %q; export it again as UTF-8", label)
	}
	return &reader{d: d, lim: lim}
}

func (r *reader) fail(err error) error {
	line, _ := r.d.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if strings.Contains(msg, "unexpected EOF") {
			msg = "the file ends in the middle of an element (truncated export?)"
		}
		return &Error{Line: se.Line, Msg: "malformed XML: " + msg}
	}
	var we *Error
	if errors.As(err, &we) {
		return err
	}
	return &Error{Line: line, Msg: err.Error()}
}

// next returns the next channel entry (wp:author, wp:category, wp:tag,
// item, or a channel field), or io.EOF after </channel>.
func (r *reader) next() (*node, error) {
	for {
		tok, err := r.d.RawToken()
		if err == io.EOF {
			if r.inChan {
				return nil, r.fail(&xml.SyntaxError{Msg: "unexpected EOF", Line: r.line()})
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.fail(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) || bytes.HasPrefix(bytes.TrimSpace(t), []byte("ENTITY")) {
				return nil, &Error{Line: r.line(), Msg: ErrDoctype.Error()}
			}
		case xml.StartElement:
			if t.Name.Local == "rss" {
				continue
			}
			if t.Name.Local == "channel" {
				r.inChan, r.sawChannel = true, true
				continue
			}
			if !r.inChan {
				return nil, &Error{Line: r.line(), Msg: fmt.Sprintf("this is not a WordPress export: found <%s> where <rss><channel> was expected", t.Name.Local)}
			}
			r.entryBytes = 0
			return r.element(t, 1)
		case xml.EndElement:
			if t.Name.Local == "channel" {
				r.inChan = false
			}
		}
	}
}

func (r *reader) line() int {
	l, _ := r.d.InputPos()
	return l
}

// element reads one element and its subtree with limits. RawToken does
// not check nesting, so element checks every end tag against its start.
func (r *reader) element(start xml.StartElement, depth int) (*node, error) {
	if depth > r.lim.MaxDepth {
		return nil, &Error{Line: r.line(), Msg: "elements are nested too deeply"}
	}
	n := &node{name: r.name(start.Name)}
	for _, a := range start.Attr {
		if n.attrs == nil {
			n.attrs = map[string]string{}
		}
		n.attrs[a.Name.Local] = a.Value
	}
	for {
		tok, err := r.d.RawToken()
		if err == io.EOF {
			return nil, r.fail(&xml.SyntaxError{Msg: "unexpected EOF", Line: r.line()})
		}
		if err != nil {
			return nil, r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(n.children) >= r.lim.MaxChildren {
				return nil, &Error{Line: r.line(), Msg: fmt.Sprintf("<%s> has more than %d child elements", n.name, r.lim.MaxChildren)}
			}
			c, err := r.element(t, depth+1)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		case xml.EndElement:
			if name := r.name(t.Name); name != n.name {
				return nil, &Error{Line: r.line(), Msg: fmt.Sprintf("malformed XML: </%s> closes <%s>", name, n.name)}
			}
			return n, nil
		case xml.CharData:
			if n.text.Len()+len(t) > r.lim.MaxField {
				return nil, &Error{Line: r.line(), Msg: fmt.Sprintf("<%s> holds more than %d MB of text", n.name, r.lim.MaxField>>20)}
			}
			r.entryBytes += len(t)
			if r.lim.MaxEntry > 0 && r.entryBytes > r.lim.MaxEntry {
				return nil, &Error{Line: r.line(), Msg: fmt.Sprintf("one <item> holds more than %d MB of text", r.lim.MaxEntry>>20)}
			}
			n.text.Write(t)
		case xml.Directive:
			return nil, &Error{Line: r.line(), Msg: ErrDoctype.Error()}
		}
	}
}

// name resolves a raw prefixed name: RawToken leaves prefixes alone, and
// WXR always declares the usual ones, so the prefix is used as written.
func (r *reader) name(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
