package server

import (
	"net/http"

	"byline/internal/api"
)

// apiRoutes is the /api route table: the public Content API (answers the
// same for everyone, kept in the page cache until the next change), the
// token-authenticated Admin API (docs/api-admin.md), the comments API and
// the reader dictionary.
func (s *Server) apiRoutes() []route {
	form := s.cfg.MaxBodyBytes
	c := func(h http.HandlerFunc, params ...string) http.Handler {
		return s.cache.Middleware(api.CacheKey(params...))(h)
	}
	a := s.api
	rs := []route{
		{pattern: "GET /api/v1/articles", guard: open, body: form, h: c(a.ListArticles, api.ArticleParams...)},
		{pattern: "GET /api/v1/articles/{id}", guard: open, body: form, h: c(a.GetArticle)},
		{pattern: "GET /api/v1/sections", guard: open, body: form, h: c(a.ListSections)},
		{pattern: "GET /api/v1/authors", guard: open, body: form, h: c(a.ListAuthors)},
		{pattern: "GET /api/v1/authors/{slug}", guard: open, body: form, h: c(a.GetAuthor)},
		{pattern: "GET /api/v1/tags", guard: open, body: form, h: c(a.ListTags, "limit")},

		{pattern: "GET /api/dictionary", guard: open, body: form, h: hf(s.dict.ServeLookup)},
		{pattern: "GET /api/dictionary/terms", guard: open, body: form, h: hf(s.dict.ServeTerms)},
	}
	if s.newsroom != nil {
		token := guard{name: "api-token", forgery: "bearer token (never sent by a browser on its own)", wrap: a.RequireToken}
		rs = append(rs,
			route{pattern: "POST /api/v1/admin/articles", guard: token, body: form, h: hf(a.AdminCreate)},
			route{pattern: "GET /api/v1/admin/articles/{id}", guard: token, body: form, h: hf(a.AdminGet)},
			route{pattern: "PATCH /api/v1/admin/articles/{id}", guard: token, body: form, h: hf(a.AdminPatch)},
			route{pattern: "POST /api/v1/admin/articles/{id}/publish", guard: token, body: form, h: hf(a.AdminPublish)},
			route{pattern: "POST /api/v1/admin/articles/{id}/unpublish", guard: token, body: form, h: hf(a.AdminUnpublish)},
			route{pattern: "POST /api/v1/admin/articles/{id}/corrections", guard: token, body: form, h: hf(a.AdminCorrect)},
			route{pattern: "GET /api/v1/admin/articles/{id}/changes", guard: token, body: form, h: hf(a.AdminChangesGet)},
			route{pattern: "PUT /api/v1/admin/articles/{id}/changes", guard: token, body: form, h: hf(a.AdminChangesPut)},
			route{pattern: "POST /api/v1/admin/articles/{id}/changes/publish", guard: token, body: form, h: hf(a.AdminChangesPublish)},
			route{pattern: "DELETE /api/v1/admin/articles/{id}/changes", guard: token, body: form, h: hf(a.AdminChangesDelete)},
		)
		if m := s.library.media; m != nil {
			rs = append(rs,
				route{pattern: "POST /api/v1/admin/media", guard: token, body: m.MaxBody(), h: hf(m.APIUpload), tooLarge: m.TooLarge(false)},
				route{pattern: "GET /api/v1/admin/media", guard: token, body: form, h: hf(m.ListJSON)},
				route{pattern: "PUT /api/v1/admin/media/{id}", guard: token, body: m.MaxBody(), h: hf(m.APIReplace), tooLarge: m.TooLarge(false)},
				route{pattern: "DELETE /api/v1/admin/media/{id}", guard: token, body: form, h: hf(m.APIDelete)},
			)
		}
	}
	if s.comments != nil {
		reader := s.readerGuard()
		ca := s.comments.api
		rs = append(rs,
			route{pattern: "GET /api/v1/me", guard: open, body: form, h: hf(ca.Me)},
			route{pattern: "GET /api/v1/articles/{id}/comments", guard: open, body: form, h: hf(ca.List)},
			route{pattern: "POST /api/v1/articles/{id}/comments", guard: reader, body: form, h: hf(ca.Post)},
			route{pattern: "PATCH /api/v1/comments/{id}", guard: reader, body: form, h: hf(ca.Edit)},
			route{pattern: "DELETE /api/v1/comments/{id}", guard: reader, body: form, h: hf(ca.Delete)},
			route{pattern: "POST /api/v1/comments/{id}/recommend", guard: reader, body: form, h: hf(ca.Recommend)},
			route{pattern: "POST /api/v1/comments/{id}/report", guard: reader, body: form, h: hf(ca.Report)},
			route{pattern: "POST /api/v1/comments/{id}/appeal", guard: reader, body: form, h: hf(ca.Appeal)},
		)
		if s.newsroom != nil {
			token := guard{name: "api-token", forgery: "bearer token (never sent by a browser on its own)", wrap: a.RequireToken}
			rs = append(rs,
				route{pattern: "POST /api/v1/admin/comments/{id}/moderate", guard: token, body: form, h: hf(ca.AdminModerate)},
				route{pattern: "GET /api/v1/admin/appeals", guard: token, body: form, h: hf(ca.AdminAppeals)},
				route{pattern: "GET /api/v1/admin/appeals/{id}", guard: token, body: form, h: hf(ca.AdminAppeal)},
				route{pattern: "POST /api/v1/admin/appeals/{id}/decide", guard: token, body: form, h: hf(ca.AdminDecideAppeal)},
			)
		}
	}
	return rs
}
