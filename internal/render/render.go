// Package render is Byline's one template engine and asset pipeline, for
// the reader site and the newsroom (/admin) alike: HTML templates and
// static files embedded in the binary, parsed and hashed once at
// start-up with one function map, optionally overridden file by file
// from a theme directory, and served at content-hashed URLs under
// /assets/ so browsers and CDNs may keep them forever.
//
// Files are kept in two namespaces of the one embedded tree:
//
//	site   templates/*.html, templates/partials/*.html  (layout.html: the reader layout)
//	       assets/*                                     asset "site.css"
//	admin  templates/admin/*.html, templates/admin/partials/*.html (layout.html: the newsroom's)
//	       assets/admin/*                               asset "admin/admin.css"
//
// A page is named by its file without .html, admin pages with the
// prefix "admin/" ("article", "admin/edit"); each is parsed with its own
// namespace's layout and partials. A theme directory mirrors the same
// tree: theme/templates/admin/edit.html replaces the editor,
// theme/assets/admin/admin.css the newsroom's stylesheet.
package render

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

//go:embed templates assets
var embedded embed.FS

// Asset is one static file.
type Asset struct {
	Name        string // "site.css"
	URL         string // "/assets/site.1a2b3c4d5e.css"
	ContentType string
	Body        []byte
	encoded     *Encoded // Body with its gzip and brotli forms
}

// Renderer holds parsed page templates and assets.
type Renderer struct {
	pages  map[string]*template.Template
	assets map[string]*Asset // by name
	byURL  map[string]*Asset
	loc    *time.Location
	media  string
	// declared is the one function map every template was parsed with.
	declared template.FuncMap
}

// Options configure a Renderer.
type Options struct {
	// ThemeDir, when set, holds templates/ and assets/ files (the
	// newsroom's under templates/admin/ and assets/admin/) that replace
	// the embedded ones of the same path.
	ThemeDir string
	Location *time.Location
	// Funcs adds template functions (features register their helpers).
	Funcs template.FuncMap
	// MediaURL, when set, is where pages point media files instead of
	// /media/ (--media-url: a CDN or public bucket).
	MediaURL string
}

