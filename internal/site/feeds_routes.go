package site

import "net/http"

// feedRoutes registers feeds, sitemaps, robots.txt and OpenSearch.
func (s *Site) feedRoutes(mux *http.ServeMux, cached func(http.Handler) http.Handler) {
}
