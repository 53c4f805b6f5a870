package cli

import (
	"context"

	"byline/internal/news"
	"byline/internal/store/pgstore"
)

// openPostgres opens the PostgreSQL engine (migrations are applied under
// an advisory lock, so several servers may start together).
func openPostgres(ctx context.Context, url string) (news.Store, error) {
	return pgstore.Open(ctx, url)
}
