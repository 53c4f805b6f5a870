package site

import (
	"net/http"
	"time"

	"byline/internal/news"
)

// CorrectionsPage lists public corrections, newest first.
type CorrectionsPage struct {
	Base
	Crumbs []Crumb
	Items  []CorrectionItem
}

// CorrectionItem is a correction with its article's headline and URL.
type CorrectionItem struct {
	news.Correction
	Headline, URL string
}

func (s *Site) Corrections(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.ListCorrections(r.Context(), 100, 0)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := CorrectionsPage{Base: s.base("Corrections", "Corrections and updates published by "+s.cfg.Name+".", "/corrections"),
		Crumbs: []Crumb{{Name: "Home", URL: "/"}, {Name: "Corrections"}}}
	var lastMod time.Time
	for _, c := range list {
		a, err := s.store.ArticleByID(r.Context(), c.ArticleID)
		if err != nil {
			continue
		}
		p.Items = append(p.Items, CorrectionItem{Correction: c, Headline: a.Headline, URL: a.URL()})
		if c.CreatedAt.After(lastMod) {
			lastMod = c.CreatedAt
		}
	}
	s.html(w, r, http.StatusOK, "corrections", p, lastMod)
}
