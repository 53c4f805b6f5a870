package api

import "net/http"

// Routes registers every API route.
func (a *API) Routes(mux *http.ServeMux) {
	a.contentRoutes(mux)
	a.adminRoutes(mux)
	a.mediaRoutes(mux)
}
