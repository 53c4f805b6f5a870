package server

import "net/http"

// routes is the whole route table: the server's own routes here, each
// surface's in its own routes.go.
func (s *Server) routes(mux *http.ServeMux) error {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /assets/", s.pages.ServeAsset)
	mux.Handle("GET /media/", s.serveMedia())

	s.site.Routes(mux, s.cache)
	s.newsroomRoutes(mux)
	s.api.Routes(mux)
	s.mediaRoutes(mux)
	s.commentRoutes(mux)
	s.dictionaryRoutes(mux)

	mux.HandleFunc("/", s.notFound)
	return nil
}
