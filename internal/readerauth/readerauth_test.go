package readerauth_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/readerauth"
	"byline/internal/readerauth/devidp"
	"byline/internal/readerauth/providers"
	"byline/internal/store/sqlitestore"
)

// pages records what the sign-in showed.
type pages struct {
	mu      sync.Mutex
	status  int
	message string
}

func (p *pages) LoginError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p.mu.Lock()
	p.status, p.message = status, msg
	p.mu.Unlock()
	http.Error(w, msg, status)
}

func (p *pages) DevNameForm(w http.ResponseWriter, r *http.Request, token, name, errMsg string) {
	w.Write([]byte(`<form action="/auth/dev/finish"><input name="token" value="` + token + `"></form>`))
}

type harness struct {
	t     *testing.T
	auth  *readerauth.Auth
	store *sqlitestore.Store
	srv   *httptest.Server
	pages *pages
	idp   *testIdP
}

func newHarness(t *testing.T, provider string, client *http.Client) *harness {
	t.Helper()
	idp := startIdP(t, "client-1", "secret-1")
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if provider == "facebook" {
		idp.Set(func(p *devidp.Provider) { p.Facebook = true })
	}
	h := &harness{t: t, store: st, pages: &pages{}, idp: idp}
	mux := http.NewServeMux()
	h.srv = httptest.NewUnstartedServer(mux)
	base := "http://" + h.srv.Listener.Addr().String()
	pc := readerauth.ProviderConfig{Name: provider, ClientID: "client-1", ClientSecret: "secret-1"}
	if provider == "oidc" {
		pc.Issuer = idp.Issuer
	} else {
		pc.AuthURL, pc.TokenURL, pc.UserInfoURL = idp.AuthURL(), idp.TokenURL(), idp.UserInfoURL()
	}
	h.auth, err = readerauth.New(readerauth.Config{BaseURL: base, Providers: []readerauth.ProviderConfig{pc}, HTTPClient: client}, st, h.pages)
	if err != nil {
		t.Fatal(err)
	}
	mountAuth(mux, h.auth)
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		if rd, ok := h.auth.Reader(r); ok {
			w.Write([]byte(rd.Name))
			return
		}
		http.Error(w, "anonymous", http.StatusUnauthorized)
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("page " + r.URL.Path)) })
	h.srv.Start()
	t.Cleanup(h.srv.Close)
	return h
}

func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

