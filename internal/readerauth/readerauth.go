// Package readerauth signs readers in with social accounts (OAuth 2.0 and
// OpenID Connect: X with PKCE, Facebook, Google, GitHub, any OIDC
// provider, and a local --dev-login provider) and keeps their sessions in
// the database under the byline_reader cookie, apart from staff sessions.
// Every sign-in checks state (bound to the browser by a cookie, used
// once), PKCE and, for OIDC, the ID token's signature, issuer, audience,
// expiry and nonce.
package readerauth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/text/language"

	"byline/internal/news"
	"byline/internal/readerauth/devidp"
	"byline/internal/readerauth/providers"
)

// Cookie names.
const (
	SessionCookie = "byline_reader"
	loginCookie   = "byline_login"
)

// SessionTTL is how long a reader stays signed in.
const SessionTTL = 30 * 24 * time.Hour

// ProviderConfig switches a provider on. Endpoints default to the real
// provider's; tests point them at devidp.
type ProviderConfig struct {
	Name         string // a name in providers.All
	Label        string // shown on the button; defaults by name
	ClientID     string
	ClientSecret string
	// Issuer, for OIDC providers (google, oidc): discovery and ID tokens.
	Issuer string
	// For plain OAuth 2.0 providers (x, facebook, github) or overrides.
	AuthURL, TokenURL, UserInfoURL string
	Scopes                         []string
	// APIVersion is Facebook's Graph API version ("v24.0"), the same
	// in its dialog, token and profile URLs.
	APIVersion string
}

// FacebookAPIVersion is the Graph API version used when none is
// configured (--facebook-api-version).
var FacebookAPIVersion = func() string { s, _ := providers.ByName("facebook"); return s.DefaultVersion }()

// Config is what readerauth needs.
type Config struct {
	BaseURL   string // no trailing slash; callbacks are BaseURL/auth/{name}/callback
	Providers []ProviderConfig
	DevLogin  bool
	// HTTPClient talks to providers; its Timeout bounds a slow provider.
	HTTPClient *http.Client
	Now        func() time.Time
	Logger     *slog.Logger
}

// Pages answers the HTML parts of a sign-in (errors and the dev name
// form) in the site's layout.
type Pages interface {
	LoginError(w http.ResponseWriter, r *http.Request, status int, message string)
	DevNameForm(w http.ResponseWriter, r *http.Request, token, suggested, errMsg string)
}

// Provider is a configured sign-in provider.
type Provider struct {
	Name, Label string
	oidcIssuer  string
	pkce        bool
	dev         bool
	facebook    bool // token request by GET, as Meta documents it

	// mu guards what OIDC discovery fills in: the endpoints in oauth,
	// userInfoURL and verifier. Read them through endpoints.
	mu          sync.Mutex
	oauth       oauth2.Config
	userInfoURL string
	verifier    *oidc.IDTokenVerifier
}

// Link is a provider's sign-in button.
type Link struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	URL   string `json:"url"` // /auth/{name}/start
}

// Auth signs readers in and out.
type Auth struct {
	cfg       Config
	store     news.ReaderStore
	pages     Pages
	providers map[string]*Provider
	order     []string
	dev       *devidp.Provider
	devSecret string
	secure    bool
}

