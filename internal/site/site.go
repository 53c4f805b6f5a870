// Package site serves the reader's side of the paper: the front page,
// section fronts, articles and their print view, author and tag pages,
// search, corrections, feeds, sitemaps and robots.txt. Every page here is
// the same for every anonymous reader, so the server caches it whole.
package site

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"byline/internal/live"
	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/render"
	"byline/internal/respond"
)

// Config is what the reader site needs of the configuration.
type Config struct {
	Name     string
	Tagline  string
	XAccount string // "@name" for twitter:site, or empty
	BaseURL  string // no trailing slash
	Lang     string
	Location *time.Location
}

// Site holds the reader site's dependencies.
type Site struct {
	cfg    Config
	store  news.Store
	pages  *render.Renderer
	md     *markup.Renderer
	tree   atomic.Pointer[news.Tree]
	now    func() time.Time
	logger *slog.Logger
	hub    *live.Hub
	// authors is the author list searches match names against (see
	// searchAuthors), kept while authorsGen stays as it was read.
	authors    atomic.Pointer[authorList]
	authorsGen atomic.Uint64
}

type authorList struct {
	gen  uint64
	list []news.Author
}

// Deps are what New needs.
type Deps struct {
	Config Config
	Store  news.Store
	Pages  *render.Renderer
	Markup *markup.Renderer
	Now    func() time.Time
	Logger *slog.Logger
	// Live carries running stories' changes to open pages (nil: no live
	// streams).
	Live *live.Hub
}

