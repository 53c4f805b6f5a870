package pgstore

import (
	"context"
	"time"

	"byline/internal/news"
)

var _ news.VisibilityWatcher = (*Store)(nil)

// VisibilityChanged reports whether some article became visible, or its
// embargo ended, in the interval (since, until]: time alone changes what
// readers see then, so each server asks on a timer and refreshes its
// caches. The partial index articles_published covers the query.
func (s *Store) VisibilityChanged(ctx context.Context, since, until time.Time) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE status = 'published' AND
		((published_at > $1 AND published_at <= $2) OR (embargo_until > $1 AND embargo_until <= $2)))`,
		since.UTC(), until.UTC()).Scan(&ok)
	return ok, err
}