// New builds the configured providers.
func New(cfg Config, store news.ReaderStore, pages Pages) (*Auth, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	a := &Auth{cfg: cfg, store: store, pages: pages, providers: map[string]*Provider{},
		secure: strings.HasPrefix(cfg.BaseURL, "https://")}
	byName := map[string]ProviderConfig{}
	for _, pc := range cfg.Providers {
		if pc.ClientID == "" || pc.ClientSecret == "" {
			continue
		}
		byName[pc.Name] = pc
	}
	for _, spec := range providers.All {
		name := spec.Name
		pc, ok := byName[name]
		if !ok {
			continue
		}
		d := ProviderConfig{Label: spec.Label, Issuer: spec.Issuer, AuthURL: spec.AuthURL, TokenURL: spec.TokenURL,
			UserInfoURL: spec.UserInfoURL, Scopes: spec.Scopes}
		if name == "facebook" {
			v := pc.APIVersion
			if v == "" {
				v = spec.DefaultVersion
			}
			d.AuthURL = "https://www.facebook.com/" + v + "/dialog/oauth"
			d.TokenURL = "https://graph.facebook.com/" + v + "/oauth/access_token"
			// No picture: Facebook's picture URLs are signed and expire
			// within days, so they cannot be kept as a reader's avatar.
			d.UserInfoURL = "https://graph.facebook.com/" + v + "/me?fields=id,name"
		}
		if pc.Label == "" {
			pc.Label = d.Label
		}
		if pc.Issuer == "" {
			pc.Issuer = d.Issuer
		}
		if pc.AuthURL == "" {
			pc.AuthURL = d.AuthURL
		}
		if pc.TokenURL == "" {
			pc.TokenURL = d.TokenURL
		}
		if pc.UserInfoURL == "" {
			pc.UserInfoURL = d.UserInfoURL
		}
		if len(pc.Scopes) == 0 {
			pc.Scopes = d.Scopes
		}
		if (spec.IssuerFlag || spec.Issuer != "") && pc.Issuer == "" {
			return nil, fmt.Errorf("sign-in provider %s needs an issuer URL", name)
		}
		if err := checkIssuer(name, pc.Issuer); err != nil {
			return nil, err
		}
		p := &Provider{Name: name, Label: pc.Label, oidcIssuer: pc.Issuer, userInfoURL: pc.UserInfoURL, pkce: true,
			oauth: oauth2.Config{ClientID: pc.ClientID, ClientSecret: pc.ClientSecret, Scopes: pc.Scopes,
				RedirectURL: cfg.BaseURL + "/auth/" + name + "/callback",
				Endpoint:    oauth2.Endpoint{AuthURL: pc.AuthURL, TokenURL: pc.TokenURL}}}
		if spec.BasicAuth {
			// X, for one, authenticates confidential clients with HTTP Basic.
			p.oauth.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
		}
		if name == "facebook" {
			// Meta documents PKCE only for Limited Login (apps), not for
			// the web login dialog; the code is protected by the app
			// secret and the state bound to the browser instead.
			p.pkce = false
			p.facebook = true
		}
		a.providers[name] = p
		a.order = append(a.order, name)
	}
	if cfg.DevLogin {
		a.devSecret = randomToken()
		a.dev = devidp.New("byline-dev", a.devSecret)
		a.dev.User = devidp.User{Subject: "dev", Name: "Dev Reader"}
		a.providers["dev"] = &Provider{Name: "dev", Label: "Dev login (local)", pkce: true, dev: true}
		a.order = append(a.order, "dev")
	}
	return a, nil
}

// DevLogin reports whether the local dev provider is on (--dev-login):
// its routes exist only then.
func (a *Auth) DevLogin() bool { return a.dev != nil }

// Links are the sign-in buttons of the configured providers.
func (a *Auth) Links() []Link {
	out := make([]Link, 0, len(a.order))
	for _, n := range a.order {
		p := a.providers[n]
		out = append(out, Link{Name: n, Label: p.Label, URL: "/auth/" + n + "/start"})
	}
	return out
}

// checkIssuer refuses an issuer that is not https, except on loopback
// (a provider on the same machine, as in development and tests): ID
// tokens, keys and discovery over plain HTTP could be forged by anyone
// on the path.
func checkIssuer(name, issuer string) error {
	if issuer == "" {
		return nil
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("sign-in provider %s: issuer %q is not an absolute https URL", name, issuer)
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return fmt.Errorf("sign-in provider %s: issuer %q uses plain http; ID tokens and keys must come over https (http is allowed only for localhost or a loopback address)", name, issuer)
	}
	return nil
}

// IsLoopbackHost reports whether h names this machine: localhost, a
// *.localhost name or a loopback address.
func IsLoopbackHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	s := sha256.Sum256([]byte(t))
	return hex.EncodeToString(s[:])
}

// SafeReturn accepts only same-site relative paths ("/article/1/x#c"),
// so a sign-in can never send a reader to another site.
func SafeReturn(p string) string {
	if p == "" || len(p) > 2000 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return p
}