// manual does not follow redirects, so a test can stop mid-flow.
func manual(c *http.Client) *http.Client {
	return &http.Client{Jar: c.Jar, Timeout: c.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) *http.Response {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	res.Body.Close()
	return res
}

// callbackURL runs start and authorize and returns the callback URL the
// provider sent the browser to, without following it.
func (h *harness) callbackURL(c *http.Client, ret string) string {
	h.t.Helper()
	m := manual(c)
	res := get(h.t, m, h.srv.URL+"/auth/"+h.providerName()+"/start?return="+url.QueryEscape(ret))
	if res.StatusCode != http.StatusFound {
		h.t.Fatalf("start: status %d, want 302", res.StatusCode)
	}
	authz := res.Header.Get("Location")
	q, _ := url.Parse(authz)
	wantPKCE := h.providerName() != "facebook"
	if (q.Query().Get("code_challenge") != "") != wantPKCE || (q.Query().Get("code_challenge_method") == "S256") != wantPKCE || q.Query().Get("state") == "" {
		h.t.Fatalf("authorize URL lacks PKCE or state: %s", authz)
	}
	res = get(h.t, m, authz)
	if res.StatusCode != http.StatusFound {
		h.t.Fatalf("authorize: status %d, want 302", res.StatusCode)
	}
	return res.Header.Get("Location")
}

func (h *harness) providerName() string {
	return h.auth.Links()[0].Name
}

func (h *harness) whoami(c *http.Client) string {
	res, err := c.Get(h.srv.URL + "/whoami")
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return ""
	}
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func TestSignInOIDCAndOAuth(t *testing.T) {
	for _, provider := range []string{"oidc", "x", "facebook", "github"} {
		t.Run(provider, func(t *testing.T) {
			h := newHarness(t, provider, nil)
			c := browser()
			cb := h.callbackURL(c, "/article/1/x#comments")
			if provider == "oidc" {
				q, _ := url.Parse(cb)
				if q.Query().Get("code") == "" {
					t.Fatalf("callback without code: %s", cb)
				}
			}
			res := get(t, manual(c), cb)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/article/1/x#comments" {
				t.Fatalf("callback: %d to %q, want 303 to the article", res.StatusCode, res.Header.Get("Location"))
			}
			var session *http.Cookie
			for _, ck := range res.Cookies() {
				if ck.Name == readerauth.SessionCookie {
					session = ck
				}
			}
			if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie = %+v", session)
			}
			if got := h.whoami(c); got != "Test Reader" {
				t.Errorf("signed in as %q, want Test Reader", got)
			}
			// Signing out ends the session.
			req, _ := http.NewRequest("POST", h.srv.URL+"/auth/logout", strings.NewReader("return=/after"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := manual(c).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther || h.whoami(c) != "" {
				t.Errorf("after logout: status %d, whoami %q", res.StatusCode, h.whoami(c))
			}
		})
	}
}

func TestSignInFailures(t *testing.T) {
	tests := []struct {
		name       string
		provider   string
		set        func(p *devidp.Provider)
		wantStatus int
		wantMsg    string
	}{
		{"denied consent", "oidc", func(p *devidp.Provider) { p.Deny = true }, 403, "cancelled"},
		{"wrong state", "oidc", func(p *devidp.Provider) { p.StateOverride = "forged-state" }, 400, "not from this browser"},
		{"expired id token", "oidc", func(p *devidp.Provider) { p.Expired = true }, 401, "not valid"},
		{"forged id token", "oidc", func(p *devidp.Provider) { p.Forge = true }, 401, "not valid"},
		{"wrong nonce", "oidc", func(p *devidp.Provider) { p.BadNonce = true }, 401, "not valid"},
		{"wrong audience", "oidc", func(p *devidp.Provider) { p.BadAudience = true }, 401, "not valid"},
		{"denied consent (X)", "x", func(p *devidp.Provider) { p.Deny = true }, 403, "cancelled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.provider, nil)
			h.idp.Set(tc.set)
			c := browser()
			res := get(t, manual(c), h.callbackURL(c, "/a"))
			if res.StatusCode != tc.wantStatus || !strings.Contains(h.pages.message, tc.wantMsg) {
				t.Errorf("callback: %d %q, want %d containing %q", res.StatusCode, h.pages.message, tc.wantStatus, tc.wantMsg)
			}
			if h.whoami(c) != "" {
				t.Error("signed in after a failed sign-in")
			}
		})
	}
}

func TestSignInReplayAndForeignState(t *testing.T) {
	h := newHarness(t, "oidc", nil)
	c := browser()
	cb := h.callbackURL(c, "/a")
	if res := get(t, manual(c), cb); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use: %d, want 303", res.StatusCode)
	}
	// The same callback again (a replay, even with the state cookie set
	// again by an attacker) fails: states are used once.
	u, _ := url.Parse(h.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "byline_login", Value: mustState(t, cb), Path: "/auth/"}})
	if res := get(t, manual(c), cb); res.StatusCode != http.StatusBadRequest || !strings.Contains(h.pages.message, "already been used") {
		t.Errorf("replay: %d %q, want 400 'already been used'", res.StatusCode, h.pages.message)
	}
	// A callback started in one browser and delivered to another (login
	// CSRF) fails: the state is bound to the starting browser's cookie.
	victim := browser()
	cb2 := h.callbackURL(browser(), "/a")
	if res := get(t, manual(victim), cb2); res.StatusCode != http.StatusBadRequest || h.whoami(victim) != "" {
		t.Errorf("foreign state: %d, signed in as %q; want 400 and nobody", res.StatusCode, h.whoami(victim))
	}
}

