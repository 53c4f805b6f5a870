package newsroom

import (
	"net/http"

	"byline/internal/news"
)

// Routes registers the whole /admin surface. Every page but sign-in goes
// through RequireRole (session, CSRF and role checks).
func (n *Newsroom) Routes(mux *http.ServeMux) {
	staff := n.RequireRole(news.RoleContributor)
	editor := n.RequireRole(news.RoleEditor)
	admin := n.RequireRole(news.RoleAdmin)
	h := func(f http.HandlerFunc) http.Handler { return f }

	mux.HandleFunc("GET /admin/assets/", n.serveAsset)
	mux.HandleFunc("GET /admin/login", n.loginForm)
	mux.Handle("POST /admin/login", n.cop.Handler(h(n.login)))
	mux.Handle("POST /admin/logout", staff(h(n.logout)))
	mux.Handle("POST /admin/logout-everywhere", staff(h(n.logoutEverywhere)))
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	mux.Handle("GET /admin/{$}", staff(h(n.dashboard)))

	mux.Handle("GET /admin/articles", staff(h(n.articles)))
	mux.Handle("GET /admin/articles/new", staff(h(n.newArticle)))
	mux.Handle("POST /admin/articles", staff(h(n.createArticle)))
	mux.Handle("GET /admin/articles/{id}", staff(h(n.editArticle)))
	mux.Handle("POST /admin/articles/{id}", staff(h(n.saveArticle)))
	mux.Handle("POST /admin/articles/{id}/autosave", staff(h(n.autosave)))
	mux.Handle("POST /admin/preview", staff(h(n.preview)))
	mux.Handle("GET /admin/articles/{id}/revisions", staff(h(n.revisions)))
	mux.Handle("POST /admin/articles/{id}/revisions/{rev}/restore", editor(h(n.restore)))
	mux.Handle("POST /admin/articles/{id}/corrections", editor(h(n.correct)))

	mux.Handle("GET /admin/sections", admin(h(n.sections)))
	mux.Handle("POST /admin/sections", admin(h(n.createSection)))
	mux.Handle("POST /admin/sections/{id}", admin(h(n.updateSection)))

	mux.Handle("GET /admin/authors", editor(h(n.authors)))
	mux.Handle("GET /admin/authors/{id}", editor(h(n.authorForm)))
	mux.Handle("POST /admin/authors/{id}", editor(h(n.saveAuthor)))

	mux.Handle("GET /admin/users", admin(h(n.users)))
	mux.Handle("POST /admin/users", admin(h(n.createUser)))
	mux.Handle("POST /admin/users/{id}", admin(h(n.updateUser)))

	mux.Handle("GET /admin/account", staff(h(n.account)))
	mux.Handle("POST /admin/account/totp", staff(h(n.totp)))
}
