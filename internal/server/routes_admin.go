package server

import (
	"net/http"

	"byline/internal/dictionary/dictweb"
	"byline/internal/news"
	"byline/internal/newsroom"
)

// adminRoutes is the /admin route table: the newsroom's pages and the admin
// pages of media, webhooks, comment moderation and the glossary. Every
// page but sign-in needs a staff session of at least the guard's role;
// its state-changing requests must be same-origin and carry the session's
// CSRF token (newsroom.RequireRole).
func (s *Server) adminRoutes() []route {
	nr := s.Newsroom()
	if nr == nil {
		return nil
	}
	form := s.cfg.MaxBodyBytes
	role := func(r news.Role) guard {
		return guard{name: string(r), forgery: "same-origin + session CSRF token", wrap: nr.RequireRole(r)}
	}
	staff, editor, admin := role(news.RoleContributor), role(news.RoleEditor), role(news.RoleAdmin)
	signin := guard{name: "sign-in", forgery: "same-origin", wrap: nr.SameOrigin}
	// The editor's form may carry an image from its upload box (without
	// script): its saves take an upload's size and upload it first.
	editorBody, editorSave := form, func(h http.HandlerFunc) http.Handler { return h }
	if m := s.library.media; m != nil {
		editorBody = m.MaxBody()
		editorSave = func(h http.HandlerFunc) http.Handler { return m.EditorUpload(h, nr.RefuseEditorUpload) }
	}
	st := s.newsroom.stories

	rs := []route{
		{pattern: "GET /admin/login", guard: open, body: form, h: hf(nr.LoginForm)},
		{pattern: "POST /admin/login", guard: signin, body: form, h: hf(nr.Login)},
		{pattern: "POST /admin/logout", guard: staff, body: form, h: hf(nr.Logout)},
		{pattern: "POST /admin/logout-everywhere", guard: staff, body: form, h: hf(nr.LogoutEverywhere)},
		{pattern: "GET /admin", guard: open, body: form, h: http.RedirectHandler("/admin/", http.StatusMovedPermanently)},
		{pattern: "GET /admin/{$}", guard: staff, body: form, h: hf(nr.Dashboard)},

		{pattern: "GET /admin/articles", guard: staff, body: form, h: hf(nr.Articles)},
		{pattern: "GET /admin/articles/new", guard: staff, body: form, h: hf(nr.NewArticle)},
		{pattern: "POST /admin/articles", guard: staff, body: editorBody, h: editorSave(nr.CreateArticle)},
		{pattern: "GET /admin/articles/{id}", guard: staff, body: form, h: hf(nr.EditArticle)},
		{pattern: "POST /admin/articles/{id}", guard: staff, body: editorBody, h: editorSave(nr.SaveArticle)},
		{pattern: "POST /admin/articles/{id}/autosave", guard: staff, body: form, h: hf(nr.Autosave)},
		{pattern: "POST /admin/preview", guard: staff, body: form, h: hf(nr.Preview)},
		{pattern: "GET /admin/articles/{id}/revisions", guard: staff, body: form, h: hf(nr.Revisions)},
		{pattern: "POST /admin/articles/{id}/revisions/{rev}/restore", guard: editor, body: form, h: hf(nr.Restore)},
		{pattern: "POST /admin/articles/{id}/corrections", guard: editor, body: form, h: hf(nr.Correct)},

		{pattern: "GET /admin/stories", guard: staff, body: form, h: hf(st.List)},
		{pattern: "POST /admin/stories", guard: editor, body: form, h: hf(st.Create)},
		{pattern: "POST /admin/story-flags/{id}/dismiss", guard: editor, body: form, h: hf(st.DismissFlag)},
		{pattern: "POST /admin/story-entries", guard: staff, body: form, h: hf(st.AddToStory)},
		{pattern: "GET /admin/stories/{id}", guard: staff, body: form, h: hf(st.Edit)},
		{pattern: "POST /admin/stories/{id}", guard: editor, body: form, h: hf(st.Save)},
		{pattern: "POST /admin/stories/{id}/entries", guard: staff, body: form, h: hf(st.AddEntry)},
		{pattern: "GET /admin/stories/{id}/entries/{entry}", guard: staff, body: form, h: hf(st.EditEntry)},
		{pattern: "POST /admin/stories/{id}/entries/{entry}", guard: editor, body: form, h: hf(st.SaveEntry)},
		{pattern: "POST /admin/stories/{id}/entries/{entry}/delete", guard: editor, body: form, h: hf(st.DeleteEntry)},

		{pattern: "GET /admin/sections", guard: admin, body: form, h: hf(nr.Sections)},
		{pattern: "POST /admin/sections", guard: admin, body: form, h: hf(nr.CreateSection)},
		{pattern: "POST /admin/sections/{id}", guard: admin, body: form, h: hf(nr.UpdateSection)},

		{pattern: "GET /admin/authors", guard: editor, body: form, h: hf(nr.Authors)},
		{pattern: "GET /admin/authors/{id}", guard: editor, body: form, h: hf(nr.AuthorForm)},
		{pattern: "POST /admin/authors/{id}", guard: editor, body: form, h: hf(nr.SaveAuthor)},

		{pattern: "GET /admin/users", guard: admin, body: form, h: hf(nr.Users)},
		{pattern: "POST /admin/users", guard: admin, body: form, h: hf(nr.CreateUser)},
		{pattern: "POST /admin/users/{id}", guard: admin, body: form, h: hf(nr.UpdateUser)},

		{pattern: "GET /admin/account", guard: staff, body: form, h: hf(nr.Account)},
		{pattern: "POST /admin/account/totp", guard: staff, body: form, h: hf(nr.TOTP)},
	}
	if m := s.library.media; m != nil {
		rs = append(rs,
			route{pattern: "GET /admin/media", guard: staff, body: form, h: hf(m.Page)},
			route{pattern: "POST /admin/media", guard: staff, body: m.MaxBody(), h: hf(m.FormUpload), tooLarge: m.TooLarge(true)},
			route{pattern: "GET /admin/media.json", guard: staff, body: form, h: hf(m.ListJSON)},
			route{pattern: "POST /admin/media.json", guard: staff, body: m.MaxBody(), h: hf(m.APIUpload), tooLarge: m.TooLarge(false)},
			route{pattern: "POST /admin/media/{id}", guard: staff, body: form, h: hf(m.UpdateText)},
			route{pattern: "POST /admin/media/{id}/replace", guard: editor, body: m.MaxBody(), h: hf(m.Replace), tooLarge: m.TooLarge(true)},
			route{pattern: "POST /admin/media/{id}/delete", guard: editor, body: form, h: hf(m.Delete)},
		)
	}
	if w := s.library.webhooks; w != nil {
		rs = append(rs,
			route{pattern: "GET /admin/webhooks", guard: admin, body: form, h: hf(w.List)},
			route{pattern: "POST /admin/webhooks", guard: admin, body: form, h: hf(w.Add)},
			route{pattern: "POST /admin/webhooks/{id}/delete", guard: admin, body: form, h: hf(w.Delete)},
		)
	}
	if s.comments != nil {
		c := s.comments.admin
		rs = append(rs,
			route{pattern: "GET /admin/comments", guard: editor, body: form, h: hf(c.Queue)},
			route{pattern: "POST /admin/comments/{id}/moderate", guard: editor, body: form, h: hf(c.Moderate)},
			route{pattern: "GET /admin/comments/readers", guard: editor, body: form, h: hf(c.Readers)},
			route{pattern: "POST /admin/comments/readers/{id}/ban", guard: editor, body: form, h: hf(c.Ban)},
			route{pattern: "GET /admin/comments/settings", guard: editor, body: form, h: hf(c.Settings)},
			route{pattern: "POST /admin/comments/settings", guard: editor, body: form, h: hf(c.SaveSettings)},
			route{pattern: "POST /admin/comments/article-mode", guard: editor, body: form, h: hf(c.ArticleMode)},
			route{pattern: "GET /admin/comments/log", guard: editor, body: form, h: hf(c.Log)},
			route{pattern: "GET /admin/comments/export.json", guard: editor, body: form, h: hf(c.Export)},
			route{pattern: "GET /admin/comments/policy", guard: editor, body: form, h: hf(c.PolicyForm)},
			route{pattern: "POST /admin/comments/policy", guard: admin, body: form, h: hf(c.SavePolicy)},
			route{pattern: "POST /admin/comments/bulk", guard: editor, body: form, h: hf(c.Bulk)},
			route{pattern: "POST /admin/comments/filters", guard: editor, body: form, h: hf(c.SaveFilter)},
			route{pattern: "POST /admin/comments/filters/delete", guard: editor, body: form, h: hf(c.DeleteFilter)},
			route{pattern: "GET /admin/comments/appeals", guard: editor, body: form, h: hf(c.Appeals)},
			route{pattern: "POST /admin/comments/appeals/{id}/decide", guard: editor, body: form, h: hf(c.DecideAppeal)},
			route{pattern: "GET /admin/comments/decisions.json", guard: editor, body: form, h: hf(c.ExportDecisions)},
			route{pattern: "GET /admin/comments/rules", guard: editor, body: form, h: hf(c.Rules)},
			route{pattern: "POST /admin/comments/rules", guard: editor, body: form, h: hf(c.CreateRule)},
			route{pattern: "GET /admin/comments/rules/{id}", guard: editor, body: form, h: hf(c.RuleEdit)},
			route{pattern: "POST /admin/comments/rules/{id}/save", guard: editor, body: form, h: hf(c.SaveRule)},
			route{pattern: "POST /admin/comments/rules/{id}/move", guard: editor, body: form, h: hf(c.MoveRule)},
			route{pattern: "POST /admin/comments/rules/{id}/retire", guard: editor, body: form, h: hf(c.RetireRule)},
			route{pattern: "GET /admin/comments/articles/{id}", guard: editor, body: form, h: hf(c.ArticleModeration)},
			route{pattern: "POST /admin/comments/articles/{id}/flags", guard: editor, body: form, h: hf(c.ArticleFlags)},
		)
	}
	{
		t := newsroom.NewTrackersAdmin(nr)
		rs = append(rs,
			route{pattern: "GET /admin/trackers", guard: staff, body: form, h: hf(t.List)},
			route{pattern: "POST /admin/trackers", guard: editor, body: form, h: hf(t.Create)},
			route{pattern: "GET /admin/trackers/export/{format}", guard: staff, body: form, h: hf(t.Export)},
			route{pattern: "GET /admin/trackers/{id}", guard: staff, body: form, h: hf(t.Edit)},
			route{pattern: "POST /admin/trackers/{id}", guard: editor, body: form, h: hf(t.Update)},
			route{pattern: "POST /admin/trackers/{id}/delete", guard: editor, body: form, h: hf(t.Delete)},
		)
	}
	if g := s.glossary; g != nil {
		rs = append(rs,
			route{pattern: "GET /admin/dictionary", guard: editor, body: form, h: hf(g.List)},
			route{pattern: "POST /admin/dictionary", guard: editor, body: form, h: hf(g.Create)},
			route{pattern: "POST /admin/dictionary/import", guard: editor, body: dictweb.MaxImportBody, h: hf(g.ImportCSV)},
			route{pattern: "GET /admin/dictionary/export.csv", guard: editor, body: form, h: hf(g.Export)},
			route{pattern: "GET /admin/dictionary/{id}", guard: editor, body: form, h: hf(g.Edit)},
			route{pattern: "POST /admin/dictionary/{id}", guard: editor, body: form, h: hf(g.Update)},
			route{pattern: "POST /admin/dictionary/{id}/delete", guard: editor, body: form, h: hf(g.Delete)},
		)
	}
	return rs
}

// adminNav adds the features' entries to the newsroom's menu, in menu
// order, and their dashboard panels.
func (s *Server) adminNav() {
	nr := s.Newsroom()
	if nr == nil {
		return
	}
	nr.AddNav("Stories", "/admin/stories", news.RoleContributor)
	nr.AddPanel(s.newsroom.stories.Panel)
	if s.library.media != nil {
		nr.AddNav("Media", "/admin/media", news.RoleContributor)
	}
	if s.library.webhooks != nil {
		nr.AddNav("Webhooks", "/admin/webhooks", news.RoleAdmin)
	}
	if s.comments != nil {
		nr.AddNav("Comments", "/admin/comments", news.RoleEditor)
		nr.AddPanel(s.commentsPanel)
		nr.AddPanel(s.appealsPanel)
		if s.cfg.SMTP.Addr != "" {
			nr.AddPanel(s.mailPanel)
		}
	}
	if s.glossary != nil {
		nr.AddNav("Dictionary", "/admin/dictionary", news.RoleEditor)
	}
	nr.AddNav("Tracker", "/admin/trackers", news.RoleContributor)
}