func mustState(t *testing.T, cb string) string {
	u, err := url.Parse(cb)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("state")
}

func TestProviderDownOrSlow(t *testing.T) {
	t.Run("oidc down at start", func(t *testing.T) {
		h := newHarness(t, "oidc", nil)
		h.idp.Close()
		res := get(t, manual(browser()), h.srv.URL+"/auth/oidc/start")
		if res.StatusCode != http.StatusBadGateway {
			t.Errorf("start with provider down: %d, want 502", res.StatusCode)
		}
	})
	t.Run("down at token exchange", func(t *testing.T) {
		h := newHarness(t, "x", nil)
		c := browser()
		cb := h.callbackURL(c, "/a")
		h.idp.Close()
		res := get(t, manual(c), cb)
		if res.StatusCode != http.StatusBadGateway || h.whoami(c) != "" {
			t.Errorf("callback with provider down: %d, want 502 and no session", res.StatusCode)
		}
	})
	t.Run("slow token endpoint", func(t *testing.T) {
		h := newHarness(t, "x", &http.Client{Timeout: 300 * time.Millisecond})
		h.idp.Set(func(p *devidp.Provider) { p.Delay = 5 * time.Second })
		c := browser()
		cb := h.callbackURL(c, "/a")
		start := time.Now()
		res := get(t, manual(c), cb)
		if res.StatusCode != http.StatusBadGateway {
			t.Errorf("slow provider: %d, want 502", res.StatusCode)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("slow provider held the reader for %v", d)
		}
	})
}

func TestOpenRedirectRefused(t *testing.T) {
	for _, ret := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil.example", "/%0d%0aSet-Cookie:x=1", "\t//evil.example"} {
		got := readerauth.SafeReturn(ret)
		if strings.Contains(got, "evil") || strings.Contains(got, "\n") || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") {
			t.Errorf("SafeReturn(%q) = %q", ret, got)
		}
	}
	if got := readerauth.SafeReturn("/article/1/x?y=1#comments"); got != "/article/1/x?y=1#comments" {
		t.Errorf("SafeReturn of a site path = %q", got)
	}
	h := newHarness(t, "oidc", nil)
	c := browser()
	res := get(t, manual(c), h.callbackURL(c, "//evil.example/steal"))
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("after sign-in with a foreign return URL: Location %q, want /", loc)
	}
}

func TestUnknownAndUnconfiguredProviders(t *testing.T) {
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := readerauth.New(readerauth.Config{BaseURL: "http://localhost", Providers: []readerauth.ProviderConfig{
		{Name: "x", ClientID: "id"}, // no secret: off
		{Name: "facebook", ClientID: "id", ClientSecret: "s"},
	}}, st, &pages{})
	if err != nil {
		t.Fatal(err)
	}
	links := a.Links()
	if len(links) != 1 || links[0].Name != "facebook" || links[0].URL != "/auth/facebook/start" {
		t.Errorf("links = %+v, want only facebook", links)
	}
	mux := http.NewServeMux()
	mountAuth(mux, a)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/auth/x/start", nil))
	if rec.Code != 404 {
		t.Errorf("unconfigured provider start: %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/auth/dev/start", nil))
	if rec.Code != 404 {
		t.Errorf("dev provider without --dev-login: %d, want 404", rec.Code)
	}
}

