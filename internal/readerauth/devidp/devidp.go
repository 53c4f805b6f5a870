// Package devidp is the development identity provider: an OAuth 2.0 /
// OpenID Connect provider that runs in-process over real HTTP and signs
// real RS256 ID tokens. `byline serve --dev-login` mounts it under
// /auth/dev/idp, approving every request, so a local paper can sign
// readers in without X or Facebook. Tests serve it on a port of their own
// and use its switches to play every failure: denied consent, wrong
// state, expired or forged tokens, a wrong nonce or audience, a slow or
// absent provider.
package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// User is the account the provider signs in.
type User struct {
	Subject, Name, Email, Picture string
	// EmailVerified is the email_verified claim (sent with an e-mail).
	EmailVerified bool
}

// Provider is the identity provider. Set the failure switches before a
// test's sign-in; they are read under a lock.
type Provider struct {
	ClientID, ClientSecret string
	// Issuer is the provider's base URL, set by whoever serves Handler.
	Issuer string
	User   User

	mu sync.Mutex
	// Deny: the user refuses consent (error=access_denied).
	Deny bool
	// Delay: the token endpoint answers after this long (slow provider).
	Delay time.Duration
	// Expired: ID tokens are already expired.
	Expired bool
	// Forge: ID tokens are signed with a key not in the JWKS.
	Forge bool
	// BadNonce / BadAudience: the ID token carries the wrong values.
	BadNonce, BadAudience bool
	// StateOverride replaces the state sent back to the callback.
	StateOverride string
	// RequirePKCE refuses token requests without a valid verifier.
	RequirePKCE bool
	// Facebook behaves like Meta's login dialog: no PKCE parameters, and
	// the token request is a GET with client_id, client_secret,
	// redirect_uri and code in the query (a POST is refused).
	Facebook bool

	key, forged *rsa.PrivateKey
	codes       map[string]grant
	tokens      map[string]User
}

type grant struct {
	clientID, redirect, challenge, nonce string
	user                                 User
	expires                              time.Time
}

// New makes a provider with fresh keys and a default user.
func New(clientID, clientSecret string) *Provider {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	f, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return &Provider{ClientID: clientID, ClientSecret: clientSecret, RequirePKCE: true, key: k, forged: f,
		User:  User{Subject: "user-1", Name: "Test Reader", Email: "reader@example.com"},
		codes: map[string]grant{}, tokens: map[string]User{}}
}

// Set changes switches under the lock.
func (p *Provider) Set(f func(p *Provider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// Endpoints.
func (p *Provider) AuthURL() string     { return p.Issuer + "/authorize" }
func (p *Provider) TokenURL() string    { return p.Issuer + "/token" }
func (p *Provider) UserInfoURL() string { return p.Issuer + "/userinfo" }

// Handler serves the provider's endpoints relative to its root.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	return mux
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"issuer": p.Issuer, "authorization_endpoint": p.AuthURL(), "token_endpoint": p.TokenURL(),
		"userinfo_endpoint": p.UserInfoURL(), "jwks_uri": p.Issuer + "/jwks",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

func random() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// authorize approves at once (a test has no person to click) unless Deny.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	redirect := q.Get("redirect_uri")
	u, err := url.Parse(redirect)
	if q.Get("client_id") != p.ClientID || redirect == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		http.Error(w, "unknown client or redirect_uri", http.StatusBadRequest)
		return
	}
	if q.Get("response_type") != "code" {
		http.Error(w, "response_type must be code", http.StatusBadRequest)
		return
	}
	if p.Facebook && (q.Get("code_challenge") != "" || q.Get("code_challenge_method") != "") {
		http.Error(w, "unexpected PKCE parameters", http.StatusBadRequest)
		return
	}
	if p.RequirePKCE && !p.Facebook && (q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256") {
		http.Error(w, "PKCE (S256) required", http.StatusBadRequest)
		return
	}
	state := q.Get("state")
	if p.StateOverride != "" {
		state = p.StateOverride
	}
	back := url.Values{"state": {state}}
	if p.Deny {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user denied the request")
	} else {
		code := random()
		p.codes[code] = grant{clientID: p.ClientID, redirect: redirect, challenge: q.Get("code_challenge"), nonce: q.Get("nonce"),
			user: p.User, expires: time.Now().Add(time.Minute)}
		back.Set("code", code)
	}
	sep := "?"
	if strings.Contains(redirect, "?") {
		sep = "&"
	}
	http.Redirect(w, r, redirect+sep+back.Encode(), http.StatusFound)
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	// Read the body first: only then does the server notice a client
	// that gives up, so a slow answer ends with the request.
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request")
		return
	}
	p.mu.Lock()
	delay, facebook := p.Delay, p.Facebook
	p.mu.Unlock()
	if facebook != (r.Method == http.MethodGet) {
		oauthError(w, "invalid_request")
		return
	}
	if facebook {
		// Meta's documented shape: everything in the query, no grant_type.
		r.PostForm = r.URL.Query()
		r.PostForm.Set("grant_type", "authorization_code")
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if id != p.ClientID || secret != p.ClientSecret {
		oauthError(w, "invalid_client")
		return
	}
	code := r.PostForm.Get("code")
	g, ok := p.codes[code]
	delete(p.codes, code) // a code works once
	if !ok || time.Now().After(g.expires) || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirect {
		oauthError(w, "invalid_grant")
		return
	}
	if g.challenge != "" || (p.RequirePKCE && !p.Facebook) {
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			oauthError(w, "invalid_grant")
			return
		}
	}
	access := random()
	p.tokens[access] = g.user
	idt, err := p.idToken(g)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": idt})
}

func (p *Provider) idToken(g grant) (string, error) {
	key := p.key
	if p.Forge {
		key = p.forged
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		return "", err
	}
	now := time.Now()
	exp := now.Add(time.Hour)
	if p.Expired {
		now, exp = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	aud := p.ClientID
	if p.BadAudience {
		aud = "someone-else"
	}
	nonce := g.nonce
	if p.BadNonce {
		nonce = "not-the-nonce"
	}
	claims := map[string]any{
		"iss": p.Issuer, "sub": g.user.Subject, "aud": aud, "exp": exp.Unix(), "iat": now.Unix(),
		"nonce": nonce, "name": g.user.Name, "email": g.user.Email,
	}
	if g.user.Email != "" {
		claims["email_verified"] = g.user.EmailVerified
	}
	return jwt.Signed(sig).Claims(claims).Serialize()
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	u, found := p.tokens[tok]
	p.mu.Unlock()
	if !ok || !found {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	info := map[string]any{"sub": u.Subject, "name": u.Name, "email": u.Email, "picture": u.Picture}
	if u.Email != "" {
		info["email_verified"] = u.EmailVerified
	}
	writeJSON(w, 200, info)
}

func oauthError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