// New builds the site and loads the section tree.
func New(ctx context.Context, d Deps) (*Site, error) {
	s := &Site{cfg: d.Config, store: d.Store, pages: d.Pages, md: d.Markup, now: d.Now, logger: d.Logger, hub: d.Live}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.cfg.Lang == "" {
		s.cfg.Lang = "en"
	}
	if s.cfg.Location == nil {
		s.cfg.Location = time.UTC
	}
	if err := s.ReloadSections(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// ReloadSections reads the section tree again (after a section change).
func (s *Site) ReloadSections(ctx context.Context) error {
	s.AuthorsChanged()
	all, err := s.store.ListSections(ctx)
	if err != nil {
		return fmt.Errorf("load sections: %w", err)
	}
	s.tree.Store(news.NewTree(all))
	return nil
}

// AuthorsChanged drops the author list kept for search: the server calls
// it on every change that may be an author's (content, sections, a
// resync after another process wrote).
func (s *Site) AuthorsChanged() { s.authorsGen.Add(1) }

// searchAuthors is the author list, read from the store once per change
// rather than on every search. A list read while a change came is kept
// under the generation it was read at, so the next search reads again.
func (s *Site) searchAuthors(ctx context.Context) ([]news.Author, error) {
	gen := s.authorsGen.Load()
	if l := s.authors.Load(); l != nil && l.gen == gen {
		return l.list, nil
	}
	list, err := s.store.ListAuthors(ctx)
	if err != nil {
		return nil, err
	}
	s.authors.Store(&authorList{gen: gen, list: list})
	return list, nil
}

// Tree is the current section tree.
func (s *Site) Tree() *news.Tree { return s.tree.Load() }

// SiteInfo is what the layout shows on every page.
type SiteInfo struct {
	Name, Tagline, BaseURL, Lang string
	XAccount                     string // "@name", or empty
	Nav                          []news.Section
	Today                        string
	Year                         int
}

// Crumb is one step of a breadcrumb trail; the last has no URL.
type Crumb struct {
	Name, URL string
}

// OpenGraph is the Open Graph / Twitter card description of a page.
type OpenGraph struct {
	Type, Title, Description, URL, Image, ImageAlt string
	Published, Modified, Section                   string
	Tags                                           []string
}

// FeedLink is a <link rel=alternate> to a feed.
type FeedLink struct{ Title, URL, Type string }

// Base is the part of every page's data that the layout reads.
type Base struct {
	Site        SiteInfo
	Title       string
	Description string
	Canonical   string
	Robots      string
	Current     string // "home" or the top section path, for the nav
	BodyClass   string
	// Preview marks the editor's preview of an unpublished page: the
	// layout says so above the content.
	Preview bool
	// PageLang is the language of a page written in another language
	// than the site's (the comment pages in Korean): <html lang> names
	// it, and the masthead and footer keep the site's.
	PageLang string
	OG       *OpenGraph
	JSONLD   []template.JS
	Feeds    []FeedLink
}

func (s *Site) base(title, description, canonicalPath string) Base {
	now := s.now().In(s.cfg.Location)
	b := Base{
		Site: SiteInfo{Name: s.cfg.Name, Tagline: s.cfg.Tagline, XAccount: s.cfg.XAccount, BaseURL: s.cfg.BaseURL, Lang: s.cfg.Lang,
			Nav: s.Tree().Children(0), Today: now.Format("Monday, January 2, 2006"), Year: now.Year()},
		Title:       title,
		Description: description,
		Feeds:       []FeedLink{{Title: s.cfg.Name + " (RSS)", URL: "/feed/rss", Type: "application/rss+xml"}},
	}
	if title == "" {
		b.Title = s.cfg.Name
	} else if title != s.cfg.Name {
		b.Title = title + " | " + s.cfg.Name
	}
	if canonicalPath != "" {
		b.Canonical = s.cfg.BaseURL + canonicalPath
	}
	return b
}

// abs makes a site path absolute.
func (s *Site) abs(path string) string { return s.cfg.BaseURL + path }

// html renders a page with the cache headers of a public page.
func (s *Site) html(w http.ResponseWriter, r *http.Request, status int, page string, data any, lastMod time.Time) {
	var buf bytes.Buffer
	if err := s.pages.Render(&buf, page, data); err != nil {
		s.logger.ErrorContext(r.Context(), "render", "page", page, "err", err)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		// Browsers revalidate (cheap 304s); shared caches may keep it a
		// minute and serve stale while they refresh.
		h.Set("Cache-Control", "public, max-age=0, s-maxage=60, stale-while-revalidate=30")
		if !lastMod.IsZero() {
			h.Set("Last-Modified", lastMod.UTC().Format(http.TimeFormat))
		}
	} else {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorPage is the data of error.html.
type ErrorPage struct {
	Base
	Heading, Message string
	// MessageLang names the message's language when it is not the
	// page's (a domain message left in English on a Korean page).
	MessageLang string
	// The words around the message: the search box and the way home.
	SearchLabel, SearchButton, HomeLink string
}

// Error answers err with a page in the site's layout and the status its
// kind calls for. Internal errors are logged and not described.
func (s *Site) Error(w http.ResponseWriter, r *http.Request, err error) {
	s.ErrorIn(w, r, err, nil)
}

// ErrorIn is Error whose page tr may put in another language (the
// comment pages' errors in Korean): it gets the status and the page in
// English, the message as the domain wrote it.
func (s *Site) ErrorIn(w http.ResponseWriter, r *http.Request, err error, tr func(status int, p *ErrorPage)) {
	err = respond.Classify(r, err)
	status := respond.StatusOf(err)
	respond.RetryAfter(w, status)
	p := ErrorPage{Base: s.base("", "", ""), Message: news.PublicMessage(err),
		SearchLabel: "Search the paper", SearchButton: "Search", HomeLink: "Go to the front page"}
	p.Robots = "noindex"
	switch status {
	case http.StatusNotFound:
		p.Heading = "Page not found"
		p.Title = "Page not found | " + s.cfg.Name
		p.Message = "We could not find that page. It may have moved, or the address may be mistyped."
	case http.StatusBadRequest:
		p.Heading = "That request did not make sense to us"
		p.Title = "Bad request | " + s.cfg.Name
	case http.StatusServiceUnavailable:
		respond.LogError(r, "internal error", err)
		p.Heading = "Briefly unavailable"
		p.Title = p.Heading + " | " + s.cfg.Name
	case http.StatusInsufficientStorage:
		respond.LogError(r, "internal error", err)
		p.Heading = "Nothing was saved"
		p.Title = p.Heading + " | " + s.cfg.Name
	default:
		if status >= 500 {
			respond.LogError(r, "internal error", err)
		}
		p.Heading = "Something went wrong"
		p.Title = p.Heading + " | " + s.cfg.Name
	}
	if tr != nil {
		tr(status, &p)
	}
	p.Message = sentence(p.Message)
	s.html(w, r, status, "error", p, time.Time{})
}

// sentence writes a domain message ("this link is not valid; it may be
// incomplete", written for JSON) as a sentence of a page: a capital
// first letter and a full stop.
func sentence(m string) string {
	r, n := utf8.DecodeRuneInString(m)
	if n == 0 {
		return m
	}
	m = string(unicode.ToUpper(r)) + m[n:]
	if last, _ := utf8.DecodeLastRuneInString(m); !strings.ContainsRune(".!?。", last) {
		m += "."
	}
	return m
}

// NotFound answers with the site's 404 page.
func (s *Site) NotFound(w http.ResponseWriter, r *http.Request) {
	s.Error(w, r, news.NotFound("page"))
}

// Pager describes list paging for the "pager" template.
type Pager struct {
	Page, Pages      int
	PrevURL, NextURL string
}

const maxPage = 100_000

// pageParam reads ?page=N: missing means 1, junk is a 400, and numbers
// past the end are the caller's 404.
func pageParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPage {
		return 0, news.Invalid("page", "page must be a whole number from 1 to %d", maxPage)
	}
	return n, nil
}

func pager(path string, page, perPage, total int) Pager {
	p := Pager{Page: page, Pages: max(1, (total+perPage-1)/perPage)}
	if page > 1 {
		p.PrevURL = path
		if page > 2 {
			p.PrevURL += "?page=" + strconv.Itoa(page-1)
		}
	}
	if page < p.Pages {
		p.NextURL = path + "?page=" + strconv.Itoa(page+1)
	}
	return p
}