// TestCallbackOnAnotherServer starts each sign-in on one server and
// delivers the provider's callback to a second one on the same database
// (a second process behind the same address, or the first one
// restarted). Before discovery ran on demand, the second server had no
// token URL for OIDC and answered 502 ("Post \"\": unsupported protocol
// scheme").
func TestCallbackOnAnotherServer(t *testing.T) {
	for _, provider := range []string{"oidc", "google", "x", "facebook", "github"} {
		t.Run(provider, func(t *testing.T) {
			name := provider
			if provider == "google" {
				name = "oidc" // newHarness configures only oidc's issuer; google below
			}
			h := newHarness(t, name, nil)
			pc := readerauth.ProviderConfig{Name: provider, ClientID: "client-1", ClientSecret: "secret-1"}
			if provider == "oidc" || provider == "google" {
				pc.Issuer = h.idp.Issuer
			} else {
				pc.AuthURL, pc.TokenURL, pc.UserInfoURL = h.idp.AuthURL(), h.idp.TokenURL(), h.idp.UserInfoURL()
			}
			first := h.auth
			if provider == "google" {
				var err error
				first, err = readerauth.New(readerauth.Config{BaseURL: h.srv.URL, Providers: []readerauth.ProviderConfig{pc}}, h.store, h.pages)
				if err != nil {
					t.Fatal(err)
				}
			}
			second, err := readerauth.New(readerauth.Config{BaseURL: h.srv.URL, Providers: []readerauth.ProviderConfig{pc}}, h.store, h.pages)
			if err != nil {
				t.Fatal(err)
			}
			firstMux, secondMux := http.NewServeMux(), http.NewServeMux()
			mountAuth(firstMux, first)
			mountAuth(secondMux, second)
			secondMux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
				if rd, ok := second.Reader(r); ok {
					w.Write([]byte(rd.Name))
				}
			})
			a, b := httptest.NewServer(firstMux), httptest.NewServer(secondMux)
			defer a.Close()
			defer b.Close()

			c := browser()
			m := manual(c)
			res := get(t, m, a.URL+"/auth/"+provider+"/start?return=/article/7/x")
			if res.StatusCode != http.StatusFound {
				t.Fatalf("start on the first server: %d, want 302", res.StatusCode)
			}
			res = get(t, m, res.Header.Get("Location"))
			if res.StatusCode != http.StatusFound {
				t.Fatalf("authorize: %d, want 302", res.StatusCode)
			}
			cb, _ := url.Parse(res.Header.Get("Location"))
			bu, _ := url.Parse(b.URL)
			cb.Host = bu.Host // the load balancer picks the second server
			res = get(t, m, cb.String())
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/article/7/x" {
				t.Fatalf("callback on the second server: %d to %q (%q), want 303 to /article/7/x", res.StatusCode, res.Header.Get("Location"), h.pages.message)
			}
			res, err = c.Get(b.URL + "/whoami")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != "Test Reader" {
				t.Errorf("second server: signed in as %q, want Test Reader", body)
			}
		})
	}
}

