package site

import "net/http"

// feedRoutes registers feeds, sitemaps, robots.txt and OpenSearch. All of
// them are the same for everyone, so all go through the page cache.
func (s *Site) feedRoutes(mux *http.ServeMux, cached func(http.Handler) http.Handler) {
	for _, f := range []feedFormat{formatRSS, formatAtom, formatJSON} {
		h := cached(s.feed(f))
		mux.Handle("GET /feed/"+f.name(), h)
		mux.Handle("GET /feed/"+f.name()+"/{path...}", h)
	}
	// /feed and /feed/ are where WordPress and many other systems keep
	// their feed: subscribers of a moved paper land on ours.
	toRSS := http.RedirectHandler("/feed/rss", http.StatusMovedPermanently)
	mux.Handle("GET /feed", toRSS)
	mux.Handle("GET /feed/{$}", toRSS)
	s.sitemapRoutes(mux, cached, articlesPerSitemap)
	mux.Handle("GET /robots.txt", cached(http.HandlerFunc(s.robots)))
	mux.Handle("GET /opensearch.xml", cached(http.HandlerFunc(s.openSearch)))
}

// sitemapRoutes registers the sitemaps with per articles to a file (tests
// use a small number to exercise paging).
func (s *Site) sitemapRoutes(mux *http.ServeMux, cached func(http.Handler) http.Handler, per int) {
	mux.Handle("GET /sitemap.xml", cached(s.sitemapIndex(per)))
	mux.Handle("GET /sitemaps/{file}", cached(s.sitemapFile(per)))
	mux.Handle("GET /news-sitemap.xml", cached(http.HandlerFunc(s.newsSitemap)))
}
