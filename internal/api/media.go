package api

import (
	"net/http"

	"byline/internal/media"
)

// EnableMedia turns on the media endpoints of the Admin API.
func (a *API) EnableMedia(h *media.Handlers) { a.media = h }

// mediaRoutes: uploads and the library list, with an API token. The body
// limit comes first so that nothing reads more than an upload may be.
func (a *API) mediaRoutes(mux *http.ServeMux) {
	if a.media == nil || a.d.Admin == nil {
		return
	}
	t := a.RequireToken
	mux.Handle("POST /api/v1/admin/media", a.media.LimitBody(false)(t(http.HandlerFunc(a.media.APIUpload))))
	mux.Handle("GET /api/v1/admin/media", t(http.HandlerFunc(a.media.ListJSON)))
}
