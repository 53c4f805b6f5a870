package site

import (
	"net/http"
	"strings"

	"byline/internal/news"
)

const perPage = 20

// SectionPage is the data of section.html.
type SectionPage struct {
	Base
	Section  news.Section
	Crumbs   []Crumb
	Children []news.Section
	Articles []news.Article
	Pager    Pager
	// Elsewhere is the paper's latest outside this section (first page
	// only): the side column of a wide screen, below the list on a phone.
	Elsewhere []news.Article
}

// elsewhereCount is how many stories the side column of a section front
// lists.
const elsewhereCount = 8

func (s *Site) crumbsFor(tree *news.Tree, sectionID int64, lastLinked bool) []Crumb {
	c := []Crumb{{Name: "Home", URL: "/"}}
	trail := tree.Trail(sectionID)
	for i, sec := range trail {
		cr := Crumb{Name: sec.Name, URL: sec.URL()}
		if i == len(trail)-1 && !lastLinked {
			cr.URL = ""
		}
		c = append(c, cr)
	}
	return c
}

func (s *Site) Section(w http.ResponseWriter, r *http.Request) {
	path := r.PathValue("path")
	if strings.HasSuffix(path, "/") {
		http.Redirect(w, r, "/section/"+strings.TrimRight(path, "/"), http.StatusMovedPermanently)
		return
	}
	tree := s.Tree()
	sec, ok := tree.ByPath(path)
	if !ok {
		s.NotFound(w, r)
		return
	}
	page, err := pageParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.store.ListArticles(r.Context(), news.ArticleQuery{SectionIDs: tree.Subtree(sec.ID), Limit: perPage, Offset: (page - 1) * perPage, Now: s.now()})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if page > 1 && len(list.Articles) == 0 {
		s.NotFound(w, r)
		return
	}
	desc := sec.Description
	if desc == "" {
		desc = "The latest " + sec.Name + " news from " + s.cfg.Name + "."
	}
	canonical := sec.URL()
	if page > 1 {
		canonical += "?page=" + itoa(page)
	}
	p := SectionPage{Base: s.base(sec.Name, desc, canonical), Section: sec, Crumbs: s.crumbsFor(tree, sec.ID, false),
		Children: tree.Children(sec.ID), Articles: list.Articles, Pager: pager(sec.URL(), page, perPage, list.Total)}
	p.Current = strings.SplitN(sec.Path, "/", 2)[0]
	p.OG = &OpenGraph{Type: "website", Title: sec.Name + " | " + s.cfg.Name, Description: desc, URL: s.abs(canonical)}
	p.JSONLD = append(p.JSONLD, s.breadcrumbLD(p.Crumbs, sec.URL()))
	p.Feeds = append(p.Feeds, FeedLink{Title: sec.Name + " (RSS)", URL: "/feed/rss/" + sec.Path, Type: "application/rss+xml"},
		FeedLink{Title: sec.Name + " (Atom)", URL: "/feed/atom/" + sec.Path, Type: "application/atom+xml"})
	if page == 1 {
		in := map[int64]bool{}
		for _, id := range tree.Subtree(sec.ID) {
			in[id] = true
		}
		all, err := s.store.ListArticles(r.Context(), news.ArticleQuery{Limit: 3 * elsewhereCount, Now: s.now()})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		for _, a := range all.Articles {
			if !in[a.SectionID] && len(p.Elsewhere) < elsewhereCount {
				p.Elsewhere = append(p.Elsewhere, a)
			}
		}
	}
	lastMod := latestChange(list.Articles)
	s.html(w, r, http.StatusOK, "section", p, lastMod)
}
