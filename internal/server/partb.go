package server

import (
	"byline/internal/api"
)

// newAPI builds the JSON surface (Content API; the Admin API adds its
// dependencies to api.Deps).
func (s *Server) newAPI(d Deps) *api.API {
	return api.New(api.Deps{Store: d.Store, Content: api.ContentStoreOf(d.Store), Markup: s.markup, Tree: s.site.Tree,
		BaseURL: d.Config.BaseURL, Now: s.now})
}
