package auth

import (
	"context"
	"net/http"
	"strings"

	"byline/internal/news"
)

// TokenPrefix starts every Admin API token, so leaked tokens are easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "byl_"

// Tokens creates and checks Admin API tokens.
type Tokens struct {
	store news.NewsroomStore
}

// NewTokens builds the token checker.
func NewTokens(st news.NewsroomStore) *Tokens { return &Tokens{store: st} }

// Create makes a token for a user and returns it; only its hash is kept,
// so this is the one time it can be seen.
func (t *Tokens) Create(ctx context.Context, userID int64, name string) (string, news.APIToken, error) {
	raw := TokenPrefix + randomToken()
	tok := news.APIToken{UserID: userID, Name: strings.TrimSpace(name), Hash: hashToken(raw)}
	if len(tok.Name) > 100 {
		return "", tok, news.Invalid("name", "the token name is longer than 100 bytes")
	}
	if err := t.store.CreateToken(ctx, &tok); err != nil {
		return "", tok, err
	}
	return raw, tok, nil
}

var errNoToken = &news.Error{Kind: news.KindUnauthorized, Message: "send an Admin API token as Authorization: Bearer TOKEN"}
var errBadToken = &news.Error{Kind: news.KindUnauthorized, Message: "the API token is not valid"}

// Authenticate returns the user a request's bearer token belongs to.
func (t *Tokens) Authenticate(r *http.Request) (news.StaffUser, error) {
	h := r.Header.Get("Authorization")
	scheme, raw, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return news.StaffUser{}, errNoToken
	}
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, TokenPrefix) || len(raw) > 200 {
		return news.StaffUser{}, errBadToken
	}
	tok, err := t.store.TokenByHash(r.Context(), hashToken(raw))
	if err != nil {
		if news.IsNotFound(err) {
			return news.StaffUser{}, errBadToken
		}
		return news.StaffUser{}, err
	}
	if tok.Revoked {
		return news.StaffUser{}, errBadToken
	}
	u, err := t.store.StaffByID(r.Context(), tok.UserID)
	if err != nil {
		return u, err
	}
	if u.Disabled {
		return news.StaffUser{}, &news.Error{Kind: news.KindForbidden, Message: "the token's account is disabled"}
	}
	return u, nil
}

// RequireToken lets through only requests with a valid token; the user is
// then available from UserFrom(r.Context()). onError writes refusals
// (the API's JSON error writer).
func (t *Tokens) RequireToken(onError func(w http.ResponseWriter, r *http.Request, err error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, err := t.Authenticate(r)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="byline"`)
				onError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u, news.Session{})))
		})
	}
}
