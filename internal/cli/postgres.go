package cli

import (
	"context"
	"errors"

	"byline/internal/news"
)

// openPostgres opens the PostgreSQL engine.
func openPostgres(ctx context.Context, url string) (news.Store, error) {
	return nil, errors.New("PostgreSQL support is not built yet; leave --database empty to use SQLite")
}
