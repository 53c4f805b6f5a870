// Package newsroom is the /admin surface: sign-in, the dashboard, the
// article editor and workflow buttons, revisions, corrections, sections,
// authors and users. It is server-rendered HTML with one small script
// (admin.js) and no build step; the workflow rules live in
// internal/editorial, the credentials in internal/auth.
//
// # Adding pages from another feature
//
// Other features (comment moderation, media, webhooks) add admin pages
// without touching this package's Go code:
//
//  1. Put a template file into internal/render/templates/admin (the
//     admin namespace of the one template engine, internal/render) named
//     "<feature>_<page>.html" (for example "comments_queue.html"). It
//     defines the blocks "title" and "main" (and optionally "head" and
//     "scripts"); the admin layout is applied around them. The page's own
//     data is available as .Data; .User is the signed-in user and
//     {{template "csrf" .}} writes the hidden CSRF field every POST form
//     needs. Shared parts go in templates/admin/partials, scripts and
//     styles in internal/render/assets/admin ({{asset "admin/x.js"}});
//     template functions are render's (deskTime for a time with its zone).
//
//  2. List the routes in internal/server/routes_admin.go with the guard
//     of the role they need (RequireRole signs the user in, redirecting to
//     /admin/login, refuses cross-site and token-less state-changing
//     requests, and checks the role) and their body limit:
//
//     {pattern: "GET /admin/comments", guard: editor, body: form, h: hf(c.Queue)},
//
//  3. In the handler, newsroom.CurrentUser(r) is the user, and
//     n.Render(w, r, "comments_queue", data) writes the page;
//     n.Error(w, r, err) answers an error in the admin layout.
//
//  4. Optionally n.AddNav("Comments", "/admin/comments", news.RoleEditor)
//     puts a link into the admin menu.
package newsroom

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"byline/internal/auth"
	"byline/internal/editorial"
	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/render"
	"byline/internal/respond"
	"byline/internal/site"
)

// Config is what the newsroom needs of the configuration.
type Config struct {
	SiteName string
	BaseURL  string
	Location *time.Location
}

// Deps are the newsroom's parts.
type Deps struct {
	Config    Config
	Store     news.Store
	Staff     news.NewsroomStore
	Auth      *auth.Staff
	Editorial *editorial.Service
	// Pages is the one template engine: the admin pages are its admin/
	// namespace.
	Pages *render.Renderer
	// Site draws the preview through the published article page's code.
	Site   *site.Site
	Markup *markup.Renderer
	// Tree returns the current section tree.
	Tree   func() *news.Tree
	Now    func() time.Time
	Logger *slog.Logger
}

// NavItem is a link in the admin menu.
type NavItem struct {
	Label, Path string
	Role        news.Role
}

// Newsroom serves /admin.
type Newsroom struct {
	d      Deps
	cop    *http.CrossOriginProtection
	mu     sync.RWMutex
	nav    []NavItem
	panels []PanelFunc
	// stories is the running stories' admin (the editor's suggestions
	// box asks it); nil until NewStoriesAdmin.
	stories *StoriesAdmin
}

// New makes the /admin surface; its pages are d.Pages' admin namespace.
func New(d Deps) (*Newsroom, error) {
	if d.Pages == nil {
		return nil, errors.New("newsroom: no templates (Deps.Pages)")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Config.Location == nil {
		d.Config.Location = time.UTC
	}
	n := &Newsroom{d: d, cop: http.NewCrossOriginProtection()}
	n.nav = []NavItem{
		{"Dashboard", "/admin/", news.RoleContributor},
		{"Articles", "/admin/articles", news.RoleContributor},
		{"New article", "/admin/articles/new", news.RoleContributor},
		{"Sections", "/admin/sections", news.RoleAdmin},
		{"Authors", "/admin/authors", news.RoleEditor},
		{"Users", "/admin/users", news.RoleAdmin},
	}
	// Behind a proxy the Host header may not be the public one: the base
	// URL's origin is trusted as well.
	if u, err := url.Parse(d.Config.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		if err := n.cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("newsroom: base URL: %w", err)
		}
	}
	n.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Error(w, r, news.Errorf(news.KindForbidden, "cross-site request refused"))
	}))
	if err := d.Pages.Bind(template.FuncMap{"storySuggest": n.suggestBox}); err != nil {
		return nil, fmt.Errorf("newsroom: %w", err)
	}
	return n, nil
}

