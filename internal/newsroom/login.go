package newsroom

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"byline/internal/auth"
	"byline/internal/news"
)

// LoginPage is the data of login.html.
type LoginPage struct {
	Email, Next, Error string
	NeedCode           bool
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-login redirect on /admin (no open redirects).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/admin/"
	}
	// "/admin/.." (or "/admin/%2e%2e") would leave /admin: judge the
	// path as the browser will resolve it.
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/admin/"
	}
	if c := path.Clean(u.Path); c != "/admin" && !strings.HasPrefix(c, "/admin/") {
		return "/admin/"
	}
	// Browsers remove dot segments but keep empty ones: "/admin/..//x"
	// resolves to "//x". Judge the resolved path too.
	if r := (&url.URL{Path: "/admin/login"}).ResolveReference(u).Path; strings.Contains(r, "//") || !strings.HasPrefix(r, "/admin") {
		return "/admin/"
	}
	return next
}

func (n *Newsroom) LoginForm(w http.ResponseWriter, r *http.Request) {
	if _, _, err := n.d.Auth.Current(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	n.Render(w, r, "login", LoginPage{Next: safeNext(r.URL.Query().Get("next"))})
}

func (n *Newsroom) Login(w http.ResponseWriter, r *http.Request) {
	email, pw, code := r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("code")
	next := safeNext(r.PostFormValue("next"))
	u, err := n.d.Auth.Login(r.Context(), email, pw, code, auth.ClientIP(r))
	if err != nil {
		status := http.StatusUnauthorized
		switch news.KindOf(err) {
		case news.KindTooMany:
			status = http.StatusTooManyRequests
		case news.KindForbidden:
			status = http.StatusForbidden
		case news.KindInternal:
			n.Error(w, r, err)
			return
		}
		n.render(w, r, status, "login", LoginPage{Email: email, Next: next, Error: news.PublicMessage(err), NeedCode: err == auth.ErrTOTPRequired})
		return
	}
	if _, err := n.d.Auth.StartSession(r.Context(), w, r, u); err != nil {
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (n *Newsroom) Logout(w http.ResponseWriter, r *http.Request) {
	if err := n.d.Auth.Logout(w, r); err != nil {
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

func (n *Newsroom) LogoutEverywhere(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	if err := n.d.Auth.LogoutEverywhere(r.Context(), u.ID); err != nil {
		n.Error(w, r, err)
		return
	}
	_ = n.d.Auth.Logout(w, r)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}