// New parses every page template (each with the layout and partials) and
// hashes every asset.
func New(opt Options) (*Renderer, error) {
	fsys := fs.FS(embedded)
	if opt.ThemeDir != "" {
		if st, err := os.Stat(opt.ThemeDir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("theme directory %s is not a readable directory", opt.ThemeDir)
		}
		fsys = overlay{top: os.DirFS(opt.ThemeDir), base: embedded}
	}
	r := &Renderer{pages: map[string]*template.Template{}, assets: map[string]*Asset{}, byURL: map[string]*Asset{}, loc: opt.Location, media: strings.TrimRight(opt.MediaURL, "/")}
	if r.loc == nil {
		r.loc = time.UTC
	}
	if err := r.loadAssets(fsys); err != nil {
		return nil, err
	}
	funcs := r.funcs()
	for k, v := range opt.Funcs {
		funcs[k] = v
	}
	r.declared = funcs
	for _, ns := range namespaces {
		if err := r.parse(fsys, ns, funcs); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Admin is the prefix of the newsroom's pages and assets ("admin/edit",
// "admin/admin.css").
const Admin = "admin/"

// namespace is where one surface's templates live in the tree.
type namespace struct {
	prefix string // of page names
	dir    string // holds layout.html, the pages and partials/
}

var namespaces = []namespace{{"", "templates"}, {Admin, "templates/admin"}}

// parse parses every page template of ns, each with the namespace's
// layout and partials.
func (r *Renderer) parse(fsys fs.FS, ns namespace, funcs template.FuncMap) error {
	partials, err := fs.Glob(fsys, ns.dir+"/partials/*.html")
	if err != nil {
		return err
	}
	pages, err := fs.Glob(fsys, ns.dir+"/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		base := strings.TrimSuffix(path.Base(p), ".html")
		if base == "layout" {
			continue
		}
		files := append([]string{ns.dir + "/layout.html"}, partials...)
		files = append(files, p)
		t, err := template.New(base).Funcs(funcs).ParseFS(fsys, files...)
		if err != nil {
			return fmt.Errorf("parse template %s: %w", ns.prefix+base, err)
		}
		r.pages[ns.prefix+base] = t
	}
	return nil
}

// Bind gives template functions their implementations once the parts
// that provide them exist (the newsroom's storySuggest is made after the
// renderer). Only functions the renderer declares may be bound, so a
// template never parses against a name nobody provides. Call it before
// serving.
func (r *Renderer) Bind(funcs template.FuncMap) error {
	for name := range funcs {
		if _, ok := r.declared[name]; !ok {
			return fmt.Errorf("render: bind %q: no such template function", name)
		}
	}
	for _, t := range r.pages {
		t.Funcs(funcs)
	}
	return nil
}

// Render executes page into a buffer first, so that a template error never
// leaves half a page on the wire. Reader pages point media at the media
// URL (--media-url); admin pages keep /media/ (the editor's fields hold
// the paths articles store).
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	root := "layout"
	if base := path.Base(page); t.Lookup(base+"-root") != nil {
		root = base + "-root"
	}
	if err := t.ExecuteTemplate(&buf, root, data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	out := buf.Bytes()
	if r.media != "" && !strings.HasPrefix(page, Admin) {
		out = RewriteMedia(out, r.media)
	}
	_, err := w.Write(out)
	return err
}

var (
	mediaAttr  = []byte(`="/media/`)
	srcsetAttr = []byte(`srcset="`)
	mediaNext  = []byte(`, /media/`)
)

// RewriteMedia points the media files a page links to (attributes whose
// value starts /media/, and every candidate of a srcset) at base, the
// public address of the media storage. Text never holds `="/media/`:
// templates escape quotes in text. Pages are rewritten once, when
// rendered, not per request (they are cached).
func RewriteMedia(page []byte, base string) []byte {
	if !bytes.Contains(page, []byte("/media/")) {
		return page
	}
	page = bytes.ReplaceAll(page, mediaAttr, []byte(`="`+base+`/`))
	var b bytes.Buffer
	b.Grow(len(page))
	rest := page
	for {
		i := bytes.Index(rest, srcsetAttr)
		if i < 0 {
			break
		}
		i += len(srcsetAttr)
		j := bytes.IndexByte(rest[i:], '"')
		if j < 0 {
			break
		}
		b.Write(rest[:i])
		b.Write(bytes.ReplaceAll(rest[i:i+j], mediaNext, []byte(", "+base+"/")))
		rest = rest[i+j:]
	}
	b.Write(rest)
	return b.Bytes()
}

// Has reports whether a page template exists.
func (r *Renderer) Has(page string) bool { _, ok := r.pages[page]; return ok }

func (r *Renderer) loadAssets(fsys fs.FS) error {
	return fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		a := &Asset{Name: name, Body: body, ContentType: mime.TypeByExtension(ext),
			URL: "/assets/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext}
		if a.ContentType == "" {
			a.ContentType = "application/octet-stream"
		}
		a.encoded = NewEncoded(a.ContentType, body)
		r.assets[name] = a
		r.byURL[a.URL] = a
		return nil
	})
}

// AssetURL is the hashed URL of a named asset ("site.css",
// "admin/admin.css").
func (r *Renderer) AssetURL(name string) string {
	if a, ok := r.assets[name]; ok {
		return a.URL
	}
	return "/assets/missing/" + name
}

// Asset returns a named asset.
func (r *Renderer) Asset(name string) (*Asset, bool) { a, ok := r.assets[name]; return a, ok }

// ServeAsset serves /assets/... (the site's and the newsroom's) with a year-long immutable cache, brotli or
// gzip compressed (at start-up) as the browser accepts. Unknown hashes get
// 404 so a stale page never receives the wrong file.
func (r *Renderer) ServeAsset(w http.ResponseWriter, req *http.Request) {
	a, ok := r.byURL[req.URL.Path]
	if !ok {
		http.NotFound(w, req)
		return
	}
	a.encoded.ServeHTTP(w, req)
}

// overlay reads from top first and falls back to base.
type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		return f, nil
	}
	return o.base.Open(name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, f := range []fs.FS{o.top, o.base} {
		ents, _ := fs.ReadDir(f, name)
		for _, e := range ents {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if len(out) == 0 {
		return fs.ReadDir(o.base, name)
	}
	return out, nil
}
