package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// PublishDue claims and publishes every scheduled article whose time has
// come. The conditional UPDATE … RETURNING is one statement, so when
// several servers run it at once each article is returned to exactly one.
func (s *Store) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	return s.claimIDs(ctx, "publish due articles", `UPDATE articles SET status = 'published', version = version + 1, modified_at = ?,
		embargo_until = CASE WHEN embargo_until <= ? THEN NULL ELSE embargo_until END
		WHERE status = 'scheduled' AND published_at <= ? RETURNING id`, now.UnixMilli(), now.UnixMilli(), now.UnixMilli())
}

// LiftEmbargoes claims published articles whose embargo has passed. The
// UPDATE clears the embargo, so each is returned to one caller only.
func (s *Store) LiftEmbargoes(ctx context.Context, now time.Time) ([]int64, error) {
	return s.claimIDs(ctx, "lift embargoes", `UPDATE articles SET embargo_until = NULL, version = version + 1
		WHERE embargo_until IS NOT NULL AND embargo_until <= ? AND status = 'published' RETURNING id`, now.UnixMilli())
}

// NextDue is the earliest scheduled publication or embargo end.
func (s *Store) NextDue(ctx context.Context) (time.Time, error) {
	var next sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT min(t) FROM (
		SELECT min(published_at) AS t FROM articles WHERE status = 'scheduled'
		UNION ALL SELECT min(embargo_until) FROM articles WHERE embargo_until IS NOT NULL AND status = 'published')`).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("next due time: %w", err)
	}
	return fromMS(next), nil
}

func (s *Store) claimIDs(ctx context.Context, what, query string, args ...any) ([]int64, error) {
	rows, err := s.w.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func isForeignKey(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY")
}
