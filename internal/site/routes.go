package site

import (
	"net/http"

	"byline/internal/pagecache"
)

// Routes registers every reader route. Pages that are the same for every
// reader go through the page cache; search does not (its answers are too
// many to keep, and fast to make).
func (s *Site) Routes(mux *http.ServeMux, cache *pagecache.Cache) {
	plain := cache.Middleware(pagecache.KeyWith())
	paged := cache.Middleware(pagecache.KeyWith("page"))

	mux.Handle("GET /{$}", plain(http.HandlerFunc(s.home)))
	mux.Handle("GET /section/{path...}", paged(http.HandlerFunc(s.section)))
	mux.Handle("GET /article/{id}", http.HandlerFunc(s.articleShort))
	mux.Handle("GET /article/{id}/{slug}", plain(http.HandlerFunc(s.article)))
	mux.Handle("GET /article/{id}/{slug}/print", plain(http.HandlerFunc(s.articlePrint)))
	mux.Handle("GET /author/{slug}", paged(http.HandlerFunc(s.author)))
	mux.Handle("GET /tag/{tag}", paged(http.HandlerFunc(s.tag)))
	mux.Handle("GET /corrections", plain(http.HandlerFunc(s.corrections)))
	mux.Handle("GET /search", pagecache.Compress(http.HandlerFunc(s.search)))

	s.feedRoutes(mux, plain)
}