// origin is where this server is reached: BaseURL for real providers;
// for the dev provider the request's own host, so a local server on any
// port works.
func (a *Auth) origin(r *http.Request, p *Provider) string {
	if !p.dev {
		return a.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// oauthConfig is the provider's OAuth configuration as of now. For OIDC
// providers it runs discovery first (once per process), so that any
// server process -- not only the one that sent the reader to the
// provider -- knows the token endpoint when the callback arrives.
func (a *Auth) oauthConfig(r *http.Request, p *Provider) (*oauth2.Config, string, error) {
	if p.oidcIssuer != "" {
		if _, err := a.oidcVerifier(a.ctx(r), p); err != nil {
			return nil, "", err
		}
	}
	p.mu.Lock()
	c, userInfo := p.oauth, p.userInfoURL
	p.mu.Unlock()
	if p.dev {
		o := a.origin(r, p)
		c = oauth2.Config{ClientID: "byline-dev", ClientSecret: a.devSecret, Scopes: []string{"profile"},
			RedirectURL: o + "/auth/dev/callback",
			Endpoint:    oauth2.Endpoint{AuthURL: o + "/auth/dev/idp/authorize", TokenURL: o + "/auth/dev/idp/token", AuthStyle: oauth2.AuthStyleInParams}}
		userInfo = o + "/auth/dev/idp/userinfo"
	}
	return &c, userInfo, nil
}

func (a *Auth) provider(w http.ResponseWriter, r *http.Request) (*Provider, bool) {
	p, ok := a.providers[r.PathValue("provider")]
	if !ok {
		a.pages.LoginError(w, r, http.StatusNotFound, "This sign-in provider is not available on this site.")
	}
	return p, ok
}

func (a *Auth) ctx(r *http.Request) context.Context {
	return context.WithValue(r.Context(), oauth2.HTTPClient, a.cfg.HTTPClient)
}

func (a *Auth) oidcVerifier(ctx context.Context, p *Provider) (*oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.verifier != nil {
		return p.verifier, nil
	}
	op, err := oidc.NewProvider(ctx, p.oidcIssuer)
	if err != nil {
		return nil, err
	}
	ep := op.Endpoint()
	p.oauth.Endpoint.AuthURL, p.oauth.Endpoint.TokenURL = ep.AuthURL, ep.TokenURL
	var claims struct {
		UserInfo string `json:"userinfo_endpoint"`
	}
	if op.Claims(&claims) == nil && claims.UserInfo != "" {
		p.userInfoURL = claims.UserInfo
	}
	p.verifier = op.Verifier(&oidc.Config{ClientID: p.oauth.ClientID})
	return p.verifier, nil
}

// Start sends the reader to the provider with a fresh state, PKCE
// challenge and (OIDC) nonce; the state is also set in a cookie so that
// only this browser can finish the sign-in.
func (a *Auth) Start(w http.ResponseWriter, r *http.Request) {
	p, ok := a.provider(w, r)
	if !ok {
		return
	}
	conf, _, err := a.oauthConfig(r, p)
	if err != nil {
		a.cfg.Logger.WarnContext(r.Context(), "sign-in provider unreachable", "provider", p.Name, "err", err)
		a.pages.LoginError(w, r, http.StatusBadGateway, p.Label+" could not be reached. Please try again later.")
		return
	}
	st := news.LoginState{State: randomToken(), Provider: p.Name, Verifier: oauth2.GenerateVerifier(),
		ReturnTo: SafeReturn(r.URL.Query().Get("return")), ExpiresAt: a.cfg.Now().Add(10 * time.Minute)}
	var opts []oauth2.AuthCodeOption
	if p.pkce {
		opts = append(opts, oauth2.S256ChallengeOption(st.Verifier))
	}
	if p.oidcIssuer != "" {
		st.Nonce = randomToken()
		opts = append(opts, oidc.Nonce(st.Nonce))
	}
	if err := a.store.SaveLoginState(r.Context(), st); err != nil {
		a.pages.LoginError(w, r, http.StatusInternalServerError, "The sign-in could not be started. Please try again.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: st.State, Path: "/auth/", MaxAge: 600, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	// The provider comes back without ?lang: the cookie carries it.
	// (The error pages above keep it through Pages.)
	RememberLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, conf.AuthCodeURL(st.State, opts...), http.StatusFound)
}

// Identity is who the provider says the reader is.
type Identity struct {
	Subject, Name, Email, Avatar string
	// EmailVerified: the provider says it verified Email (the OpenID
	// email_verified claim).
	EmailVerified bool
}

// verified reads an email_verified claim (a boolean; some providers send
// the string "true").
func verified(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x == "true"
	}
	return false
}

// LangCookie keeps the reader's choice of comment-box language.
const LangCookie = "byline_lang"

var langMatcher = language.NewMatcher([]language.Tag{language.English, language.Korean})

// Lang is the reader's language for the comment UI and notices: ?lang=
// in the address (a link works without script or cookie), else the
// cookie, else the best match of Accept-Language (English or Korean).
func Lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "ko" {
		return l
	}
	if c, err := r.Cookie(LangCookie); err == nil && (c.Value == "en" || c.Value == "ko") {
		return c.Value
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	if _, i, _ := langMatcher.Match(tags...); i == 1 {
		return "ko"
	}
	return "en"
}

// RememberLang keeps a language asked for in the address (?lang=en or
// ?lang=ko) in the language cookie, as the switch does: a reader who
// arrives by a link in Korean, with no cookie, stays in Korean on the
// next pages, through a sign-in (whose provider comes back without
// ?lang) and its forms. Pages that are the same for every reader (the
// cached article) never call it.
func RememberLang(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("lang")
	if l != "en" && l != "ko" {
		return
	}
	if c, err := r.Cookie(LangCookie); err == nil && c.Value == l {
		return
	}
	SetLang(w, l)
}

// SetLang sets the language cookie to l ("en" or "ko"), for a year; the
// comment box's buttons set the same cookie from script.
func SetLang(w http.ResponseWriter, l string) {
	http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
}

func (a *Auth) Callback(w http.ResponseWriter, r *http.Request) {
	p, ok := a.provider(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()
	state := q.Get("state")
	c, err := r.Cookie(loginCookie)
	if state == "" || err != nil || c.Value != state {
		a.pages.LoginError(w, r, http.StatusBadRequest, "This sign-in link is not from this browser or has expired. Please start again.")
		return
	}
	st, err := a.store.TakeLoginState(r.Context(), state, a.cfg.Now())
	if err != nil || st.Provider != p.Name {
		a.pages.LoginError(w, r, http.StatusBadRequest, "This sign-in has already been used or has expired. Please start again.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/auth/", MaxAge: -1, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	if e := q.Get("error"); e != "" {
		msg := "The sign-in was cancelled at " + p.Label + "."
		if e != "access_denied" {
			msg = p.Label + " refused the sign-in (" + trim(e, 60) + ")."
		}
		a.pages.LoginError(w, r, http.StatusForbidden, msg+" You have not been signed in.")
		return
	}
	id, err := a.exchange(r, p, st, q.Get("code"))
	if err != nil {
		a.cfg.Logger.WarnContext(r.Context(), "reader sign-in failed", "provider", p.Name, "err", err)
		status, msg := http.StatusBadGateway, "We could not confirm your account with "+p.Label+". Please try again."
		var ve *verifyError
		if errors.As(err, &ve) {
			status, msg = http.StatusUnauthorized, "The sign-in token from "+p.Label+" was not valid. You have not been signed in."
		}
		a.pages.LoginError(w, r, status, msg)
		return
	}
	if p.dev {
		// The dev provider knows no name: ask for one.
		pending := news.LoginState{State: randomToken(), Provider: "dev-pending", ReturnTo: st.ReturnTo, Subject: id.Subject, Name: id.Name,
			ExpiresAt: a.cfg.Now().Add(10 * time.Minute)}
		if err := a.store.SaveLoginState(r.Context(), pending); err != nil {
			a.pages.LoginError(w, r, http.StatusInternalServerError, "The sign-in could not be finished. Please try again.")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: pending.State, Path: "/auth/", MaxAge: 600, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
		a.pages.DevNameForm(w, r, pending.State, "", "")
		return
	}
	rd := news.Reader{Provider: p.Name, Subject: id.Subject, Name: id.Name, Email: id.Email, AvatarURL: id.Avatar}
	if id.EmailVerified {
		if addr, err := news.ParseNoticeAddress(id.Email); err == nil {
			rd.NoticeEmail = addr
		}
	}
	a.finish(w, r, rd, st.ReturnTo)
}

type verifyError struct{ err error }

func (e *verifyError) Error() string { return "id token: " + e.err.Error() }
func (e *verifyError) Unwrap() error { return e.err }

// exchange trades the code (with the PKCE verifier) for tokens over
// HTTP, verifies the ID token for OIDC providers and reads the profile.
func (a *Auth) exchange(r *http.Request, p *Provider, st news.LoginState, code string) (Identity, error) {
	var id Identity
	if code == "" {
		return id, errors.New("no code in callback")
	}
	ctx := a.ctx(r)
	conf, userInfoURL, err := a.oauthConfig(r, p)
	if err != nil {
		return id, fmt.Errorf("discovery: %w", err)
	}
	var tok *oauth2.Token
	switch {
	case p.facebook:
		tok, err = a.facebookToken(ctx, conf, code)
	case p.pkce:
		tok, err = conf.Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	default:
		tok, err = conf.Exchange(ctx, code)
	}
	if err != nil {
		return id, fmt.Errorf("token exchange: %w", err)
	}
	if p.oidcIssuer != "" {
		raw, _ := tok.Extra("id_token").(string)
		if raw == "" {
			return id, &verifyError{errors.New("no id_token")}
		}
		v, err := a.oidcVerifier(ctx, p)
		if err != nil {
			return id, err
		}
		it, err := v.Verify(ctx, raw)
		if err != nil {
			return id, &verifyError{err}
		}
		if it.Nonce != st.Nonce {
			return id, &verifyError{errors.New("nonce mismatch")}
		}
		var claims map[string]any
		_ = it.Claims(&claims)
		id = Identity{Subject: it.Subject, Name: str(claims["name"]), Email: str(claims["email"]), Avatar: str(claims["picture"]),
			EmailVerified: verified(claims["email_verified"])}
		if id.Name == "" {
			id.Name = str(claims["preferred_username"])
		}
		if id.Name != "" {
			return id, nil
		}
	}
	info, err := a.userInfo(ctx, conf, tok, userInfoURL)
	if err != nil {
		return id, err
	}
	if id.Subject != "" && info.Subject != "" && info.Subject != id.Subject {
		return id, &verifyError{errors.New("userinfo subject differs from id token")}
	}
	if id.Subject == "" {
		id = info
	} else {
		id.Name = info.Name
		if id.Email == "" {
			id.Email, id.EmailVerified = info.Email, info.EmailVerified
		}
	}
	if id.Subject == "" {
		return id, errors.New("provider returned no account id")
	}
	if p.facebook {
		// Facebook's picture URLs are signed and expire within days:
		// never kept as a reader's avatar.
		id.Avatar = ""
	}
	if id.Name == "" {
		id.Name = p.Label + " reader"
	}
	return id, nil
}

// facebookToken trades the code for an access token the way Meta's
// "manually build a login flow" documents it: a GET to the versioned
// oauth/access_token endpoint with client_id, redirect_uri,
// client_secret and code in the query, answered with JSON.
func (a *Auth) facebookToken(ctx context.Context, conf *oauth2.Config, code string) (*oauth2.Token, error) {
	q := url.Values{"client_id": {conf.ClientID}, "redirect_uri": {conf.RedirectURL}, "client_secret": {conf.ClientSecret}, "code": {code}}
	u := conf.Endpoint.TokenURL
	if strings.Contains(u, "?") {
		u += "&" + q.Encode()
	} else {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	res, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body); err != nil {
		return nil, fmt.Errorf("facebook token: %s: %w", res.Status, err)
	}
	if res.StatusCode != http.StatusOK || body.AccessToken == "" {
		return nil, fmt.Errorf("facebook token: %s: %s", res.Status, trim(body.Error.Message, 200))
	}
	tok := &oauth2.Token{AccessToken: body.AccessToken, TokenType: body.TokenType}
	if tok.TokenType == "" {
		tok.TokenType = "Bearer"
	}
	if body.ExpiresIn > 0 {
		tok.Expiry = a.cfg.Now().Add(time.Duration(body.ExpiresIn) * time.Second)
	}
	return tok, nil
}

func (a *Auth) userInfo(ctx context.Context, conf *oauth2.Config, tok *oauth2.Token, u string) (Identity, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return Identity{}, err
	}
	req.Header.Set("Accept", "application/json")
	res, err := conf.Client(ctx, tok).Do(req)
	if err != nil {
		return Identity{}, fmt.Errorf("userinfo: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return Identity{}, fmt.Errorf("userinfo: %s", res.Status)
	}
	var m map[string]any
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&m); err != nil {
		return Identity{}, fmt.Errorf("userinfo: %w", err)
	}
	return parseProfile(m), nil
}

// parseProfile reads the profile shapes of X ({"data": {...}}), GitHub
// (numeric id, login), Facebook (picture.data.url) and OIDC (sub).
func parseProfile(m map[string]any) Identity {
	if d, ok := m["data"].(map[string]any); ok {
		m = d
	}
	id := Identity{Subject: str(m["sub"]), Name: str(m["name"]), Email: str(m["email"]), EmailVerified: verified(m["email_verified"])}
	if id.Subject == "" {
		id.Subject = str(m["id"])
	}
	if id.Name == "" {
		id.Name = str(m["username"])
	}
	if id.Name == "" {
		id.Name = str(m["login"])
	}
	id.Avatar = str(m["picture"])
	for _, k := range []string{"profile_image_url", "avatar_url"} {
		if id.Avatar == "" {
			id.Avatar = str(m[k])
		}
	}
	if pic, ok := m["picture"].(map[string]any); ok {
		if d, ok := pic["data"].(map[string]any); ok {
			id.Avatar = str(d["url"])
		}
	}
	if !strings.HasPrefix(id.Avatar, "https://") {
		id.Avatar = ""
	}
	return id
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	}
	return ""
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// finish creates or updates the reader, starts a session and returns to
// where the reader came from.
func (a *Auth) finish(w http.ResponseWriter, r *http.Request, rd news.Reader, returnTo string) {
	name, err := normalizeName(rd.Name)
	if err != nil {
		name = "Reader"
	}
	rd.Name = name
	rd.Lang = Lang(r)
	if err := a.store.UpsertReader(r.Context(), &rd); err != nil {
		a.pages.LoginError(w, r, http.StatusInternalServerError, "Your account could not be saved. Please try again.")
		return
	}
	if err := a.StartSession(w, r, rd.ID); err != nil {
		a.pages.LoginError(w, r, http.StatusInternalServerError, "Your session could not be started. Please try again.")
		return
	}
	http.Redirect(w, r, SafeReturn(returnTo), http.StatusSeeOther)
}

// StartSession signs a reader in on this browser.
func (a *Auth) StartSession(w http.ResponseWriter, r *http.Request, readerID int64) error {
	tok := randomToken()
	exp := a.cfg.Now().Add(SessionTTL)
	if err := a.store.CreateReaderSession(r.Context(), hashToken(tok), readerID, exp); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", Expires: exp, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	return nil
}

// Reader is the signed-in reader of a request; a failed lookup counts as
// signed out. Handlers that act for the reader use ReaderOrError.
func (a *Auth) Reader(r *http.Request) (news.Reader, bool) {
	rd, ok, _ := a.ReaderOrError(r)
	return rd, ok
}

// ReaderOrError is the signed-in reader of a request. No cookie, or a
// session that does not exist or has expired, is "signed out" (false, nil);
// a lookup that failed (the database unreachable) is an error, never
// "signed out": the reader must not be asked to log in again.
func (a *Auth) ReaderOrError(r *http.Request) (news.Reader, bool, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return news.Reader{}, false, nil
	}
	rd, err := a.store.ReaderBySession(r.Context(), hashToken(c.Value), a.cfg.Now())
	if k := news.KindOf(err); err != nil && (k == news.KindNotFound || k == news.KindUnauthorized) {
		return news.Reader{}, false, nil
	} else if err != nil {
		return news.Reader{}, false, fmt.Errorf("look up the reader's session: %w", err)
	}
	return rd, true, nil
}

// EndSession signs the reader out of this browser.
func (a *Auth) EndSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		_ = a.store.DeleteReaderSession(r.Context(), hashToken(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

func (a *Auth) Logout(w http.ResponseWriter, r *http.Request) {
	a.EndSession(w, r)
	http.Redirect(w, r, SafeReturn(r.FormValue("return")), http.StatusSeeOther)
}

// DevIdP serves the dev provider under /auth/dev/idp/ for this server's
// own origin.
func (a *Auth) DevIdP() http.Handler {
	h := http.StripPrefix("/auth/dev/idp", a.dev.Handler())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// DevFinish takes the display name typed into the dev form.
func (a *Auth) DevFinish(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	token := r.PostFormValue("token")
	c, err := r.Cookie(loginCookie)
	if token == "" || err != nil || c.Value != token {
		a.pages.LoginError(w, r, http.StatusBadRequest, "This sign-in is not from this browser or has expired. Please start again.")
		return
	}
	name, err := normalizeName(r.PostFormValue("name"))
	if err != nil {
		a.pages.DevNameForm(w, r, token, "", news.PublicMessage(err))
		return
	}
	st, err := a.store.TakeLoginState(r.Context(), token, a.cfg.Now())
	if err != nil || st.Provider != "dev-pending" {
		a.pages.LoginError(w, r, http.StatusBadRequest, "This sign-in has already been used or has expired. Please start again.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/auth/", MaxAge: -1, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	// The same name signs in the same dev reader again.
	a.finish(w, r, news.Reader{Provider: "dev", Subject: "name:" + strings.ToLower(name), Name: name}, st.ReturnTo)
}
