package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"byline/internal/news"
	"byline/internal/respond"
)

// The route table. Every pattern the application answers is listed in one
// of three files, one per surface, with who may call it, how a forged
// cross-site request is refused and the largest body it reads:
//
//	routes_site.go   reader pages, feeds, sign-in, comment pages
//	routes_api.go    /api: Content API, Admin API, comments, dictionary
//	routes_admin.go  /admin: the newsroom and the features' admin pages
//
// Handlers live in their packages; no package registers its own routes.

// route is one line of the table.
type route struct {
	pattern string
	guard   guard
	// body is the largest request body read, in bytes: a larger declared
	// body is refused with 413 before any handler (authentication
	// included) runs, and a longer undeclared one stops there.
	body int64
	h    http.Handler
	// tooLarge answers a refused body (nil: the surface's default).
	tooLarge http.HandlerFunc
}

// guard is who may call a route and how a cross-site forgery is refused.
type guard struct {
	name string
	// forgery says how a state-changing request from another site is
	// refused; empty for guards that must only guard reads.
	forgery string
	wrap    Middleware // nil: nothing to check
}

func (g guard) apply(h http.Handler) http.Handler {
	if g.wrap == nil {
		return h
	}
	return g.wrap(h)
}

// open is for reads anyone may make (and the catch-all).
var open = guard{name: "open"}

// readerGuard: the reader's own cookie, so a same-origin check
// (CrossOriginProtection: Sec-Fetch-Site or Origin) stops forgeries.
func (s *Server) readerGuard() guard {
	return guard{name: "reader", forgery: "same-origin", wrap: s.readerCOP.Handler}
}

// routes gathers the three surfaces, adds the server's own routes and
// checks that no pattern is listed twice.
func (s *Server) routes() []route {
	form := s.cfg.MaxBodyBytes
	own := []route{
		{pattern: "GET /healthz", guard: open, body: form, h: http.HandlerFunc(s.healthz)},
		{pattern: "GET /readyz", guard: open, body: form, h: http.HandlerFunc(s.readyz)},
		{pattern: "GET /assets/", guard: open, body: form, h: http.HandlerFunc(s.pages.ServeAsset)},
		{pattern: "GET /media/", guard: open, body: form, h: s.serveMedia()},
	}
	all := slices.Concat(own, s.siteRoutes(), s.apiRoutes(), s.adminRoutes())
	// Everything else: the 404 page (or JSON under /api/), or a 405 for a
	// path that exists for GET.
	return append(all, route{pattern: "/", guard: open, body: form, h: http.HandlerFunc(s.notFound)})
}

// mount registers the table on mux: each route behind its body limit,
// then its guard.
func (s *Server) mount(mux *http.ServeMux, table []route) error {
	seen := map[string]bool{}
	for _, rt := range table {
		if seen[rt.pattern] {
			return fmt.Errorf("server: route %q listed twice", rt.pattern)
		}
		seen[rt.pattern] = true
		if rt.body <= 0 {
			return fmt.Errorf("server: route %q has no body limit", rt.pattern)
		}
		refuse := rt.tooLarge
		if refuse == nil {
			refuse = s.tooLarge(rt.pattern, rt.body)
		}
		mux.Handle(rt.pattern, limitBody(rt.body, refuse)(rt.guard.apply(rt.h)))
	}
	return nil
}

// tooLarge is a surface's answer to a body over the limit: a JSON error
// under /api/, the newsroom's error page under /admin, plain text
// elsewhere.
func (s *Server) tooLarge(pattern string, limit int64) http.HandlerFunc {
	msg := "the request body is larger than " + byteSize(limit) + ", the limit here"
	path := pattern[strings.IndexByte(pattern, ' ')+1:]
	switch {
	case strings.HasPrefix(path, "/api/"):
		return func(w http.ResponseWriter, r *http.Request) {
			respond.JSON(w, http.StatusRequestEntityTooLarge, respond.ErrorBody{Error: respond.ErrorDetail{Code: news.KindTooLarge.String(), Message: msg}})
		}
	case strings.HasPrefix(path, "/admin") && s.Newsroom() != nil:
		nr := s.Newsroom()
		return func(w http.ResponseWriter, r *http.Request) {
			nr.Error(w, r, news.Errorf(news.KindTooLarge, "%s", msg))
		}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Request body too large: "+msg+".", http.StatusRequestEntityTooLarge)
	}
}

func byteSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", max(1, n>>10))
}

// hf is short for http.HandlerFunc in the tables.
type hf = http.HandlerFunc
