package site

import "net/http"

// feedRoutes mounts feeds (tests; see routes_for_test_test.go), sitemaps, robots.txt and OpenSearch. All of
// them are the same for everyone, so all go through the page cache.
func (s *Site) feedRoutes(mux *http.ServeMux, cached func(http.Handler) http.Handler) {
	for _, f := range []FeedFormat{FeedRSS, FeedAtom, FeedJSON} {
		h := cached(s.Feed(f))
		mux.Handle("GET /feed/"+f.Name(), h)
		mux.Handle("GET /feed/"+f.Name()+"/{path...}", h)
	}
	// /feed and /feed/ are where WordPress and many other systems keep
	// their feed: subscribers of a moved paper land on ours.
	toRSS := http.RedirectHandler("/feed/rss", http.StatusMovedPermanently)
	mux.Handle("GET /feed", toRSS)
	mux.Handle("GET /feed/{$}", toRSS)
	s.sitemapRoutes(mux, cached, ArticlesPerSitemap)
	mux.Handle("GET /robots.txt", cached(http.HandlerFunc(s.Robots)))
	mux.Handle("GET /opensearch.xml", cached(http.HandlerFunc(s.OpenSearch)))
}

// sitemapRoutes registers the sitemaps with per articles to a file (tests
// use a small number to exercise paging).
func (s *Site) sitemapRoutes(mux *http.ServeMux, cached func(http.Handler) http.Handler, per int) {
	mux.Handle("GET /sitemap.xml", cached(s.SitemapIndex(per)))
	mux.Handle("GET /sitemaps/{file}", cached(s.SitemapFile(per)))
	mux.Handle("GET /news-sitemap.xml", cached(http.HandlerFunc(s.NewsSitemap)))
}
