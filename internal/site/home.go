package site

import (
	"net/http"
	"time"

	"byline/internal/news"
)

// HomePage is the data of home.html.
type HomePage struct {
	Base
	Top     []news.Article
	LeadURL string
	Latest  []news.Article
	// LatestMore is the rest of Latest: shown as it is on a wide screen,
	// folded behind "More latest stories" on a phone, where the list
	// comes before the section blocks.
	LatestMore []news.Article
	Sections   []SectionBlock
}

// SectionBlock is a top section with its newest articles.
type SectionBlock struct {
	Section  news.Section
	Articles []news.Article
}

func (s *Site) Home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.now()
	top, err := s.store.ListArticles(ctx, news.ArticleQuery{TopOnly: true, Limit: 4, Now: now, SkipTotal: true})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// Latest lists the newest stories not already shown above it or in a
	// section block, so more are fetched than it shows.
	latest, err := s.store.ListArticles(ctx, news.ArticleQuery{Limit: 40, Now: now, SkipTotal: true})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := HomePage{Base: s.base(s.cfg.Name, s.cfg.Tagline, "/"), Top: top.Articles}
	p.Current = "home"
	if len(p.Top) == 0 && len(latest.Articles) > 0 {
		p.Top = latest.Articles[:min(3, len(latest.Articles))]
	}
	if len(p.Top) > 0 {
		p.LeadURL = p.Top[0].URL()
	}
	seen := map[int64]bool{}
	for _, a := range p.Top {
		seen[a.ID] = true
	}
	tree := s.Tree()
	var lastMod time.Time
	for _, a := range latest.Articles {
		if t := a.LastModified(); t.After(lastMod) {
			lastMod = t
		}
	}
	// A block is one row of three cards on a wide screen (four left a
	// row with one card and two holes), and Latest runs about as long as
	// the blocks beside it.
	const blockSize, latestSize = 3, 20
	// On a phone Latest comes before the section blocks, in one column:
	// twenty rows were over four screens. A screen's worth shows; the rest
	// folds (wide screens show all of it, beside the blocks).
	const latestPhone = 8
	for _, sec := range tree.Children(0) {
		list, err := s.store.ListArticles(ctx, news.ArticleQuery{SectionIDs: tree.Subtree(sec.ID), Limit: 7, Now: now, SkipTotal: true})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		b := SectionBlock{Section: sec}
		for _, a := range list.Articles {
			if !seen[a.ID] && len(b.Articles) < blockSize {
				b.Articles = append(b.Articles, a)
			}
		}
		for _, a := range b.Articles {
			seen[a.ID] = true
		}
		p.Sections = append(p.Sections, b)
	}
	// A story appears once on the page: top stories, then section blocks,
	// then Latest with what is left.
	for _, a := range latest.Articles {
		if !seen[a.ID] && len(p.Latest) < latestSize {
			seen[a.ID] = true
			p.Latest = append(p.Latest, a)
		}
	}
	if len(p.Latest) > latestPhone {
		p.Latest, p.LatestMore = p.Latest[:latestPhone], p.Latest[latestPhone:]
	}
	p.OG = &OpenGraph{Type: "website", Title: s.cfg.Name, Description: s.cfg.Tagline, URL: s.abs("/")}
	p.JSONLD = append(p.JSONLD, s.websiteLD())
	p.Feeds = append(p.Feeds, FeedLink{Title: s.cfg.Name + " (Atom)", URL: "/feed/atom", Type: "application/atom+xml"},
		FeedLink{Title: s.cfg.Name + " (JSON Feed)", URL: "/feed/json", Type: "application/feed+json"})
	s.html(w, r, http.StatusOK, "home", p, lastMod)
}
