// Package render owns the reader-facing look: HTML templates and static
// assets, embedded in the binary, parsed once at start-up, optionally
// overridden file by file from a theme directory. Assets are served at
// content-hashed URLs so browsers and CDNs may keep them forever.
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
}

// Options configure a Renderer.
type Options struct {
	// ThemeDir, when set, holds templates/ and assets/ files that replace
	// the embedded ones of the same name.
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
	partials, err := fs.Glob(fsys, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" {
			continue
		}
		files := append([]string{"templates/layout.html"}, partials...)
		files = append(files, p)
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, files...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render executes page into a buffer first, so that a template error never
// leaves half a page on the wire.
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	root := "layout"
	if t.Lookup(page+"-root") != nil {
		root = page + "-root"
	}
	if err := t.ExecuteTemplate(&buf, root, data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	out := buf.Bytes()
	if r.media != "" {
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

// AssetURL is the hashed URL of a named asset ("site.css").
func (r *Renderer) AssetURL(name string) string {
	if a, ok := r.assets[name]; ok {
		return a.URL
	}
	return "/assets/missing/" + name
}

// Asset returns a named asset.
func (r *Renderer) Asset(name string) (*Asset, bool) { a, ok := r.assets[name]; return a, ok }

// ServeAsset serves /assets/... with a year-long immutable cache, brotli or
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
