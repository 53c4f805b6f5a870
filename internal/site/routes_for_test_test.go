package site

import (
	"net/http"

	"byline/internal/pagecache"
)

// Routes mounts the reader handlers for this package's tests the way
// internal/server/routes_site.go does (the server's table is the one the
// application uses; it cannot be imported from here).
func (s *Site) Routes(mux *http.ServeMux, cache *pagecache.Cache) {
	plain := cache.Middleware(pagecache.KeyWith())
	paged := cache.Middleware(pagecache.KeyWith("page"))

	mux.Handle("GET /{$}", plain(http.HandlerFunc(s.Home)))
	mux.Handle("GET /section/{path...}", paged(http.HandlerFunc(s.Section)))
	mux.Handle("GET /article/{id}", http.HandlerFunc(s.ArticleShort))
	mux.Handle("GET /article/{id}/{slug}", plain(http.HandlerFunc(s.Article)))
	mux.Handle("GET /article/{id}/{slug}/print", plain(http.HandlerFunc(s.ArticlePrint)))
	mux.Handle("GET /author/{slug}", paged(http.HandlerFunc(s.Author)))
	mux.Handle("GET /tag/{tag}", paged(http.HandlerFunc(s.Tag)))
	mux.Handle("GET /corrections", plain(http.HandlerFunc(s.Corrections)))
	mux.Handle("GET /search", pagecache.Compress(http.HandlerFunc(s.Search)))

	s.feedRoutes(mux, plain)
}
