package readerauth_test

import (
	"net/http"

	"byline/internal/readerauth"
)

// mountAuth registers the sign-in handlers for this package's tests the
// way the application's route table (internal/server/routes_site.go) does.
func mountAuth(mux *http.ServeMux, a *readerauth.Auth) {
	cop := http.NewCrossOriginProtection()
	mux.HandleFunc("GET /auth/{provider}/start", a.Start)
	mux.HandleFunc("GET /auth/{provider}/callback", a.Callback)
	mux.Handle("POST /auth/logout", cop.Handler(http.HandlerFunc(a.Logout)))
	if a.DevLogin() {
		mux.Handle("POST /auth/dev/finish", cop.Handler(http.HandlerFunc(a.DevFinish)))
		mux.Handle("/auth/dev/idp/", a.DevIdP())
	}
}
