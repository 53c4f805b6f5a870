package api

import (
	"net/http"

	"byline/internal/pagecache"
)

// contentRoutes is the public, read-only Content API (docs/api.md). Its
// answers are the same for everyone, so they go through the page cache
// (when the server gives one), which every publish, update or unpublish
// purges.
func (a *API) contentRoutes(mux *http.ServeMux) {
	c := func(h http.HandlerFunc, params ...string) http.Handler {
		if a.d.Cache == nil {
			return h
		}
		return a.d.Cache.Middleware(strictKey(params...))(h)
	}
	mux.Handle("GET /api/v1/articles", c(a.listArticles, articleParams...))
	mux.Handle("GET /api/v1/articles/{id}", c(a.getArticle))
	mux.Handle("GET /api/v1/sections", c(a.listSections))
	mux.Handle("GET /api/v1/authors", c(a.listAuthors))
	mux.Handle("GET /api/v1/authors/{slug}", c(a.getAuthor))
	mux.Handle("GET /api/v1/tags", c(a.listTags, "limit"))
}

var articleParams = []string{"section", "tag", "author", "since", "until", "limit", "cursor"}

// strictKey keys the cache on the known parameters, and bypasses it for
// requests with unknown or repeated ones, so that the handler answers
// them with a 400 rather than the cache with a page for other input.
func strictKey(params ...string) pagecache.Keyer {
	key := pagecache.KeyWith(params...)
	return func(r *http.Request) string {
		for k, v := range r.URL.Query() {
			known := false
			for _, p := range params {
				known = known || p == k
			}
			if !known || len(v) > 1 {
				return ""
			}
		}
		return key(r)
	}
}
