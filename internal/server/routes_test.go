package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"byline/internal/config"
	"byline/internal/dictionary/dictweb"
	"byline/internal/store/sqlitestore"
)

// newFullServer is a server with every optional part on (the dev sign-in
// included), so that its route table is complete.
func newFullServer(t *testing.T) *Server {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", []string{"--data", dir, "--dev-login"}, func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(context.Background(), cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(context.Background(), Deps{Config: cfg, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// TestRouteTable reads the route table: every state-changing route says
// how forgeries are refused and has a body limit, uploads and imports
// have theirs, and each surface is complete.
func TestRouteTable(t *testing.T) {
	srv := newFullServer(t)
	table := srv.routes()
	byPattern := map[string]route{}
	for _, rt := range table {
		if _, dup := byPattern[rt.pattern]; dup {
			t.Errorf("%s listed twice", rt.pattern)
		}
		byPattern[rt.pattern] = rt
		method, _, hasMethod := strings.Cut(rt.pattern, " ")
		if !hasMethod {
			method = "" // every method
		}
		if rt.body <= 0 {
			t.Errorf("%s: body limit %d, want one", rt.pattern, rt.body)
		}
		switch method {
		case http.MethodGet, http.MethodHead:
			continue
		}
		if rt.pattern == "/" {
			continue // the 404/405 page changes nothing
		}
		if rt.guard.forgery == "" {
			t.Errorf("%s (guard %q) changes state but nothing refuses a cross-site forgery", rt.pattern, rt.guard.name)
		}
	}
	form := srv.cfg.MaxBodyBytes
	for pattern, want := range map[string]int64{
		"POST /admin/dictionary/import":         dictweb.MaxImportBody,
		"POST /admin/media":                     srv.library.media.MaxBody(),
		"POST /api/v1/admin/media":              srv.library.media.MaxBody(),
		"PUT /api/v1/admin/media/{id}":          srv.library.media.MaxBody(),
		"POST /admin/media/{id}/replace":        srv.library.media.MaxBody(),
		"POST /admin/media/{id}/delete":         form,
		"POST /admin/media.json":                srv.library.media.MaxBody(),
		"POST /admin/articles":                  srv.library.media.MaxBody(),
		"POST /admin/articles/{id}":             srv.library.media.MaxBody(),
		"GET /search":                           form,
		"POST /api/v1/articles/{id}/comments":   form,
		"POST /admin/articles/{id}/corrections": form,
	} {
		rt, ok := byPattern[pattern]
		if !ok {
			t.Errorf("%s is not in the route table", pattern)
			continue
		}
		if rt.body != want {
			t.Errorf("%s: body limit %d, want %d", pattern, rt.body, want)
		}
	}
	if dictweb.MaxImportBody <= form {
		t.Errorf("glossary import limit %d is not above the form limit %d: a full CSV would be refused", dictweb.MaxImportBody, form)
	}
	// Staff routes' guards are the newsroom's role checks.
	for _, p := range []string{"POST /admin/comments/policy", "POST /admin/webhooks", "POST /admin/users"} {
		if g := byPattern[p].guard.name; g != "admin" {
			t.Errorf("%s guarded by %q, want admin", p, g)
		}
	}
}

// TestRouteSurfaces checks each surface's table by what it must hold
// rather than by a count (a count had to be edited for every new route):
// every route sits under its surface's prefix, every /admin route but
// the sign-in page and the stylesheets needs a staff role, every Admin
// API route a token, and no reader route reaches into /admin or /api.
func TestRouteSurfaces(t *testing.T) {
	srv := newFullServer(t)
	path := func(rt route) string { return rt.pattern[strings.IndexByte(rt.pattern, ' ')+1:] }
	staff := map[string]bool{"contributor": true, "editor": true, "admin": true}
	adminOpen := map[string]bool{"GET /admin/login": true, "POST /admin/login": true, "GET /admin": true}
	admin := srv.adminRoutes()
	if len(admin) == 0 {
		t.Fatal("no /admin routes")
	}
	for _, rt := range admin {
		if p := path(rt); p != "/admin" && !strings.HasPrefix(p, "/admin/") {
			t.Errorf("%s is in the /admin table but not under /admin", rt.pattern)
		}
		if !adminOpen[rt.pattern] && !staff[rt.guard.name] {
			t.Errorf("%s: guard %q, want a staff role (contributor, editor or admin)", rt.pattern, rt.guard.name)
		}
	}
	api := srv.apiRoutes()
	if len(api) == 0 {
		t.Fatal("no /api routes")
	}
	for _, rt := range api {
		p := path(rt)
		if !strings.HasPrefix(p, "/api/") {
			t.Errorf("%s is in the /api table but not under /api/", rt.pattern)
		}
		if strings.HasPrefix(p, "/api/v1/admin/") && rt.guard.name != "api-token" {
			t.Errorf("%s: guard %q, want api-token", rt.pattern, rt.guard.name)
		}
	}
	for _, rt := range srv.siteRoutes() {
		if p := path(rt); p == "/admin" || strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/api/") {
			t.Errorf("%s is a reader route under another surface's prefix", rt.pattern)
		}
	}
}

// TestRouteLimitsApply sends requests through the whole handler: the
// limits and guards of the table are the ones that run.
func TestRouteLimitsApply(t *testing.T) {
	srv := newFullServer(t)
	h := srv.Handler()
	post := func(path string, size int, header map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, strings.NewReader(strings.Repeat("a", size)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			r.Header.Set(k, v)
		}
		return serve(h, r)
	}
	form := int(srv.cfg.MaxBodyBytes)
	// A glossary CSV just over the form limit reaches the sign-in check
	// (403: no session) instead of a 413; one over the import limit does not.
	if w := post("/admin/dictionary/import", form+1000, nil); w.Code == http.StatusRequestEntityTooLarge {
		t.Errorf("import of %d bytes: %d, want it past the body limit", form+1000, w.Code)
	}
	if w := post("/admin/dictionary/import", int(dictweb.MaxImportBody)+1, nil); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("import over the limit: %d, want 413", w.Code)
	}
	w := post("/api/v1/admin/articles", form+1, nil)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), `"too_large"`) {
		t.Errorf("oversized Admin API body: %d %s, want 413 JSON too_large", w.Code, w.Body)
	}
	// A reader's cookie route refuses a cross-site POST.
	w = post("/account/delete", 10, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"})
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST /account/delete: %d, want 403", w.Code)
	}
	w = post("/api/v1/articles/1/comments", 10, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"})
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site comment POST: %d, want 403", w.Code)
	}
}
