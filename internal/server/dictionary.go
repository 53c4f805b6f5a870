package server

import (
	"net/http"

	"byline/internal/dictionary/dictweb"
	"byline/internal/newsroom"
)

// initDictionary builds the reader dictionary and starts decoding its
// lexicon in the background, so that no page or first look-up waits for it.
func (s *Server) initDictionary() {
	s.dict = dictweb.New(dictweb.Options{Store: s.store, Logger: s.logger, Now: s.now})
	if nr := s.Newsroom(); nr != nil {
		s.glossary = newsroom.NewGlossaryAdmin(s.dict, nr, func(r *http.Request) string {
			u, _ := newsroom.CurrentUser(r)
			return u.Email
		})
	}
	go s.dict.Warm(s.bgCtx)
}

// Dictionary is the reader dictionary service (tests and benchmarks).
func (s *Server) Dictionary() *dictweb.Service { return s.dict }