// AddNav adds a link to the admin menu for users with at least role.
func (n *Newsroom) AddNav(label, path string, role news.Role) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nav = append(n.nav, NavItem{label, path, role})
}

// View is what every admin template receives: the layout reads the
// fields, the page its own .Data.
type View struct {
	Title    string
	SiteName string
	User     news.StaffUser
	CSRF     string
	Nav      []NavItem
	Path     string
	Flash    string
	Data     any
}

// Render writes an admin page (internal/render/templates/admin/<page>.html)
// with the admin layout around data. Admin pages are never cached.
func (n *Newsroom) Render(w http.ResponseWriter, r *http.Request, page string, data any) {
	n.render(w, r, http.StatusOK, page, data)
}

func (n *Newsroom) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	if !n.d.Pages.Has(render.Admin + page) {
		n.d.Logger.ErrorContext(r.Context(), "newsroom: no such template", "page", page)
		http.Error(w, "no such admin page", http.StatusInternalServerError)
		return
	}
	v := View{SiteName: n.d.Config.SiteName, Path: r.URL.Path, Data: data, Flash: r.URL.Query().Get("done")}
	if len(v.Flash) > 200 {
		v.Flash = ""
	}
	if u, ok := CurrentUser(r); ok {
		v.User = u
		n.mu.RLock()
		for _, it := range n.nav {
			if u.Role.AtLeast(it.Role) {
				v.Nav = append(v.Nav, it)
			}
		}
		n.mu.RUnlock()
	}
	v.CSRF = CSRFToken(r)
	var buf bytes.Buffer
	if err := n.d.Pages.Render(&buf, render.Admin+page, v); err != nil {
		n.d.Logger.ErrorContext(r.Context(), "newsroom: render", "page", page, "err", err)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorData is the data of the error page.
type ErrorData struct {
	Heading, Message string
}

// Error answers err with an admin page and the status its kind calls for.
func (n *Newsroom) Error(w http.ResponseWriter, r *http.Request, err error) {
	err = respond.Classify(r, err)
	status := respond.StatusOf(err)
	respond.RetryAfter(w, status)
	if status >= 500 {
		respond.LogError(r, "newsroom: internal error", err)
	}
	heading := http.StatusText(status)
	n.render(w, r, status, "error", ErrorData{Heading: heading, Message: news.PublicMessage(err)})
}

// CurrentUser is the signed-in staff member of a request that passed
// RequireRole.
func CurrentUser(r *http.Request) (news.StaffUser, bool) { return auth.UserFrom(r.Context()) }

// CSRFToken is the session's token for forms (empty when signed out).
func CSRFToken(r *http.Request) string {
	se, _ := auth.SessionFrom(r.Context())
	return se.CSRFToken
}

// RequireRole wraps admin handlers: the request must come from a signed-in
// user with at least role (else a redirect to the sign-in page, or 403),
// and every state-changing request must be same-origin (Go's
// CrossOriginProtection) and carry the session's CSRF token.
func (n *Newsroom) RequireRole(role news.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, se, err := n.d.Auth.Current(r)
			if err != nil {
				if news.KindOf(err) == news.KindUnauthorized && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
					http.Redirect(w, r, "/admin/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				n.Error(w, r, err)
				return
			}
			r = r.WithContext(auth.WithUser(r.Context(), u, se))
			if !safeMethod(r.Method) && !auth.CheckCSRF(r, se) {
				n.Error(w, r, news.Errorf(news.KindForbidden, "the form's security token is missing or out of date; reload the page and try again"))
				return
			}
			if !u.Role.AtLeast(role) {
				n.Error(w, r, news.Errorf(news.KindForbidden, "your role (%s) may not do this", u.Role))
				return
			}
			next.ServeHTTP(w, r)
		})
		return n.cop.Handler(inner)
	}
}

// SameOrigin refuses cross-site state-changing requests (Go's
// CrossOriginProtection, trusting the base URL's origin) with an admin
// error page; sign-in, which has no session yet, needs only this.
func (n *Newsroom) SameOrigin(next http.Handler) http.Handler { return n.cop.Handler(next) }

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
