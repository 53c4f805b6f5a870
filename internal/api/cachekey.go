package api

import (
	"net/http"

	"byline/internal/pagecache"
)

// ArticleParams are the query parameters of GET /api/v1/articles; the
// route table keys its cache on them.
var ArticleParams = []string{"section", "tag", "author", "since", "until", "limit", "cursor"}

// CacheKey keys the page cache of a Content API route on its known
// parameters, and bypasses it for requests with unknown or repeated ones,
// so that the handler answers them with a 400 rather than the cache with
// a page for other input.
func CacheKey(params ...string) pagecache.Keyer {
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
