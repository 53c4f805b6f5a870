package api

import "net/http"

// contentRoutes is the public, read-only Content API (docs/api.md).
func (a *API) contentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/articles", a.listArticles)
	mux.HandleFunc("GET /api/v1/articles/{id}", a.getArticle)
	mux.HandleFunc("GET /api/v1/sections", a.listSections)
	mux.HandleFunc("GET /api/v1/authors", a.listAuthors)
	mux.HandleFunc("GET /api/v1/authors/{slug}", a.getAuthor)
	mux.HandleFunc("GET /api/v1/tags", a.listTags)
}
