package site

import (
	"net/http"

	"byline/internal/news"
)

// ListPage is the data of list.html: an author's or a tag's articles.
type ListPage struct {
	Base
	Heading  string
	Intro    string
	Author   *news.Author
	Crumbs   []Crumb
	Articles []news.Article
	Pager    Pager
}

func (s *Site) listPage(w http.ResponseWriter, r *http.Request, q news.ArticleQuery, path string, p ListPage) {
	page, err := pageParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q.Limit, q.Offset, q.Now = perPage, (page-1)*perPage, s.now()
	list, err := s.store.ListArticles(r.Context(), q)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if page > 1 && len(list.Articles) == 0 {
		s.NotFound(w, r)
		return
	}
	p.Articles, p.Pager = list.Articles, pager(path, page, perPage, list.Total)
	p.JSONLD = append(p.JSONLD, s.breadcrumbLD(p.Crumbs, path))
	s.html(w, r, http.StatusOK, "list", p, latestChange(list.Articles))
}

func (s *Site) Author(w http.ResponseWriter, r *http.Request) {
	au, err := s.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	desc := au.Bio
	if desc == "" {
		desc = "Articles by " + au.Name + "."
	}
	p := ListPage{Base: s.base(au.Name, desc, au.URL()), Heading: au.Name, Author: &au,
		Crumbs: []Crumb{{Name: "Home", URL: "/"}, {Name: au.Name}}}
	p.OG = &OpenGraph{Type: "profile", Title: au.Name, Description: desc, URL: s.abs(au.URL())}
	p.JSONLD = append(p.JSONLD, s.personLD(au))
	s.listPage(w, r, news.ArticleQuery{AuthorID: au.ID}, au.URL(), p)
}

func (s *Site) Tag(w http.ResponseWriter, r *http.Request) {
	tag := news.NormalizeTag(r.PathValue("tag"))
	if tag == "" || len(tag) > 4*news.MaxTagLen {
		s.NotFound(w, r)
		return
	}
	if tag != r.PathValue("tag") {
		http.Redirect(w, r, news.TagURL(tag), http.StatusMovedPermanently)
		return
	}
	// A tag with no visible article does not exist for readers.
	probe, err := s.store.ListArticles(r.Context(), news.ArticleQuery{Tag: tag, Limit: 1, Now: s.now()})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if probe.Total == 0 {
		s.NotFound(w, r)
		return
	}
	// The page names the tag as the newest article writes it ("Seoul"); its
	// URL is the lowercased key, whatever the case asked for (301 above).
	label := tag
	if len(probe.Articles) > 0 {
		for _, t := range probe.Articles[0].Tags {
			if news.NormalizeTag(t) == tag {
				label = t
				break
			}
		}
	}
	p := ListPage{Base: s.base("Articles tagged “"+label+"”", "Articles about "+label+" from "+s.cfg.Name+".", news.TagURL(tag)),
		Heading: "Tagged: " + label, Crumbs: []Crumb{{Name: "Home", URL: "/"}, {Name: "Tag: " + label}}}
	s.listPage(w, r, news.ArticleQuery{Tag: tag}, news.TagURL(tag), p)
}
