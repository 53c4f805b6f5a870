package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

func TestSessionCookieAndTokens(t *testing.T) {
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := auth.CreateUser(ctx, st, "ed@example.com", "Ed", news.RoleEditor, "password-1")
	if err != nil {
		t.Fatal(err)
	}
	a := auth.New(auth.Options{Store: st, Secure: true, CookiePath: "/admin"})
	w := httptest.NewRecorder()
	if _, err := a.StartSession(ctx, w, httptest.NewRequest("POST", "/admin/login", nil), u); err != nil {
		t.Fatal(err)
	}
	c := w.Result().Cookies()[0]
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin" || c.MaxAge != 7*24*3600 {
		t.Errorf("cookie %+v, want Secure, HttpOnly, Lax, /admin, 7 days", c)
	}
	r := httptest.NewRequest("GET", "/admin/", nil)
	r.AddCookie(c)
	got, se, err := a.Current(r)
	if err != nil || got.ID != u.ID || se.CSRFToken == "" {
		t.Fatalf("current: %+v %v", got, err)
	}
	// The database keeps only a hash of the cookie's value.
	if _, err := st.SessionByHash(ctx, c.Value); !news.IsNotFound(err) {
		t.Error("the raw session id is stored")
	}

	tokens := auth.NewTokens(st)
	raw, _, err := tokens.Create(ctx, u.ID, "bot")
	if err != nil {
		t.Fatal(err)
	}
	for hdr, wantOK := range map[string]bool{"Bearer " + raw: true, "bearer " + raw: true, "Basic " + raw: false, raw: false, "Bearer " + raw + "x": false, "": false} {
		r := httptest.NewRequest("GET", "/api/v1/admin/articles/1", nil)
		if hdr != "" {
			r.Header.Set("Authorization", hdr)
		}
		got, err := tokens.Authenticate(r)
		if ok := err == nil && got.ID == u.ID; ok != wantOK {
			t.Errorf("Authorization %q: ok %v (%v), want %v", hdr, ok, err, wantOK)
		}
	}
}
