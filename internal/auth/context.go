package auth

import (
	"context"

	"byline/internal/news"
)

type ctxKey struct{}

type identity struct {
	user    news.StaffUser
	session news.Session
}

// WithUser stores the signed-in user (and session, for browsers).
func WithUser(ctx context.Context, u news.StaffUser, se news.Session) context.Context {
	return context.WithValue(ctx, ctxKey{}, identity{u, se})
}

// UserFrom returns the signed-in user of a request context.
func UserFrom(ctx context.Context) (news.StaffUser, bool) {
	id, ok := ctx.Value(ctxKey{}).(identity)
	return id.user, ok && id.user.ID != 0
}

// SessionFrom returns the browser session of a request context.
func SessionFrom(ctx context.Context) (news.Session, bool) {
	id, ok := ctx.Value(ctxKey{}).(identity)
	return id.session, ok && id.session.IDHash != ""
}
