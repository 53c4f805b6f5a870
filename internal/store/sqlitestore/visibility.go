package sqlitestore

import (
	"context"
	"time"
)

// VisibilityChanged reports whether some article became visible, or its
// embargo ended, in the interval (since, until]: a publication time or an
// embargo passing changes what readers see without any write, so the
// server asks this on a timer and refreshes its caches.
func (s *Store) VisibilityChanged(ctx context.Context, since, until time.Time) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE status = 'published' AND
		((published_at > ? AND published_at <= ?) OR (embargo_until > ? AND embargo_until <= ?)))`,
		since.UnixMilli(), until.UnixMilli(), since.UnixMilli(), until.UnixMilli()).Scan(&n)
	return n == 1, err
}