// TestConcurrentStartsAndCallbacks runs discovery from many requests at
// once; with -race it catches unguarded reads of the provider's
// endpoints.
func TestConcurrentStartsAndCallbacks(t *testing.T) {
	h := newHarness(t, "oidc", nil)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := browser()
			m := manual(c)
			res, err := m.Get(h.srv.URL + "/auth/oidc/start")
			if err != nil {
				errs <- err.Error()
				return
			}
			res.Body.Close()
			res, err = m.Get(res.Header.Get("Location"))
			if err != nil {
				errs <- err.Error()
				return
			}
			res.Body.Close()
			res, err = m.Get(res.Header.Get("Location"))
			if err != nil {
				errs <- err.Error()
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				errs <- "callback status " + res.Status
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestIssuerMustBeHTTPSExceptLoopback(t *testing.T) {
	for _, tc := range []struct {
		issuer string
		ok     bool
	}{
		{"https://id.example.com", true},
		{"http://localhost:9998/", true},
		{"http://127.0.0.1:9998", true},
		{"http://[::1]:9998", true},
		{"http://id.example.com", false},
		{"http://10.0.0.5:8080", false},
		{"ftp://id.example.com", false},
		{"id.example.com", false},
	} {
		_, err := readerauth.New(readerauth.Config{BaseURL: "https://news.example.com",
			Providers: []readerauth.ProviderConfig{{Name: "oidc", ClientID: "c", ClientSecret: "s", Issuer: tc.issuer}}}, nil, nil)
		if (err == nil) != tc.ok {
			t.Errorf("issuer %q: err = %v, want ok=%v", tc.issuer, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "https") {
			t.Errorf("issuer %q: error %q does not say https is needed", tc.issuer, err)
		}
	}
}

// graphAPI stands in for Meta's hosts at the transport level and
// records every URL asked for.
type graphAPI struct {
	mu   sync.Mutex
	seen []string
}

func (g *graphAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	g.seen = append(g.seen, r.Method+" "+r.URL.String())
	g.mu.Unlock()
	body := `{"error":{"message":"unknown"}}`
	switch {
	case strings.HasSuffix(r.URL.Path, "/oauth/access_token"):
		body = `{"access_token":"fb-token","token_type":"bearer","expires_in":5183944}`
	case strings.HasSuffix(r.URL.Path, "/me"):
		body = `{"id":"1234567890","name":"Facebook Reader","picture":{"data":{"url":"https://scontent.example/p.jpg?oe=EXPIRES"}}}`
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// TestFacebookVersionAndTokenRequest: one Graph API version (configurable)
// in the dialog, token and profile URLs (were v19.0, v19.0 and none), no
// PKCE, the token request as Meta documents it (GET with the query), and
// no expiring picture URL kept.
func TestFacebookVersionAndTokenRequest(t *testing.T) {
	for _, version := range []string{"", "v25.0"} {
		want := version
		if want == "" {
			want = readerauth.FacebookAPIVersion
		}
		g := &graphAPI{}
		st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		mux := http.NewServeMux()
		srv := httptest.NewServer(mux)
		defer srv.Close()
		a, err := readerauth.New(readerauth.Config{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: g},
			Providers: []readerauth.ProviderConfig{{Name: "facebook", ClientID: "app-1", ClientSecret: "app-secret", APIVersion: version}}}, st, &pages{})
		if err != nil {
			t.Fatal(err)
		}
		mountAuth(mux, a)
		c := browser()
		res := get(t, manual(c), srv.URL+"/auth/facebook/start?return=/a")
		dialog, _ := url.Parse(res.Header.Get("Location"))
		if dialog.Host != "www.facebook.com" || dialog.Path != "/"+want+"/dialog/oauth" {
			t.Errorf("dialog URL = %s, want www.facebook.com/%s/dialog/oauth", dialog, want)
		}
		if dialog.Query().Has("code_challenge") {
			t.Errorf("dialog URL sends PKCE, which Meta does not document for the web dialog: %s", dialog)
		}
		cb := srv.URL + "/auth/facebook/callback?code=the-code&state=" + url.QueryEscape(dialog.Query().Get("state"))
		if res := get(t, manual(c), cb); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("callback: %d, want 303", res.StatusCode)
		}
		if len(g.seen) != 2 {
			t.Fatalf("requests to Meta = %q, want a token request and one profile request", g.seen)
		}
		tokURL, _ := url.Parse(strings.TrimPrefix(g.seen[0], "GET "))
		if !strings.HasPrefix(g.seen[0], "GET https://graph.facebook.com/"+want+"/oauth/access_token?") ||
			tokURL.Query().Get("code") != "the-code" || tokURL.Query().Get("client_id") != "app-1" ||
			tokURL.Query().Get("client_secret") != "app-secret" || tokURL.Query().Get("redirect_uri") != srv.URL+"/auth/facebook/callback" {
			t.Errorf("token request = %s, want GET graph.facebook.com/%s/oauth/access_token with client_id, client_secret, redirect_uri, code", g.seen[0], want)
		}
		if !strings.HasPrefix(g.seen[1], "GET https://graph.facebook.com/"+want+"/me?") || strings.Contains(g.seen[1], "picture") {
			t.Errorf("profile request = %s, want the versioned /me without picture", g.seen[1])
		}
		rd, ok := a.Reader(withCookies(c, srv.URL))
		if !ok || rd.Name != "Facebook Reader" || rd.AvatarURL != "" {
			t.Errorf("reader = %+v (%v), want Facebook Reader with no stored picture URL", rd, ok)
		}
	}
}

// withCookies is a request to base carrying the jar's cookies.
func withCookies(c *http.Client, base string) *http.Request {
	r := httptest.NewRequest("GET", base+"/", nil)
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		r.AddCookie(ck)
	}
	return r
}

// TestVerifiedEmailBecomesNoticeAddress: the provider's e-mail is the
// reader's notice address only when the provider says it verified it
// (OpenID's email_verified, in the ID token or the userinfo answer);
// sign-in records the reader's language (the comment box's cookie, else
// Accept-Language).
func TestVerifiedEmailBecomesNoticeAddress(t *testing.T) {
	for _, tc := range []struct {
		provider, email string
		verified        bool
		lang            *http.Cookie
		accept, want    string
		wantLang        string
	}{
		{"oidc", "kim@example.com", true, nil, "ko-KR,ko;q=0.9", "kim@example.com", "ko"},
		{"oidc", "kim@example.com", false, nil, "", "", "en"},
		{"oidc", "not an address", true, nil, "", "", "en"},
		{"github", "lee@example.com", true, &http.Cookie{Name: readerauth.LangCookie, Value: "ko"}, "en", "lee@example.com", "ko"},
		{"github", "lee@example.com", false, nil, "", "", "en"},
	} {
		t.Run(tc.provider+"-"+tc.email+"-"+strconv.FormatBool(tc.verified), func(t *testing.T) {
			h := newHarness(t, tc.provider, nil)
			h.idp.Set(func(p *devidp.Provider) {
				p.User = devidp.User{Subject: "u-1", Name: "Kim", Email: tc.email, EmailVerified: tc.verified}
			})
			c := browser()
			u, _ := url.Parse(h.srv.URL)
			if tc.lang != nil {
				c.Jar.SetCookies(u, []*http.Cookie{tc.lang})
			}
			cb := h.callbackURL(c, "/")
			req, _ := http.NewRequest("GET", cb, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Language", tc.accept)
			}
			res, err := manual(c).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("callback: %d", res.StatusCode)
			}
			rs, err := h.store.ListReaders(t.Context(), 10, 0)
			if err != nil || len(rs) != 1 {
				t.Fatalf("readers: %+v %v", rs, err)
			}
			if rs[0].NoticeEmail != tc.want || rs[0].Lang != tc.wantLang {
				t.Errorf("notice address %q, language %q; want %q, %q", rs[0].NoticeEmail, rs[0].Lang, tc.want, tc.wantLang)
			}
		})
	}
}

// TestNewProviderIsOneEntry: a provider added to the catalogue
// (internal/readerauth/providers) gets its button, start and callback and
// signs a reader in, with nothing else written for it; a configured name
// not in the catalogue gets nothing.
func TestNewProviderIsOneEntry(t *testing.T) {
	saved := providers.All
	t.Cleanup(func() { providers.All = saved })
	providers.All = append(slices.Clone(saved), providers.Spec{Name: "example", Label: "Example Social",
		AuthURL: "https://example.invalid/authorize", TokenURL: "https://example.invalid/token",
		UserInfoURL: "https://example.invalid/me", Scopes: []string{"profile"}})
	h := newHarness(t, "example", nil)
	links := h.auth.Links()
	if len(links) != 1 || links[0].Name != "example" || links[0].Label != "Example Social" {
		t.Fatalf("buttons = %+v, want the catalogue's Example Social", links)
	}
	c := browser()
	res := get(t, manual(c), h.callbackURL(c, "/after"))
	if res.StatusCode != http.StatusSeeOther || h.whoami(c) != "Test Reader" {
		t.Fatalf("callback %d, signed in as %q; want 303 and Test Reader", res.StatusCode, h.whoami(c))
	}

	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := readerauth.New(readerauth.Config{BaseURL: "http://127.0.0.1", Providers: []readerauth.ProviderConfig{{Name: "myspace", ClientID: "a", ClientSecret: "b"}}}, st, &pages{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(a.Links()); n != 0 {
		t.Errorf("a provider outside the catalogue got %d buttons, want 0", n)
	}
}
