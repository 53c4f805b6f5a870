package api

import "net/http"

// adminRoutes is the token-authenticated Admin API (docs/api-admin.md).
// Media uploads (POST /api/v1/admin/media) are registered by media*.go
// with the same RequireToken.
func (a *API) adminRoutes(mux *http.ServeMux) {
	if a.d.Admin == nil {
		return
	}
	t := a.RequireToken
	mux.Handle("POST /api/v1/admin/articles", t(http.HandlerFunc(a.adminCreate)))
	mux.Handle("GET /api/v1/admin/articles/{id}", t(http.HandlerFunc(a.adminGet)))
	mux.Handle("PATCH /api/v1/admin/articles/{id}", t(http.HandlerFunc(a.adminPatch)))
	mux.Handle("POST /api/v1/admin/articles/{id}/publish", t(http.HandlerFunc(a.adminPublish)))
	mux.Handle("POST /api/v1/admin/articles/{id}/unpublish", t(http.HandlerFunc(a.adminUnpublish)))
	mux.Handle("POST /api/v1/admin/articles/{id}/corrections", t(http.HandlerFunc(a.adminCorrect)))
}
